package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// tokenPrefix starts every message token: Q and seven digits.
const (
	tokenPrefix = 'Q'
	tokenDigits = 7
)

func token(i int) string { return fmt.Sprintf("%c%0*d", tokenPrefix, tokenDigits, i) }

// session is one SSH session with a PTY whose output is drawn on a virtual
// terminal. While measuring, every frame is searched for tokens and the
// first time each is visible is recorded.
type session struct {
	uid    string
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	slow   time.Duration // a slow session reads 4 KiB this often

	mu      sync.Mutex
	emu     *vt.Emulator
	seen    []int64 // unix nanos each token was first visible; 0 if never
	rowBuf  []byte
	bytes   int64
	changed chan struct{}
	ended   chan struct{}

	measuring atomic.Bool
	wg        sync.WaitGroup
}

// dialSession logs in keyless as uid and opens a w×h PTY with a shell;
// every step is bounded by timeout.
func dialSession(ctx context.Context, addr, uid string, w, h int, slow time.Duration, tokens int, timeout time.Duration) (*session, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	noQuestions := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	cc, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User: uid, Auth: []gossh.AuthMethod{noQuestions}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("ssh %s: %w", uid, err)
	}
	client := gossh.NewClient(cc, chans, reqs)
	// Channel requests have no deadline of their own: close the
	// connection if they do not finish in time.
	guard := time.AfterFunc(timeout, func() { client.Close() })
	defer guard.Stop()
	fail := func(err error) (*session, error) {
		client.Close()
		return nil, fmt.Errorf("session %s: %w", uid, err)
	}
	sess, err := client.NewSession()
	if err != nil {
		return fail(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return fail(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return fail(err)
	}
	s := &session{uid: uid, client: client, sess: sess, stdin: stdin, slow: slow,
		emu: vt.NewEmulator(w, h), seen: make([]int64, tokens),
		changed: make(chan struct{}, 1), ended: make(chan struct{})}
	s.wg.Add(2)
	go s.readOutput(stdout)
	go s.answerQueries()
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		s.Close()
		return nil, fmt.Errorf("pty %s: %w", uid, err)
	}
	if err := sess.Shell(); err != nil {
		s.Close()
		return nil, fmt.Errorf("shell %s: %w", uid, err)
	}
	conn.SetDeadline(time.Time{})
	return s, nil
}

// frameEnd closes a synchronized update: the server wraps each frame in
// one.
var frameEnd = []byte(ansi.ResetModeSynchronizedOutput)

// readOutput feeds the session's output to the virtual terminal and, while
// measuring, records the tokens that became visible.
func (s *session) readOutput(r io.Reader) {
	defer s.wg.Done()
	defer close(s.ended)
	size := 32 * 1024
	if s.slow > 0 {
		size = 4 * 1024
	}
	buf := make([]byte, size)
	var tick *time.Ticker
	if s.slow > 0 {
		tick = time.NewTicker(s.slow)
		defer tick.Stop()
	}
	for {
		if tick != nil {
			<-tick.C // a slow terminal; Read fails once the session closes
		}
		n, err := r.Read(buf)
		if n > 0 {
			now := time.Now().UnixNano()
			s.mu.Lock()
			// Each frame is looked at, as a terminal could show each: a
			// read that a busy machine left to gather several frames must
			// not hide a message that one of them showed.
			for chunk := buf[:n]; len(chunk) > 0; {
				k := len(chunk)
				if i := bytes.Index(chunk, frameEnd); i >= 0 {
					k = i + len(frameEnd)
				}
				s.emu.Write(chunk[:k])
				if s.measuring.Load() {
					s.scan(now)
				}
				chunk = chunk[k:]
			}
			s.bytes += int64(n)
			s.mu.Unlock()
			select {
			case s.changed <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// answerQueries sends the terminal's answers (background colour, modes)
// back as input, as a real terminal does.
func (s *session) answerQueries() {
	defer s.wg.Done()
	buf := make([]byte, 1024)
	for {
		n, err := s.emu.Read(buf)
		if n > 0 {
			s.stdin.Write(buf[:n]) // fails once the session is gone
		}
		if err != nil {
			return
		}
	}
}

// scan records every token on the screen not seen before. Called with mu
// held. Only rows the terminal marked as changed since the last scan are
// read: a token becomes visible only by cells changing.
func (s *session) scan(now int64) {
	w, h := s.emu.Width(), s.emu.Height()
	touched := s.emu.Touched()
	for y := range h {
		if y >= len(touched) || touched[y] == nil {
			continue
		}
		touched[y] = nil
		row := s.rowBuf[:0]
		for x := range w {
			c := s.emu.CellAt(x, y)
			if c == nil || c.Content == "" {
				row = append(row, ' ')
				continue
			}
			row = append(row, c.Content...)
		}
		s.rowBuf = row
		for i := 0; i < len(row); i++ {
			if row[i] != tokenPrefix || i+1+tokenDigits > len(row) {
				continue
			}
			id, ok := 0, true
			for _, d := range row[i+1 : i+1+tokenDigits] {
				if d < '0' || d > '9' {
					ok = false
					break
				}
				id = id*10 + int(d-'0')
			}
			// A token cut short by an ellipsis is not counted.
			if end := i + 1 + tokenDigits; ok && (end == len(row) || row[end] < '0' || row[end] > '9') {
				if id < len(s.seen) && s.seen[id] == 0 {
					s.seen[id] = now
				}
				i = end - 1
			}
		}
	}
}

// screen is the visible text, one string per row.
func (s *session) screen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(s.emu.String(), "\n")
}

// waitScreen waits until ok accepts the screen.
func (s *session) waitScreen(ctx context.Context, what string, timeout time.Duration, ok func([]string) bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if ok(s.screen()) {
			return nil
		}
		select {
		case <-s.changed:
		case <-s.ended:
			if ok(s.screen()) {
				return nil
			}
			return fmt.Errorf("%s: session ended waiting for %s; screen:\n%s", s.uid, what, strings.Join(s.screen(), "\n"))
		case <-deadline.C:
			return fmt.Errorf("%s: timed out waiting for %s; screen:\n%s", s.uid, what, strings.Join(s.screen(), "\n"))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// openGroup waits for the chat, then opens the group through the
// conversation list's filter as a person would.
func (s *session) openGroup(ctx context.Context, name string, timeout time.Duration) error {
	if err := s.waitScreen(ctx, "the conversation list", timeout, func(rows []string) bool {
		all := strings.Join(rows, "\n")
		return strings.Contains(all, "connected") && strings.Contains(all, name)
	}); err != nil {
		return err
	}
	if _, err := io.WriteString(s.stdin, "\t/"+strings.ToLower(name)+"\r"); err != nil {
		return err
	}
	return s.waitScreen(ctx, "the group's header", timeout, func(rows []string) bool {
		return len(rows) > 1 && strings.Contains(rows[1], "# "+name+" ·")
	})
}

// seenAt is when token id was first visible (0: never).
func (s *session) seenAt(id int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[id]
}

func (s *session) outputBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// alive reports whether the session's output is still open.
func (s *session) alive() bool {
	select {
	case <-s.ended:
		return false
	default:
		return true
	}
}

// Close ends the session and waits for its goroutines.
func (s *session) Close() {
	s.sess.Close()
	s.client.Close()
	if pw, ok := s.emu.InputPipe().(io.Closer); ok {
		pw.Close()
	}
	s.wg.Wait()
}
