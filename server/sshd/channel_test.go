package sshd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

var errSinkFull = errors.New("sink full")

// sink takes left bytes, then fails (left < 0: it takes everything).
type sink struct {
	buf  bytes.Buffer
	left int
}

func (s *sink) Write(p []byte) (int, error) {
	if s.left < 0 {
		return s.buf.Write(p)
	}
	if len(p) <= s.left {
		s.left -= len(p)
		return s.buf.Write(p)
	}
	n := s.left
	s.buf.Write(p[:n])
	s.left = 0
	return n, errSinkFull
}

// sameAsPtyWriter writes chunks through one ptyChannel and through
// ssh.NewPtyWriter, each to a sink taking limit bytes: the same bytes
// must go out, and each write must count and fail as the PTY writer's.
func sameAsPtyWriter(t *testing.T, chunks [][]byte, limit int) string {
	t.Helper()
	ours, theirs := &sink{left: limit}, &sink{left: limit}
	c, pw := &ptyChannel{w: ours}, ssh.NewPtyWriter(theirs)
	for _, p := range chunks {
		was := string(p)
		n, err := c.Write(p)
		wantN, wantErr := pw.Write(p)
		if n != wantN || err != wantErr {
			t.Fatalf("write %q: %d, %v; the PTY writer's %d, %v", p, n, err, wantN, wantErr)
		}
		if n > len(p) || (err == nil && n != len(p)) {
			t.Fatalf("write %q: %d, %v", p, n, err)
		}
		if string(p) != was {
			t.Fatalf("write changed its input %q to %q", was, p)
		}
	}
	if got, want := ours.buf.String(), theirs.buf.String(); got != want {
		t.Fatalf("%q (limit %d): wrote %q, the PTY writer %q", chunks, limit, got, want)
	}
	return ours.buf.String()
}

func TestPtyChannelTranslatesAsThePtyWriter(t *testing.T) {
	for _, c := range []struct {
		writes []string
		want   string
	}{
		{[]string{""}, ""},
		{[]string{"\x1b[2;1Hno newline\x1b[K"}, "\x1b[2;1Hno newline\x1b[K"},
		{[]string{"\n"}, "\r\n"},
		{[]string{"\r\n"}, "\r\n"},
		{[]string{"\r\r\n"}, "\r\r\n"},
		{[]string{"\n\n"}, "\r\n\r\n"},
		{[]string{"\n\r"}, "\r\n\r"},
		{[]string{"a\nb\r\nc\n"}, "a\r\nb\r\nc\r\n"},
		{[]string{"\r\n\n\r\r\n\r"}, "\r\n\r\n\r\r\n\r"},
		// Each write is translated on its own.
		{[]string{"a\r", "\nb"}, "a\r\r\nb"},
		{[]string{"a\n", "\n"}, "a\r\n\r\n"},
		{[]string{"one\ntwo", "", "three"}, "one\r\ntwothree"},
	} {
		var chunks [][]byte
		for _, w := range c.writes {
			chunks = append(chunks, []byte(w))
		}
		if got := sameAsPtyWriter(t, chunks, -1); got != c.want {
			t.Errorf("%q: wrote %q, want %q", c.writes, got, c.want)
		}
		for limit := range len(c.want) {
			sameAsPtyWriter(t, chunks, limit)
		}
	}
}

// FuzzPtyNewlines writes any bytes in one write and cut into writes of 1
// to 8 bytes, to a channel that takes them all and to one that fails
// after limit bytes: ptyChannel writes and counts as ssh.NewPtyWriter.
func FuzzPtyNewlines(f *testing.F) {
	f.Add([]byte("a\nb\r\nc\r\r\n\n"), []byte{0}, uint16(5))
	f.Add([]byte("\x1b[1;1Hline\r\nline\n"), []byte{3, 1, 7}, uint16(12))
	f.Add([]byte("\r\n\r\n\n\r"), []byte{0, 1}, uint16(0))
	f.Fuzz(func(t *testing.T, in, cuts []byte, limit uint16) {
		for _, chunks := range [][][]byte{{in}, cutInto(in, cuts)} {
			sameAsPtyWriter(t, chunks, -1)
			sameAsPtyWriter(t, chunks, int(limit))
		}
	})
}

// Frames, with "\n" or without, are written without allocating once the
// first has given the buffer its size.
func TestPtyChannelWritesWithoutAllocating(t *testing.T) {
	c := &ptyChannel{w: io.Discard}
	for _, frame := range []string{"\x1b[3;1Hhello\x1b[K", "one\ntwo\r\nthree\n"} {
		p := []byte(strings.Repeat(frame, 100))
		if n := testing.AllocsPerRun(100, func() {
			if _, err := c.Write(p); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%q: %v allocations a write", frame, n)
		}
	}
}

// sessionContexts starts a server whose sessions show sizeModel and hands
// out each session's context as the session starts.
func sessionContexts(t *testing.T) (*fixture, <-chan context.Context) {
	t.Helper()
	ctxs := make(chan context.Context, 4)
	f := startWith(t, false, 0, 0, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		ctxs <- ctx
		return sizeModel{uid: uid}, func() {}, nil
	})
	return f, ctxs
}

// directOutput is the session's outputWriter, which must write to the
// session's own channel through a ptyChannel, not through the session.
func directOutput(t *testing.T, ctx context.Context) *outputWriter {
	t.Helper()
	ch, _ := ctx.Value(keyChannel).(gossh.Channel)
	out, _ := ctx.Value(keyOutput).(*outputWriter)
	if ch == nil || out == nil {
		t.Fatalf("session context: channel %v, output %v", ch, out)
	}
	if pc, ok := out.w.(*ptyChannel); !ok || pc.w != ch {
		t.Fatalf("the session writes to %T, not to its channel", out.w)
	}
	return out
}

func TestSessionWritesStraightToItsChannel(t *testing.T) {
	f, ctxs := sessionContexts(t)
	c := dialNewKey(t, f.addr, "fay")
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "hello fay 80x24")
	out := directOutput(t, <-ctxs)

	// A "\n" the program writes still reaches the terminal as "\r\n".
	if _, err := out.Write([]byte("\x1b[20;1Hone\ntwo\r\nthree")); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, "one\r\ntwo\r\nthree")
}

// Two sessions on one connection each draw on their own channel, and the
// end of one leaves the other drawing.
func TestTwoSessionsOnOneConnection(t *testing.T) {
	f, ctxs := sessionContexts(t)
	c := dialNewKey(t, f.addr, "gus")
	s1, in1, scr1 := openTerminal(t, c, 80, 24)
	defer s1.Close()
	scr1.waitFor(t, "hello gus 80x24")
	ctx1 := <-ctxs
	s2, scr2 := openPTY(t, c, 70, 20)
	defer s2.Close()
	scr2.waitFor(t, "hello gus 70x20")
	ctx2 := <-ctxs
	if ctx1.Value(keyChannel) == ctx2.Value(keyChannel) {
		t.Fatal("both sessions have the same channel")
	}
	if directOutput(t, ctx1) == directOutput(t, ctx2) {
		t.Fatal("both sessions have the same output")
	}

	scr1.resize(90, 30)
	if err := s1.WindowChange(30, 90); err != nil {
		t.Fatal(err)
	}
	scr1.waitFor(t, "hello gus 90x30")
	scr2.resize(60, 10)
	if err := s2.WindowChange(10, 60); err != nil {
		t.Fatal(err)
	}
	scr2.waitFor(t, "hello gus 60x10")
	for _, c := range []struct {
		scr  *screen
		not  []string
		name string
	}{{scr1, []string{"70x20", "60x10"}, "first"}, {scr2, []string{"80x24", "90x30"}, "second"}} {
		c.scr.mu.Lock()
		got := c.scr.buf.String()
		c.scr.mu.Unlock()
		for _, s := range c.not {
			if strings.Contains(got, s) {
				t.Errorf("the %s session shows the other's %s: %q", c.name, s, got)
			}
		}
	}

	if _, err := in1.Write([]byte{3}); err != nil { // ctrl+c: the first session ends
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- s1.Wait() }()
	select {
	case err := <-ended:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first session did not end")
	}
	scr2.resize(50, 12)
	if err := s2.WindowChange(12, 50); err != nil {
		t.Fatal(err)
	}
	scr2.waitFor(t, "hello gus 50x12")
}
