package memconn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// pair is a connection whose ends are closed when the test ends.
func pair(t *testing.T, bufSize int) (*Conn, *Conn) {
	t.Helper()
	a, b := Pipe(bufSize)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// result is what a call run in the background returned.
type result struct {
	n   int
	err error
}

func async(f func() (int, error)) <-chan result {
	ch := make(chan result, 1)
	go func() {
		n, err := f()
		ch <- result{n, err}
	}()
	return ch
}

// await fails the test if the call does not return within d.
func await(t *testing.T, ch <-chan result, d time.Duration) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(d):
		t.Fatalf("call still blocked after %v", d)
		return result{}
	}
}

// blocked fails the test if the call returns within d.
func blocked(t *testing.T, ch <-chan result, d time.Duration) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("call returned (%d, %v); want it blocked", r.n, r.err)
	case <-time.After(d):
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestOrderAndPartialReads(t *testing.T) {
	a, b := pair(t, 0)
	for _, s := range []string{"hello", " ", "world", "!"} {
		if n, err := a.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("write %q: %d, %v", s, n, err)
		}
	}
	var got []byte
	buf := make([]byte, 3)
	for len(got) < len("hello world!") {
		n, err := b.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n > 3 {
			t.Fatalf("read %d bytes into a buffer of 3", n)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "hello world!" {
		t.Fatalf("got %q", got)
	}
	// Both directions are independent.
	b.Write([]byte("back"))
	buf = make([]byte, 100)
	if n, err := a.Read(buf); string(buf[:n]) != "back" || err != nil {
		t.Fatalf("read back: %q, %v", buf[:n], err)
	}
	// A read returns what is there without waiting for more.
	a.Write([]byte("xy"))
	if n, err := b.Read(buf); n != 2 || err != nil {
		t.Fatalf("read: %d, %v", n, err)
	}
	if n, err := b.Read(nil); n != 0 || err != nil {
		t.Fatalf("empty read: %d, %v", n, err)
	}
}

func TestLargeWriteExceedsBuffer(t *testing.T) {
	a, b := pair(t, 1024)
	want := pattern(1 << 20)
	w := async(func() (int, error) { return a.Write(want) })
	// The write cannot finish before the reader drains.
	blocked(t, w, 20*time.Millisecond)
	got := make([]byte, 0, len(want))
	buf := make([]byte, 4096)
	for len(got) < len(want) {
		n, err := b.Read(buf[:1+rand.IntN(len(buf))])
		if err != nil {
			t.Fatal(err)
		}
		if n > 1024 {
			t.Fatalf("read %d bytes; the buffer holds 1024", n)
		}
		got = append(got, buf[:n]...)
	}
	if r := await(t, w, 5*time.Second); r.n != len(want) || r.err != nil {
		t.Fatalf("write: %d, %v", r.n, r.err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes differ")
	}
}

// TestConcurrentWriters: concurrent Writes each arrive whole, even when
// larger than the buffer.
func TestConcurrentWriters(t *testing.T) {
	a, b := pair(t, 1000)
	const writers, each, size = 8, 50, 2500
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			rec := bytes.Repeat([]byte{byte('a' + w)}, size)
			for range each {
				if _, err := a.Write(rec); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	go func() { wg.Wait(); a.Close() }()
	all, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers*each*size {
		t.Fatalf("read %d bytes, want %d", len(all), writers*each*size)
	}
	for i := 0; i < len(all); i += size {
		if rec := all[i : i+size]; !bytes.Equal(rec, bytes.Repeat(rec[:1], size)) {
			t.Fatalf("record at %d interleaved", i)
		}
	}
}

// TestConcurrentReadersAndWriters moves bytes both ways with several
// readers and writers on each end.
func TestConcurrentReadersAndWriters(t *testing.T) {
	a, b := pair(t, 512)
	const per = 1 << 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := map[*Conn]int{}
	for _, c := range []*Conn{a, b} {
		for range 4 {
			wg.Go(func() {
				if _, err := c.Write(pattern(per)); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				buf := make([]byte, 1+rand.IntN(700))
				for {
					c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
					n, err := c.Read(buf)
					mu.Lock()
					total[c] += n
					done := total[c] == 4*per
					mu.Unlock()
					if done || err != nil {
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if total[a] != 4*per || total[b] != 4*per {
		t.Fatalf("read %d and %d bytes, want %d each", total[a], total[b], 4*per)
	}
}

func TestCloseSemantics(t *testing.T) {
	t.Run("peer drains then EOF", func(t *testing.T) {
		a, b := pair(t, 0)
		a.Write([]byte("last words"))
		a.Close()
		got, err := io.ReadAll(b)
		if string(got) != "last words" || err != nil {
			t.Fatalf("got %q, %v", got, err)
		}
		if _, err := b.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("read after EOF: %v", err)
		}
	})
	t.Run("writes to a closed peer fail", func(t *testing.T) {
		a, b := pair(t, 0)
		b.Close()
		if _, err := a.Write([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
			t.Fatalf("write: %v", err)
		}
		// The other direction: a can still read what b wrote before.
	})
	t.Run("closed end fails its own calls", func(t *testing.T) {
		a, _ := pair(t, 0)
		a.Close()
		if _, err := a.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read: %v", err)
		}
		if _, err := a.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("write: %v", err)
		}
		if err := a.SetDeadline(time.Now()); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("set deadline: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Fatalf("second close: %v", err)
		}
	})
	t.Run("blocked read wakes on peer close", func(t *testing.T) {
		a, b := pair(t, 0)
		r := async(func() (int, error) { return b.Read(make([]byte, 10)) })
		blocked(t, r, 20*time.Millisecond)
		a.Close()
		if res := await(t, r, time.Second); res.err != io.EOF {
			t.Fatalf("read: %v", res.err)
		}
	})
	t.Run("blocked read wakes on own close", func(t *testing.T) {
		_, b := pair(t, 0)
		r := async(func() (int, error) { return b.Read(make([]byte, 10)) })
		blocked(t, r, 20*time.Millisecond)
		b.Close()
		if res := await(t, r, time.Second); !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("read: %v", res.err)
		}
	})
	t.Run("blocked write wakes on peer close", func(t *testing.T) {
		a, b := pair(t, 16)
		w := async(func() (int, error) { return a.Write(make([]byte, 40)) })
		blocked(t, w, 20*time.Millisecond)
		b.Close()
		if res := await(t, w, time.Second); res.n != 16 || !errors.Is(res.err, io.ErrClosedPipe) {
			t.Fatalf("write: %d, %v", res.n, res.err)
		}
	})
	t.Run("blocked write wakes on own close", func(t *testing.T) {
		a, _ := pair(t, 16)
		w := async(func() (int, error) { return a.Write(make([]byte, 40)) })
		blocked(t, w, 20*time.Millisecond)
		a.Close()
		if res := await(t, w, time.Second); res.n != 16 || !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("write: %d, %v", res.n, res.err)
		}
	})
	t.Run("write waiting for another write wakes on close", func(t *testing.T) {
		a, _ := pair(t, 16)
		first := async(func() (int, error) { return a.Write(make([]byte, 40)) })
		blocked(t, first, 20*time.Millisecond)
		second := async(func() (int, error) { return a.Write([]byte("x")) })
		blocked(t, second, 20*time.Millisecond)
		a.Close()
		await(t, first, time.Second)
		if res := await(t, second, time.Second); res.n != 0 || !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("second write: %d, %v", res.n, res.err)
		}
	})
}

func TestDeadlines(t *testing.T) {
	const short = 30 * time.Millisecond
	t.Run("past", func(t *testing.T) {
		a, b := pair(t, 0)
		b.Write([]byte("waiting"))
		a.SetDeadline(time.Now().Add(-time.Second))
		// A passed deadline fails the call even with bytes waiting.
		if _, err := a.Read(make([]byte, 10)); !isTimeout(err) {
			t.Fatalf("read: %v", err)
		}
		if _, err := a.Write([]byte("x")); !isTimeout(err) {
			t.Fatalf("write: %v", err)
		}
	})
	t.Run("read passes while blocked", func(t *testing.T) {
		a, _ := pair(t, 0)
		a.SetReadDeadline(time.Now().Add(short))
		start := time.Now()
		_, err := a.Read(make([]byte, 10))
		if !isTimeout(err) {
			t.Fatalf("read: %v", err)
		}
		if d := time.Since(start); d < short {
			t.Fatalf("timed out after %v, before the deadline", d)
		}
		// The connection stays usable once the deadline moves on.
		a.SetReadDeadline(time.Time{})
		a.peer.Write([]byte("ok"))
		if n, err := a.Read(make([]byte, 10)); n != 2 || err != nil {
			t.Fatalf("read after clearing: %d, %v", n, err)
		}
	})
	t.Run("write passes while blocked on a full buffer", func(t *testing.T) {
		a, b := pair(t, 8)
		a.SetWriteDeadline(time.Now().Add(short))
		n, err := a.Write(make([]byte, 20))
		if n != 8 || !isTimeout(err) {
			t.Fatalf("write: %d, %v", n, err)
		}
		a.SetWriteDeadline(time.Time{})
		if n, err := b.Read(make([]byte, 20)); n != 8 || err != nil {
			t.Fatalf("read: %d, %v", n, err)
		}
		if n, err := a.Write([]byte("more")); n != 4 || err != nil {
			t.Fatalf("write after clearing: %d, %v", n, err)
		}
	})
	t.Run("set while blocked", func(t *testing.T) {
		a, _ := pair(t, 8)
		b, _ := pair(t, 8)
		r := async(func() (int, error) { return a.Read(make([]byte, 10)) })
		w := async(func() (int, error) { return b.Write(make([]byte, 20)) })
		blocked(t, r, short)
		a.SetReadDeadline(time.Now())
		if res := await(t, r, time.Second); !isTimeout(res.err) {
			t.Fatalf("read: %v", res.err)
		}
		// w has filled its peer's buffer and waits.
		blocked(t, w, short)
		b.SetWriteDeadline(time.Now().Add(short))
		if res := await(t, w, time.Second); res.n != 8 || !isTimeout(res.err) {
			t.Fatalf("write: %d, %v", res.n, res.err)
		}
	})
	t.Run("write waiting for another write times out", func(t *testing.T) {
		a, _ := pair(t, 8)
		first := async(func() (int, error) { return a.Write(make([]byte, 20)) })
		blocked(t, first, short)
		a.SetWriteDeadline(time.Now().Add(short))
		n, err := a.Write([]byte("x"))
		if n != 0 || !isTimeout(err) {
			t.Fatalf("second write: %d, %v", n, err)
		}
		await(t, first, time.Second)
	})
	t.Run("extended while blocked", func(t *testing.T) {
		a, b := pair(t, 0)
		a.SetReadDeadline(time.Now().Add(short))
		r := async(func() (int, error) { return a.Read(make([]byte, 10)) })
		a.SetReadDeadline(time.Now().Add(time.Hour))
		blocked(t, r, 3*short)
		b.Write([]byte("late"))
		if res := await(t, r, time.Second); res.n != 4 || res.err != nil {
			t.Fatalf("read: %d, %v", res.n, res.err)
		}
	})
	t.Run("cleared while blocked", func(t *testing.T) {
		a, b := pair(t, 0)
		a.SetReadDeadline(time.Now().Add(short))
		r := async(func() (int, error) { return a.Read(make([]byte, 10)) })
		a.SetReadDeadline(time.Time{})
		blocked(t, r, 3*short)
		b.Close()
		if res := await(t, r, time.Second); res.err != io.EOF {
			t.Fatalf("read: %v", res.err)
		}
	})
	t.Run("read and write deadlines are separate", func(t *testing.T) {
		a, b := pair(t, 0)
		a.SetReadDeadline(time.Now().Add(-time.Second))
		if _, err := a.Write([]byte("x")); err != nil {
			t.Fatalf("write: %v", err)
		}
		b.SetWriteDeadline(time.Now().Add(-time.Second))
		if n, err := b.Read(make([]byte, 1)); n != 1 || err != nil {
			t.Fatalf("read: %d, %v", n, err)
		}
	})
	t.Run("many resets", func(t *testing.T) {
		a, b := pair(t, 0)
		var wg sync.WaitGroup
		wg.Go(func() {
			for range 1000 {
				a.SetReadDeadline(time.Now().Add(time.Duration(rand.IntN(50)) * time.Microsecond))
			}
			a.SetReadDeadline(time.Now()) // the reads left time out at once
		})
		wg.Go(func() {
			buf := make([]byte, 1)
			for range 200 {
				a.Read(buf)
			}
		})
		wg.Wait()
		b.Write([]byte("x"))
		a.SetReadDeadline(time.Time{})
		if n, err := a.Read(make([]byte, 1)); n != 1 || err != nil {
			t.Fatalf("read: %d, %v", n, err)
		}
	})
}

func TestListener(t *testing.T) {
	l := Listen("test.internal:80", 0)
	defer l.Close()
	if l.Addr().Network() != "memory" || l.Addr().String() != "test.internal:80" {
		t.Fatalf("addr %v %v", l.Addr().Network(), l.Addr())
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	c, err := l.DialContext(context.Background(), "tcp", "anything:1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := <-accepted
	defer s.Close()
	if s.LocalAddr() != l.Addr() || s.RemoteAddr() != c.LocalAddr() || c.RemoteAddr() != l.Addr() {
		t.Fatalf("addresses: server %v→%v, client %v→%v", s.LocalAddr(), s.RemoteAddr(), c.LocalAddr(), c.RemoteAddr())
	}
	c.Write([]byte("ping"))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(s, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("server read %q, %v", buf, err)
	}

	t.Run("dial waits for accept and honours ctx", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		_, err := l.DialContext(ctx, "tcp", "x")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("dial: %v", err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		if _, err := l.DialContext(ctx, "tcp", "x"); !errors.Is(err, context.Canceled) {
			t.Fatalf("dial with a cancelled ctx: %v", err)
		}
	})
	t.Run("close fails a waiting dial and later ones", func(t *testing.T) {
		l := Listen("other", 0)
		d := async(func() (int, error) {
			_, err := l.DialContext(context.Background(), "tcp", "x")
			return 0, err
		})
		blocked(t, d, 20*time.Millisecond) // nobody accepts
		l.Close()
		if res := await(t, d, time.Second); !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("waiting dial: %v", res.err)
		}
		if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("accept after close: %v", err)
		}
		if _, err := l.DialContext(context.Background(), "tcp", "x"); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("dial after close: %v", err)
		}
	})
	t.Run("blocked accept wakes on close", func(t *testing.T) {
		l := Listen("other", 0)
		a := async(func() (int, error) { _, err := l.Accept(); return 0, err })
		blocked(t, a, 20*time.Millisecond)
		l.Close()
		if res := await(t, a, time.Second); !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("accept: %v", res.err)
		}
	})
}

// TestHTTPAndWebSocket serves HTTP and a WebSocket echo on a Listener and
// reaches both through an http.Transport that dials it.
func TestHTTPAndWebSocket(t *testing.T) {
	l := Listen("test.internal:80", 0)
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s from %s", r.Host, r.RemoteAddr)
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ws.SetReadLimit(1 << 20)
		for {
			typ, msg, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			if err := ws.Write(r.Context(), typ, msg); err != nil {
				return
			}
		}
	})
	srv := &http.Server{Handler: mux}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	tr := &http.Transport{DialContext: l.DialContext}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer func() {
		tr.CloseIdleConnections()
		srv.Shutdown(context.Background())
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()

	resp, err := hc.Get("http://test.internal/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello test.internal from memory:1" {
		t.Fatalf("body %q", body)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://test.internal/ws", &websocket.DialOptions{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	for _, size := range []int{1, 300, DefaultBufferSize + 1000} {
		msg := pattern(size)
		if err := ws.Write(ctx, websocket.MessageBinary, msg); err != nil {
			t.Fatal(err)
		}
		_, got, err := ws.Read(ctx)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("echo of %d bytes: %d bytes, %v", size, len(got), err)
		}
	}
	ws.Close(websocket.StatusNormalClosure, "")
}

func TestWriteSpaceIsTheRoomLeft(t *testing.T) {
	a, b := Pipe(100)
	defer a.Close()
	if got := a.WriteSpace(); got != 100 {
		t.Fatalf("empty: %d", got)
	}
	if _, err := a.Write(make([]byte, 30)); err != nil {
		t.Fatal(err)
	}
	if got := a.WriteSpace(); got != 70 {
		t.Fatalf("after writing 30: %d", got)
	}
	if got := b.WriteSpace(); got != 100 {
		t.Fatalf("the other direction: %d", got)
	}
	if _, err := b.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if got := a.WriteSpace(); got != 80 {
		t.Fatalf("after the peer read 10: %d", got)
	}
	b.Close()
	if got := a.WriteSpace(); got != 0 {
		t.Fatalf("peer closed: %d", got)
	}
	a.Close()
	if got := b.WriteSpace(); got != 0 {
		t.Fatalf("own end closed: %d", got)
	}
}

// Reads waiting without a deadline all end when either end closes, and a
// deadline set while they wait applies to them.
func TestWaitingReadsWakeOnCloseAndDeadline(t *testing.T) {
	for _, how := range []string{"close", "peer close", "deadline"} {
		t.Run(how, func(t *testing.T) {
			a, b := Pipe(0)
			defer a.Close()
			defer b.Close()
			const readers = 3
			errs := make(chan error, readers)
			for range readers {
				go func() {
					_, err := a.Read(make([]byte, 8))
					errs <- err
				}()
			}
			time.Sleep(20 * time.Millisecond) // most likely blocked by now; if not, the test is only weaker
			want := net.ErrClosed
			switch how {
			case "close":
				a.Close()
			case "peer close":
				b.Close()
				want = io.EOF
			case "deadline":
				a.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
				want = os.ErrDeadlineExceeded
			}
			for range readers {
				select {
				case err := <-errs:
					if !errors.Is(err, want) {
						t.Fatalf("read ended with %v, want %v", err, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("a waiting read did not end")
				}
			}
		})
	}
}
