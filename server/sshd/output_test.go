package sshd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"
)

// gate is a client that reads only when let.
type gate struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	open chan struct{}
	err  error
}

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return 0, g.err
	}
	return g.buf.Write(p)
}

func (g *gate) String() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.String()
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 500 {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestOutputWriterNeverBlocksAndKeepsOrder(t *testing.T) {
	g := &gate{open: make(chan struct{})}
	o := newOutputWriter(g, 1<<20)
	var want bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			f := fmt.Sprintf("frame %d;", i)
			want.WriteString(f)
			if n, err := o.Write([]byte(f)); n != len(f) || err != nil {
				t.Errorf("write %d: %d, %v", i, n, err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("writes waited for a client that does not read")
	}
	close(g.open)
	o.Close(5 * time.Second)
	if got := g.String(); got != want.String() {
		t.Fatalf("client got %q, want %q", got, want.String())
	}
	if o.Skipped() != 0 {
		t.Fatalf("skipped %d frames under the backlog", o.Skipped())
	}
}

func TestOutputWriterSkipsWholeFramesAndResyncs(t *testing.T) {
	g := &gate{open: make(chan struct{})}
	o := newOutputWriter(g, 100)
	resynced := make(chan struct{}, 4)
	o.setResync(func() { resynced <- struct{}{} })
	frame := bytes.Repeat([]byte("x"), 30)
	o.Write([]byte("first;")) // taken by the sender, which then waits on the client
	waitFor(t, "the first frame in flight", func() bool {
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.queued == 0
	})
	for range 10 {
		o.Write(frame) // past 100 bytes queued: skipped from then on
	}
	if o.Skipped() == 0 {
		t.Fatal("nothing skipped past the backlog")
	}
	select {
	case <-resynced:
		t.Fatal("resync before the client took what was in flight")
	default:
	}
	close(g.open)
	select {
	case <-resynced:
	case <-time.After(5 * time.Second):
		t.Fatal("no resync once the client caught up")
	}
	o.Write([]byte("redrawn;"))
	o.Close(5 * time.Second)
	got := g.String()
	if got[:6] != "first;" || got[len(got)-8:] != "redrawn;" || (len(got)-14)%30 != 0 {
		t.Fatalf("client got %q: want whole frames only", got)
	}
}

func TestOutputWriterReportsAGoneClient(t *testing.T) {
	g := &gate{open: make(chan struct{}), err: errors.New("channel closed")}
	close(g.open)
	o := newOutputWriter(g, 0)
	o.Write([]byte("a"))
	waitFor(t, "the error", func() bool {
		_, err := o.Write([]byte("b"))
		return err != nil
	})
	o.Close(time.Second)
	if _, err := o.Write([]byte("c")); err == nil {
		t.Fatal("write after close accepted")
	}
}

func TestOutputWriterCloseGivesUpOnAStalledClient(t *testing.T) {
	g := &gate{open: make(chan struct{})}
	o := newOutputWriter(g, 0)
	o.Write([]byte("never read"))
	start := time.Now()
	o.Close(50 * time.Millisecond)
	if time.Since(start) > 2*time.Second {
		t.Fatal("Close waited past its timeout")
	}
	close(g.open) // let the sender go
	var _ io.Writer = o
}

// countingSink takes frames into a buffer it grows once, and says when
// each has landed.
type countingSink struct {
	buf  []byte
	seen chan struct{}
}

func (c *countingSink) Write(p []byte) (int, error) {
	c.buf = append(c.buf[:0], p...)
	c.seen <- struct{}{}
	return len(p), nil
}

// TestOutputWriterReusesSentFrames: once the channel has taken a frame,
// its buffer carries a later one, so a session sending frames steadily
// allocates nothing for them; and every frame arrives as written.
func TestOutputWriterReusesSentFrames(t *testing.T) {
	sink := &countingSink{buf: make([]byte, 0, 4096), seen: make(chan struct{}, 1)}
	o := newOutputWriter(sink, 0)
	defer o.Close(time.Second)
	frame := bytes.Repeat([]byte("frame "), 200)
	spareReady := func() bool {
		for range 10000 {
			o.mu.Lock()
			ok := len(o.spare) > 0 && cap(o.queue) > 0
			o.mu.Unlock()
			if ok {
				return true
			}
			time.Sleep(time.Microsecond)
		}
		return false
	}
	send := func(i int) {
		frame[0] = byte('a' + i%26)
		if _, err := o.Write(frame); err != nil {
			t.Fatal(err)
		}
		<-sink.seen
		if !bytes.Equal(sink.buf, frame) {
			t.Fatalf("frame %d arrived as %q", i, sink.buf[:20])
		}
		if !spareReady() {
			t.Fatal("the sent frame's buffer did not come back")
		}
	}
	send(0)
	i := 1
	if n := testing.AllocsPerRun(100, func() { send(i); i++ }); n != 0 {
		t.Fatalf("%.1f allocations per frame", n)
	}
}
