package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"image/color"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/wire"
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
	if code != 200 {
		t.Fatalf("%s %s: %d %v", method, path, code, out)
	}
	return out
}

func newSSHKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sshDial connects and authenticates with every step bounded: the TCP
// dial and the SSH handshake share one deadline.
func sshDial(addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	cc, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return gossh.NewClient(cc, chans, reqs), nil
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
	bg   color.Color // the terminal's background; black when nil
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

	if err := sess.RequestPty("xterm-256color", o.h, o.w, gossh.TerminalModes{}); err != nil {
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
	c, err := sshDial(f.addr, uid, gossh.PublicKeys(newSSHKey(t)))
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
