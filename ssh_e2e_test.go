package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/wire"
	"cometterm/server/sshd/sshdtest"
)

// The tests in this file run `cometterm serve --ssh` as a child process and
// use it as people would: SSH clients with a PTY whose output is fed to a
// virtual terminal (so tests read the screen a person would see), and a
// WebSocket client through the client library.

var sshLine = regexp.MustCompile(`SSH\s+ssh -p (\d+) \S+@(\S+)`)

// startServeSSH runs serve with SSH on a free port and returns the process
// and the SSH address from its banner.
func startServeSSH(t *testing.T, dataDir string, extra ...string) (*serveProc, string) {
	t.Helper()
	args := append([]string{"serve", "--http", "127.0.0.1:0", "--ssh", "127.0.0.1:0", "--data", dataDir,
		"--app-id", testAppID, "--auth-key", testAuthKey, "--rest-api-key", testRESTKey,
		"--log", filepath.Join(dataDir, "log")}, extra...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type banner struct{ url, ssh string }
	found := make(chan banner, 1)
	go func() {
		var b banner
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := urlLine.FindStringSubmatch(sc.Text()); m != nil {
				b.url = m[1]
			}
			if m := sshLine.FindStringSubmatch(sc.Text()); m != nil {
				b.ssh = net.JoinHostPort(m[2], m[1])
			}
			if b.url != "" && b.ssh != "" {
				found <- b
				b = banner{}
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	select {
	case b := <-found:
		return &serveProc{cmd: cmd, url: b.url, out: &bytes.Buffer{}}, b.ssh
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not print its URL and SSH address")
	}
	return nil, ""
}

// mustAPI calls the REST API and fails the test on anything but 200.
func (p *serveProc) mustAPI(t *testing.T, method, path, onBehalfOf string, body any) map[string]any {
	t.Helper()
	code, out := p.api(t, method, path, onBehalfOf, body)
	if code != http.StatusOK {
		t.Fatalf("%s %s: %d %v", method, path, code, out)
	}
	return out
}

// sshTerm is one SSH session with a PTY, its output drawn on a virtual
// terminal. The terminal's answers to queries (background colour, cursor
// position, device attributes) go back to the server as a real terminal's
// would.
type sshTerm struct {
	t      *testing.T
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser

	mu      sync.Mutex
	emu     *vt.Emulator
	changed chan struct{}
	ended   chan struct{} // closed when the session's output ends

	wg sync.WaitGroup
}

type termOpts struct {
	w, h int
	bg   color.Color       // the terminal's background; black when nil
	term string            // TERM; xterm-256color when empty
	env  map[string]string // sent before the PTY request
}

// openTerm opens a session on c with a PTY of the given size and a shell.
func openTerm(t *testing.T, c *gossh.Client, o termOpts) *sshTerm {
	t.Helper()
	// Opening the session is bounded: a server that never answers a
	// channel request gets its connection closed, which fails the request.
	guard := time.AfterFunc(15*time.Second, func() { c.Close() })
	defer guard.Stop()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := sess.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	emu := vt.NewEmulator(o.w, o.h)
	if o.bg != nil {
		emu.SetDefaultBackgroundColor(o.bg)
	}
	st := &sshTerm{t: t, client: c, sess: sess, stdin: stdin, emu: emu,
		changed: make(chan struct{}, 1), ended: make(chan struct{})}

	// Output (stdout and stderr, as a terminal shows both) into the
	// emulator.
	var outs sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		outs.Add(1)
		st.wg.Add(1)
		go func() {
			defer st.wg.Done()
			defer outs.Done()
			buf := make([]byte, 32*1024)
			for {
				n, err := r.Read(buf)
				if n > 0 {
					st.mu.Lock()
					st.emu.Write(buf[:n])
					st.mu.Unlock()
					st.poke()
				}
				if err != nil {
					return
				}
			}
		}()
	}
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		outs.Wait()
		close(st.ended)
		st.poke()
	}()
	// The emulator's replies go back as keyboard input.
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		buf := make([]byte, 1024)
		for {
			n, err := emu.Read(buf)
			if n > 0 {
				stdin.Write(buf[:n]) // fails once the session is gone; keep draining
			}
			if err != nil {
				return
			}
		}
	}()

	for k, v := range o.env {
		if err := sess.Setenv(k, v); err != nil {
			st.close()
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if o.term == "" {
		o.term = "xterm-256color"
	}
	if err := sess.RequestPty(o.term, o.h, o.w, gossh.TerminalModes{}); err != nil {
		st.close()
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		st.close()
		t.Fatal(err)
	}
	t.Cleanup(st.close)
	return st
}

func (st *sshTerm) poke() {
	select {
	case st.changed <- struct{}{}:
	default:
	}
}

// close ends the session and waits for every goroutine of the terminal.
func (st *sshTerm) close() {
	st.sess.Close()
	st.client.Close()
	if pw, ok := st.emu.InputPipe().(io.Closer); ok {
		pw.Close()
	}
	st.wg.Wait()
}

// screen is the virtual terminal's text, one string per row.
func (st *sshTerm) screen() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	h := st.emu.Height()
	rows := make([]string, h)
	w := st.emu.Width()
	var b strings.Builder
	for y := range h {
		b.Reset()
		for x := 0; x < w; x++ {
			c := st.emu.CellAt(x, y)
			if c == nil {
				b.WriteByte(' ')
				continue
			}
			if c.Width == 0 {
				continue // the tail of a wide character
			}
			if c.Content == "" {
				b.WriteByte(' ')
			} else {
				b.WriteString(c.Content)
			}
		}
		rows[y] = strings.TrimRight(b.String(), " ")
	}
	return rows
}

// fgOf is the foreground colour of the first cell of text on the screen,
// or nil if the text is not there.
func (st *sshTerm) fgOf(text string) color.Color {
	st.mu.Lock()
	defer st.mu.Unlock()
	want := []rune(text)
	w, h := st.emu.Width(), st.emu.Height()
	for y := range h {
		for x := 0; x+len(want) <= w; x++ {
			match := true
			for i, r := range want {
				c := st.emu.CellAt(x+i, y)
				if c == nil || c.Content != string(r) {
					match = false
					break
				}
			}
			if match {
				return st.emu.CellAt(x, y).Style.Fg
			}
		}
	}
	return nil
}

// kindOf names how a colour was sent: 24-bit, 256-colour or 16-colour.
func kindOf(c color.Color) string {
	switch c.(type) {
	case color.RGBA:
		return "rgb"
	case ansi.IndexedColor:
		return "indexed"
	case ansi.BasicColor:
		return "basic"
	}
	return fmt.Sprintf("%T", c)
}

// waitScreen waits until ok accepts the screen, failing with the last
// screen at the deadline.
func (st *sshTerm) waitScreen(what string, timeout time.Duration, ok func(rows []string) bool) []string {
	st.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		rows := st.screen()
		if ok(rows) {
			return rows
		}
		select {
		case <-st.changed:
		case <-st.ended:
			rows = st.screen()
			if ok(rows) {
				return rows
			}
			st.t.Fatalf("session ended while waiting for %s; screen:\n%s", what, strings.Join(rows, "\n"))
		case <-deadline.C:
			st.t.Fatalf("timed out waiting for %s; screen:\n%s", what, strings.Join(st.screen(), "\n"))
		}
	}
}

func (st *sshTerm) waitText(text string) []string {
	st.t.Helper()
	return st.waitScreen(fmt.Sprintf("%q on screen", text), 15*time.Second, func(rows []string) bool {
		return strings.Contains(strings.Join(rows, "\n"), text)
	})
}

// keys types into the session as a person would.
func (st *sshTerm) keys(s string) {
	st.t.Helper()
	if _, err := io.WriteString(st.stdin, s); err != nil {
		st.t.Fatalf("typing %q: %v", s, err)
	}
}

// resize changes the window on both ends, as a terminal window does.
func (st *sshTerm) resize(w, h int) {
	st.t.Helper()
	st.mu.Lock()
	st.emu.Resize(w, h)
	st.mu.Unlock()
	if err := st.sess.WindowChange(h, w); err != nil {
		st.t.Fatal(err)
	}
}

// wsUser is a WebSocket client through the client library, with every
// event it received kept for the test to wait on.
type wsUser struct {
	t *testing.T
	c *client.Client

	mu      sync.Mutex
	events  []chat.Event
	changed chan struct{}
	done    chan struct{}
}

func loginWS(t *testing.T, p *serveProc, uid string) *wsUser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := client.Login(ctx, client.Config{
		ServerURL: p.url, AppID: testAppID, UID: uid, AuthKey: testAuthKey,
		PresenceSubscription: wire.SubscribeAllUsers,
	})
	if err != nil {
		t.Fatalf("websocket login as %s: %v", uid, err)
	}
	u := &wsUser{t: t, c: c, changed: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(u.done)
		for ev := range c.Events() {
			u.mu.Lock()
			u.events = append(u.events, ev)
			u.mu.Unlock()
			select {
			case u.changed <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		c.Close()
		<-u.done
	})
	return u
}

// waitEvent waits for an event that ok accepts.
func (u *wsUser) waitEvent(what string, timeout time.Duration, ok func(chat.Event) bool) chat.Event {
	u.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		u.mu.Lock()
		evs := u.events[seen:]
		seen = len(u.events)
		u.mu.Unlock()
		for _, ev := range evs {
			if ok(ev) {
				return ev
			}
		}
		select {
		case <-u.changed:
		case <-deadline.C:
			u.mu.Lock()
			var kinds []string
			for _, ev := range u.events {
				kinds = append(kinds, fmt.Sprintf("%T", ev))
			}
			u.mu.Unlock()
			u.t.Fatalf("timed out waiting for %s; events so far: %v", what, kinds)
		}
	}
}

// waitWS waits until the client's socket is connected.
func (u *wsUser) waitConnected() {
	u.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for u.c.Status() != chat.ConnConnected {
		if time.Now().After(deadline) {
			u.t.Fatalf("websocket never connected (status %v)", u.c.Status())
		}
		select {
		case <-u.changed:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// chatFixture is a server with three users: alice and bob come in over
// SSH, carol over WebSocket; carol owns the group crew with both in it.
type chatFixture struct {
	p     *serveProc
	addr  string
	carol *wsUser
	nonce string
}

func newChatFixture(t *testing.T) *chatFixture {
	t.Helper()
	p, addr := startServeSSH(t, t.TempDir())
	for _, u := range []string{"alice", "bob", "carol"} {
		p.mustAPI(t, "POST", "/v3/users", "", map[string]any{"uid": u, "name": strings.ToUpper(u[:1]) + u[1:]})
	}
	p.mustAPI(t, "POST", "/v3/groups", "", map[string]any{"guid": "crew", "name": "Crew", "type": "public", "owner": "carol"})
	p.mustAPI(t, "POST", "/v3/groups/crew/members", "", map[string]any{"participants": []string{"alice", "bob"}})
	carol := loginWS(t, p, "carol")
	carol.waitConnected()
	return &chatFixture{p: p, addr: addr, carol: carol, nonce: fmt.Sprintf("%04d", time.Now().UnixNano()%10000)}
}

// ssh logs uid in with a fresh key and opens a 100x30 terminal.
func (f *chatFixture) ssh(t *testing.T, uid string) *sshTerm {
	t.Helper()
	c, err := sshdtest.Dial(f.addr, uid, gossh.PublicKeys(sshdtest.NewKey(t)))
	if err != nil {
		t.Fatalf("ssh as %s: %v", uid, err)
	}
	st := openTerm(t, c, termOpts{w: 100, h: 30})
	st.waitText("connected")
	return st
}

func (f *chatFixture) send(t *testing.T, to string, rt chat.ReceiverType, text string) chat.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := f.carol.c.SendText(ctx, to, rt, text)
	if err != nil {
		t.Fatalf("carol sends %q: %v", text, err)
	}
	return m
}

// open focuses the conversation list, filters it to name and opens the
// match, then waits for the conversation's header.
func (st *sshTerm) open(name string) {
	st.t.Helper()
	// The list loads once connected; keys typed before it arrives would
	// filter an empty list and open nothing.
	st.waitScreen(name+" in the conversation list", 15*time.Second, func(rows []string) bool {
		for _, r := range rows[min(2, len(rows)):] {
			if left, _, ok := strings.Cut(r, "│"); ok && strings.Contains(left, name) {
				return true
			}
		}
		return false
	})
	st.keys("\t/\x15" + strings.ToLower(name) + "\r") // ctrl+u clears an earlier filter
	st.waitScreen("the "+name+" conversation open", 15*time.Second, func(rows []string) bool {
		return strings.Contains(header(rows), name)
	})
}

// header is the conversation header: the second row right of the list.
func header(rows []string) string {
	if len(rows) < 2 {
		return ""
	}
	_, right, _ := strings.Cut(rows[1], "│")
	return right
}

// rowWith is the first row containing text, or "".
func rowWith(rows []string, text string) string {
	for _, r := range rows {
		if strings.Contains(r, text) {
			return r
		}
	}
	return ""
}

func isRead(by string, id chat.ID) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		r, ok := ev.(chat.ReceiptReceived)
		return ok && r.Receipt.Type == chat.ReceiptRead && r.By != nil && r.By.UID == by && r.Receipt.MessageID == id
	}
}

func isTyping(by, receiver string, rt chat.ReceiverType) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		ty, ok := ev.(chat.TypingStarted)
		return ok && ty.Typing.Sender.UID == by && ty.Typing.Receiver == receiver && ty.Typing.ReceiverType == rt
	}
}

func isText(from, receiver string, rt chat.ReceiverType, text string) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		m, ok := ev.(chat.MessageReceived)
		return ok && m.Message.Sender == from && m.Message.Receiver == receiver && m.Message.ReceiverType == rt && m.Message.Data.Text == text
	}
}

// TestSSHChatWithWebSocketClient: two SSH users and a WebSocket user talk
// in a group and one to one, and each sees the others' typing, messages
// and receipts through the same real-time path.
func TestSSHChatWithWebSocketClient(t *testing.T) {
	f := newChatFixture(t)
	carol := f.carol
	welcome := f.send(t, "crew", chat.ReceiverGroup, "welcome aboard "+f.nonce)
	psst := f.send(t, "alice", chat.ReceiverUser, "psst alice "+f.nonce)

	alice := f.ssh(t, "alice")
	bob := f.ssh(t, "bob")
	alice.waitText("psst alice")
	bob.waitText("welcome aboa")

	// Opening the group reads carol's message: carol gets the receipt.
	alice.open("Crew")
	alice.waitText("welcome aboard " + f.nonce)
	carol.waitEvent("alice's read receipt in the group", 15*time.Second, isRead("alice", welcome.ID))
	bob.open("Crew")
	carol.waitEvent("bob's read receipt in the group", 15*time.Second, isRead("bob", welcome.ID))

	// alice types: carol gets typing, bob sees it on his screen; Enter
	// sends, and both get the message.
	hello := "hello crew " + f.nonce
	alice.keys(hello)
	carol.waitEvent("alice typing in the group", 15*time.Second, isTyping("alice", "crew", chat.ReceiverGroup))
	bob.waitText("Alice is typing")
	alice.keys("\r")
	carol.waitEvent("alice's message in the group", 15*time.Second, isText("alice", "crew", chat.ReceiverGroup, hello))
	bob.waitScreen("alice's message on bob's screen", 15*time.Second, func(rows []string) bool {
		r := rowWith(rows, hello)
		return strings.Contains(r, "Alice") && !strings.Contains(header(rows), "typing")
	})
	alice.waitText(hello)

	// carol's message reaches both screens.
	fromWS := "from the socket " + f.nonce
	f.send(t, "crew", chat.ReceiverGroup, fromWS)
	alice.waitText(fromWS)
	bob.waitText(fromWS)

	// One to one: alice opens carol's conversation (a read receipt for
	// carol), types (carol sees typing to her), sends, and carol answers.
	alice.open("Carol")
	alice.waitText("psst alice " + f.nonce)
	carol.waitEvent("alice's read receipt one to one", 15*time.Second, isRead("alice", psst.ID))
	hi := "hi carol " + f.nonce
	alice.keys(hi)
	carol.waitEvent("alice typing to carol", 15*time.Second, isTyping("alice", "carol", chat.ReceiverUser))
	alice.keys("\r")
	sent := carol.waitEvent("alice's direct message", 15*time.Second, isText("alice", "carol", chat.ReceiverUser, hi)).(chat.MessageReceived)
	answer := "got it " + f.nonce
	f.send(t, "alice", chat.ReceiverUser, answer)
	alice.waitText(answer)

	// carol reading alice's message shows on alice's screen as read.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := carol.c.MarkRead(ctx, sent.Message); err != nil {
		t.Fatal(err)
	}
	alice.waitScreen("alice's message marked read", 15*time.Second, func(rows []string) bool {
		return strings.Contains(rowWith(rows, hi), "read")
	})
	// bob never saw the direct messages.
	for _, r := range bob.screen() {
		if strings.Contains(r, hi) || strings.Contains(r, answer) {
			t.Fatalf("bob's screen shows a direct message between alice and carol: %q", r)
		}
	}
}

// TestSSHKeysAndRefusals: the first key binds a UID; another key for it is
// refused; a session without a PTY and an invalid user name are told why;
// without --ssh-open there is no keyless way in.
func TestSSHKeysAndRefusals(t *testing.T) {
	f := newChatFixture(t)
	key := sshdtest.NewKey(t)

	c, err := sshdtest.Dial(f.addr, "alice", gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("first login binds the key: %v", err)
	}
	st := openTerm(t, c, termOpts{w: 100, h: 30})
	st.waitText("Alice (alice)")
	st.close()

	if c, err := sshdtest.Dial(f.addr, "alice", gossh.PublicKeys(sshdtest.NewKey(t))); err == nil {
		c.Close()
		t.Fatal("a second key for a bound uid was let in")
	} else if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("second key: unexpected error %v", err)
	}
	c, err = sshdtest.Dial(f.addr, "alice", gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("the bound key no longer logs in: %v", err)
	}
	c.Close()

	noQuestions := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	if c, err := sshdtest.Dial(f.addr, "bob", noQuestions); err == nil {
		c.Close()
		t.Fatal("keyless login allowed without --ssh-open")
	}

	// No PTY: the session says so and exits with status 1.
	c, err = sshdtest.Dial(f.addr, "bob", gossh.PublicKeys(sshdtest.NewKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// Separate buffers: two copiers reading into one bytes.Buffer race.
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err := <-waited:
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Fatalf("session without a PTY ended with %v, want exit status 1", err)
		}
	case <-time.After(15 * time.Second):
		c.Close()
		<-waited
		t.Fatal("session without a PTY did not end")
	}
	if out := stdout.String() + stderr.String(); !strings.Contains(out, "PTY") {
		t.Fatalf("session without a PTY printed %q", out)
	}

	// An invalid user name: a clear message, then the session ends.
	c2, err := sshdtest.Dial(f.addr, "not.valid", gossh.PublicKeys(sshdtest.NewKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	bad := openTerm(t, c2, termOpts{w: 100, h: 30})
	bad.waitText(`"not.valid" is not a valid user id`)
	select {
	case <-bad.ended:
	case <-time.After(15 * time.Second):
		t.Fatal("the session of an invalid user name stayed open")
	}
	if code, _ := f.p.api(t, "GET", "/v3/users/not.valid", "", nil); code == 0 || code == http.StatusOK {
		t.Fatal("a user was created for an invalid name")
	}
}

// TestSSHResizeRelaysTheScreen: a window change re-lays out the TUI: the
// footer moves to the new last row, the status bar and composer span the
// new width, and a narrow window folds the list away.
func TestSSHResizeRelaysTheScreen(t *testing.T) {
	f := newChatFixture(t)
	f.send(t, "crew", chat.ReceiverGroup, "welcome aboard "+f.nonce)
	st := f.ssh(t, "alice")
	st.open("Crew")

	// layout finds the footer row and the composer's bottom border.
	layout := func(rows []string) (footer int, border string, ok bool) {
		footer = -1
		for i, r := range rows {
			if strings.Contains(r, "enter send") {
				footer = i
			}
			if strings.Contains(r, "╰") {
				border = r
			}
		}
		return footer, border, footer >= 0 && border != ""
	}
	check := func(w, h int, folded bool) {
		t.Helper()
		st.waitScreen(fmt.Sprintf("the layout at %dx%d", w, h), 15*time.Second, func(rows []string) bool {
			footer, border, ok := layout(rows)
			if !ok || footer != h-1 || len(rows) != h {
				return false
			}
			// The composer's right corner sits in the last column; the
			// status bar reaches it too.
			if !strings.HasSuffix(border, "╯") || ansiWidth(border) != w || ansiWidth(rows[0]) < w-2 {
				return false
			}
			return strings.Contains(border, "│") != folded
		})
	}
	check(100, 30, false)
	st.resize(130, 40)
	check(130, 40, false)
	st.resize(56, 20)
	check(56, 20, true)
	rows := st.screen()
	if !strings.Contains(strings.Join(rows, "\n"), "welcome aboard "+f.nonce) {
		t.Fatalf("the message is gone after the resize:\n%s", strings.Join(rows, "\n"))
	}
}

// ansiWidth is the width in cells of a screen row.
func ansiWidth(s string) int { return ansi.StringWidth(s) }

// TestSSHColourAndBackgroundPerSession: each session gets its own colour
// profile (from its TERM and COLORTERM) and its own theme (from the
// background its terminal reports), side by side on one server.
func TestSSHColourAndBackgroundPerSession(t *testing.T) {
	f := newChatFixture(t)
	f.send(t, "crew", chat.ReceiverGroup, "welcome aboard "+f.nonce)

	type session struct {
		name      string
		uid       string
		term      string
		env       map[string]string
		bg        color.Color
		colorKind string
	}
	sessions := []session{
		{name: "dark truecolor", uid: "alice", term: "xterm-256color", env: map[string]string{"COLORTERM": "truecolor"}, bg: color.Black, colorKind: "rgb"},
		{name: "light truecolor", uid: "bob", term: "xterm-256color", env: map[string]string{"COLORTERM": "truecolor"}, bg: color.White, colorKind: "rgb"},
		{name: "dark 256", uid: "dave", term: "xterm-256color", bg: color.Black, colorKind: "indexed"},
	}
	for _, s := range sessions {
		c, err := sshdtest.Dial(f.addr, s.uid, gossh.PublicKeys(sshdtest.NewKey(t)))
		if err != nil {
			t.Fatal(err)
		}
		st := openTerm(t, c, termOpts{w: 100, h: 30, bg: s.bg, term: s.term, env: s.env})
		st.waitText("connected")
		// The status bar's title is drawn in the theme's accent: light on
		// a dark terminal, dark on a light one, once the terminal has
		// answered the background query.
		darkBg := luminance(s.bg) < 0.5
		var fg color.Color
		st.waitScreen(s.name+": a title that stands out from the background", 15*time.Second, func(rows []string) bool {
			fg = st.fgOf("cometterm")
			return fg != nil && kindOf(fg) == s.colorKind && (luminance(fg) > 0.5) == darkBg
		})
		t.Logf("%s: title colour %v (%s, luminance %.2f)", s.name, fg, kindOf(fg), luminance(fg))
	}
}

// luminance is a colour's relative luminance, 0 (black) to 1 (white).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// SIGTERM with an SSH session open: the server ends the session itself
// (its programs do not take the server's signals) and exits cleanly and
// promptly.
func TestSSHSessionEndsWhenServerStops(t *testing.T) {
	f := newChatFixture(t)
	st := f.ssh(t, "alice")
	defer st.close()
	if err := f.p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	select {
	case <-st.ended:
	case <-time.After(15 * time.Second):
		t.Fatal("the SSH session did not end after SIGTERM")
	}
	// Ended by the server, not by its shutdown's 10 s deadline.
	if d := time.Since(stopped); d > 5*time.Second {
		t.Fatalf("the session ended %v after SIGTERM", d)
	}
	done := make(chan error, 1)
	go func() { done <- f.p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGTERM with a session open")
	}
	// Not held to the shutdown's 10 s deadline by the client's connection,
	// which stays open after its session.
	if d := time.Since(stopped); d > 5*time.Second {
		t.Fatalf("serve exited %v after SIGTERM", d)
	}
}
