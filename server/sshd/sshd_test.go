package sshd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"cometterm/server/sshd/sshdtest"
	"cometterm/store"
)

// sizeModel is a minimal TUI at the seam: it shows who it is for and the
// size it was given, so tests can see logins and resizes arrive.
type sizeModel struct {
	uid  string
	w, h int
}

func (m sizeModel) Init() tea.Cmd { return nil }
func (m sizeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m sizeModel) View() tea.View {
	return tea.NewView(fmt.Sprintf("hello %s %dx%d", m.uid, m.w, m.h))
}

type fixture struct {
	addr string
	db   *store.DB
	srv  *Server
}

func start(t *testing.T, open bool, max int) *fixture {
	t.Helper()
	return startWith(t, open, max, 0, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		return sizeModel{uid: uid}, func() {}, nil
	})
}

func startWith(t *testing.T, open bool, max int, frame time.Duration, newSession SessionFunc) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{
		HostKeyPath:   filepath.Join(dir, "host_ed25519"),
		Open:          open,
		MaxSessions:   max,
		Accounts:      db,
		FrameInterval: frame,
		NewSession:    newSession,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		db.Close()
	})
	return &fixture{addr: ln.Addr().String(), db: db, srv: srv}
}

// dialNewKey logs in as user with a key of its own, closing the
// connection when the test ends.
func dialNewKey(t *testing.T, addr, user string) *gossh.Client {
	t.Helper()
	c, err := sshdtest.Dial(addr, user, gossh.PublicKeys(sshdtest.NewKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// screen collects a session's output, raw and drawn on a virtual
// terminal (the renderer sends only what changed, so text that is redrawn
// in place is only whole on a screen), and waits for text to appear.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
	emu *vt.Emulator
	ch  chan struct{}
}

func newScreen(r io.Reader, w, h int) *screen {
	s := &screen{ch: make(chan struct{}, 1), emu: vt.NewEmulator(w, h)}
	// The terminal's answers to queries are not needed: drop them, so
	// that the emulator never blocks writing one.
	go io.Copy(io.Discard, s.emu)
	go func() {
		defer s.emu.InputPipe().(io.Closer).Close()
		b := make([]byte, 4096)
		for {
			n, err := r.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.emu.Write(b[:n])
			s.mu.Unlock()
			select {
			case s.ch <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// resize follows a window change on the virtual terminal.
func (s *screen) resize(w, h int) {
	s.mu.Lock()
	s.emu.Resize(w, h)
	s.mu.Unlock()
}

func (s *screen) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		got, shown := s.buf.String(), s.emu.String()
		s.mu.Unlock()
		if strings.Contains(got, want) || strings.Contains(shown, want) {
			return
		}
		select {
		case <-s.ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %q; screen so far: %q (output %q)", want, shown, got)
		}
	}
}

func openPTY(t *testing.T, c *gossh.Client, w, h int) (*gossh.Session, *screen) {
	t.Helper()
	sess, _, scr := openTerminal(t, c, w, h)
	return sess, scr
}

// openTerminal opens a session with a PTY, whose keyboard is in.
func openTerminal(t *testing.T, c *gossh.Client, w, h int) (sess *gossh.Session, in io.WriteCloser, scr *screen) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := sess.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return sess, in, newScreen(io.MultiReader(out, errOut), w, h)
}

func TestKeyBoundOnFirstUseAndResize(t *testing.T) {
	f := start(t, false, 0)
	key := sshdtest.NewKey(t)
	c, err := sshdtest.Dial(f.addr, "Alice", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "hello alice 80x24")

	scr.resize(100, 30)
	if err := sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, "hello alice 100x30")

	// The SSH name became the display name; the key is bound.
	u, err := f.db.User(context.Background(), "alice", false)
	if err != nil || u.Name != "Alice" {
		t.Fatalf("user = %+v, %v", u, err)
	}
	keys, _ := f.db.SSHKeys(context.Background(), "alice")
	if len(keys) != 1 || keys[0] != gossh.FingerprintSHA256(key.PublicKey()) {
		t.Fatalf("bound keys = %v", keys)
	}

	// The same key logs in again; another key for alice is refused.
	c2, err := sshdtest.Dial(f.addr, "alice", gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("bound key refused: %v", err)
	}
	c2.Close()
	if c3, err := sshdtest.Dial(f.addr, "alice", gossh.PublicKeys(sshdtest.NewKey(t))); err == nil {
		c3.Close()
		t.Fatal("a second key for a bound uid was let in")
	}
}

func TestNoPTYIsRefusedWithMessage(t *testing.T) {
	f := start(t, false, 0)
	c := dialNewKey(t, f.addr, "bob")
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	if err == nil {
		t.Fatal("session without a PTY exited 0")
	}
	if !strings.Contains(string(out), "PTY") {
		t.Fatalf("output = %q", out)
	}
}

func TestInvalidUIDGetsAClearMessage(t *testing.T) {
	f := start(t, false, 0)
	c := dialNewKey(t, f.addr, "not.valid")
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "is not a valid user id")
	if keys, _ := f.db.SSHKeys(context.Background(), "not.valid"); len(keys) != 0 {
		t.Fatal("a key was bound to an invalid uid")
	}
}

func TestOpenModeLetsKeylessUsersIn(t *testing.T) {
	f := start(t, true, 0)
	noQuestions := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	c, err := sshdtest.Dial(f.addr, "carol", noQuestions)
	if err != nil {
		t.Fatalf("keyless login in open mode: %v", err)
	}
	sess, scr := openPTY(t, c, 80, 24)
	scr.waitFor(t, "hello carol 80x24")
	sess.Close()
	c.Close()

	// Once carol binds a key, keyless logins as carol stop working.
	key := sshdtest.NewKey(t)
	c, err = sshdtest.Dial(f.addr, "carol", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if c, err := sshdtest.Dial(f.addr, "carol", noQuestions); err == nil {
		c.Close()
		t.Fatal("keyless login allowed for a uid with a bound key")
	}

	// Without open mode there is no keyless way in.
	closed := start(t, false, 0)
	if c, err := sshdtest.Dial(closed.addr, "dave", noQuestions); err == nil {
		c.Close()
		t.Fatal("keyless login allowed without --ssh-open")
	}
}

func TestMaxSessions(t *testing.T) {
	f := start(t, false, 1)
	key := sshdtest.NewKey(t)
	c, err := sshdtest.Dial(f.addr, "erin", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s1, scr1 := openPTY(t, c, 80, 24)
	defer s1.Close()
	scr1.waitFor(t, "hello erin")

	s2, scr2 := openPTY(t, c, 80, 24)
	defer s2.Close()
	scr2.waitFor(t, "server is full")
	if f.srv.Active() != 1 {
		t.Fatalf("active = %d", f.srv.Active())
	}
}

// keysModel shows what input reaches it: keys, pastes and the terminal's
// background colour, which it asks for as the TUI does.
type keysModel struct {
	keys   []string
	pastes []string
	bg     string
}

func (m *keysModel) Init() tea.Cmd { return tea.RequestBackgroundColor }

func (m *keysModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		m.keys = append(m.keys, msg.String())
	case tea.PasteMsg:
		m.pastes = append(m.pastes, msg.Content)
	case tea.BackgroundColorMsg:
		m.bg = msg.String()
	}
	return m, nil
}

func (m *keysModel) View() tea.View {
	return tea.NewView(fmt.Sprintf("keys %s pastes %q bg %s.", strings.Join(m.keys, ","), m.pastes, m.bg))
}

func TestSSHKeysPasteAndBackgroundReachTheModel(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // after the server has shut down
	f := startWith(t, false, 0, 0, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		return &keysModel{}, func() {}, nil
	})
	c := dialNewKey(t, f.addr, "kim")
	sess, in, scr := openTerminal(t, c, 100, 10)
	defer sess.Close()
	scr.waitFor(t, "\x1b]11;?\x07") // the model's query, written by Bubble Tea
	for _, s := range []string{
		"h", "i", "\x1b", "[A", // an arrow cut in two writes
		"\x1b[200~one\rtwo 👍🏽", "\x1b[201~", // a paste over two writes
		"\x1b]11;rgb:ffff/ffff/ffff\x1b\\", // the terminal's answer
		"\r",
	} {
		if _, err := in.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	scr.waitFor(t, `keys h,i,up,enter pastes ["one\rtwo 👍🏽"] bg #ffffff.`)
	if _, err := in.Write([]byte("\x1b")); err != nil { // a lone ESC
		t.Fatal(err)
	}
	scr.waitFor(t, `keys h,i,up,enter,esc pastes`)

	// The session's input is read by one goroutine, without uv's reader.
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	if n := strings.Count(stacks, "sshd.readInput("); n != 1 || strings.Contains(stacks, "TerminalReader") {
		t.Errorf("%d goroutines in readInput, uv's reader running: %v", n, strings.Contains(stacks, "TerminalReader"))
	}
}
