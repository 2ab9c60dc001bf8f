package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server/memconn"
	"cometterm/server/token"
	"cometterm/store"
)

const (
	testApp  = "testapp"
	waitFor  = 15 * time.Second
	maxFrame = 1 << 20
)

var testSecret = []byte("test-secret-0123456789abcdef")

// env is a hub on a real SQLite store behind a real HTTP server.
type env struct {
	t   *testing.T
	db  *store.DB
	hub *Hub
	srv *httptest.Server
	url string
	log *logBuffer
	seq atomic.Int64
	// mem, when set, is the in-process listener the hub is served on
	// instead of loopback TCP (newMemoryEnv).
	mem *memconn.Listener
}

func newEnv(t *testing.T, tune ...func(*Options)) *env {
	t.Helper()
	return newEnvOn(t, nil, tune...)
}

// newMemoryEnv serves the hub on in-process connections of bufSize bytes
// each way, as the server does for its SSH sessions' clients.
func newMemoryEnv(t *testing.T, bufSize int, tune ...func(*Options)) *env {
	t.Helper()
	return newEnvOn(t, memconn.Listen("hub.test:80", bufSize), tune...)
}

func newEnvOn(t *testing.T, mem *memconn.Listener, tune ...func(*Options)) *env {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs last
	db, err := store.Open(filepath.Join(t.TempDir(), "chat.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	lb := &logBuffer{}
	opts := Options{
		AppID:     testApp,
		JWTSecret: testSecret,
		Logger:    slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range tune {
		f(&opts)
	}
	hub := New(db, opts)
	srv := httptest.NewUnstartedServer(hub)
	srv.Config.ConnContext = ConnContext
	srv.Start()
	e := &env{t: t, db: db, hub: hub, srv: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http"), log: lb, mem: mem}
	if mem != nil {
		served := make(chan struct{})
		go func() {
			defer close(served)
			_ = srv.Config.Serve(mem)
		}()
		e.url = "ws://hub.test/"
		t.Cleanup(func() {
			mem.Close()
			<-served
		})
	}
	t.Cleanup(func() {
		if err := hub.Close(); err != nil {
			t.Errorf("hub close: %v", err)
		}
		srv.Close()
		if err := db.Close(); err != nil {
			t.Errorf("store close: %v", err)
		}
	})
	return e
}

func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	e.t.Cleanup(cancel)
	return ctx
}

func (e *env) user(uid, role string) chat.User {
	e.t.Helper()
	u, err := e.db.CreateUser(e.ctx(), chat.User{UID: uid, Name: strings.ToUpper(uid[:1]) + uid[1:], Role: role, CreatedAt: time.Now().Unix()})
	if err != nil {
		e.t.Fatalf("create user %s: %v", uid, err)
	}
	return u
}

// group creates a public group owned by owner with the other members.
func (e *env) group(guid, owner string, members ...string) {
	e.t.Helper()
	now := time.Now().Unix()
	if _, err := e.db.CreateGroup(e.ctx(), chat.Group{GUID: guid, Name: guid, Type: chat.GroupPublic, Owner: owner, CreatedAt: now}, ""); err != nil {
		e.t.Fatalf("create group %s: %v", guid, err)
	}
	for _, uid := range members {
		if _, _, err := e.db.AddMember(e.ctx(), guid, uid, chat.ScopeParticipant, owner, now); err != nil {
			e.t.Fatalf("add %s to %s: %v", uid, guid, err)
		}
	}
}

func (e *env) text(from, to string, rt chat.ReceiverType, text string) chat.Message {
	e.t.Helper()
	m, err := e.db.InsertMessage(e.ctx(), chat.Message{
		Sender: from, Receiver: to, ReceiverType: rt, Category: chat.CategoryMessage,
		Type: chat.TypeText, Data: chat.MessageData{Text: text}, SentAt: time.Now().Unix(),
	})
	if err != nil {
		e.t.Fatalf("insert message: %v", err)
	}
	return m
}

func (e *env) jwt(uid string) string {
	e.t.Helper()
	s, err := token.Mint(testSecret, testApp, uid, "", time.Now(), time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// barrier publishes a 1:1 message to c that is not stored: everything the
// hub queued for c before it arrives first.
func (e *env) barrier(c *client) string {
	text := fmt.Sprintf("barrier-%d", e.seq.Add(1))
	e.hub.PublishMessage(chat.Message{
		ID: chat.ID(1 << 40), Sender: "zz-barrier", Receiver: c.uid, ReceiverType: chat.ReceiverUser,
		Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: text},
	}, "barrier")
	return text
}

// noneBefore fails if c gets a frame matching bad before the barrier.
func (e *env) noneBefore(c *client, what string, bad func(inFrame) bool) {
	e.t.Helper()
	mark := e.barrier(c)
	for {
		f := c.next(e.t, "barrier", func(inFrame) bool { return true })
		if f.Type == wire.TypeMessage && f.message().Data.Text == mark {
			return
		}
		if bad(f) {
			e.t.Fatalf("%s: %s got unexpected frame %s", what, c.name(), f.raw)
		}
	}
}

// waitDevices waits until uid has n authenticated sockets.
func (e *env) waitDevices(uid string, n int) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for e.hub.devices(uid) != n {
		if time.Now().After(deadline) {
			e.t.Fatalf("%s never had %d sockets (has %d)", uid, n, e.hub.devices(uid))
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, bounded by the deadline
	}
}

// inFrame is a frame a test client received.
type inFrame struct {
	wire.Frame
	raw []byte
}

func (f inFrame) message() chat.Message {
	var m chat.Message
	_ = json.Unmarshal(f.Body, &m)
	return m
}

func (f inFrame) body(v any) {
	if err := json.Unmarshal(f.Body, v); err != nil {
		panic(fmt.Sprintf("decode body of %s: %v", f.raw, err))
	}
}

// client is a real coder/websocket client; a goroutine reads into frames.
type client struct {
	uid, device string
	ws          *websocket.Conn
	frames      chan inFrame
	backlog     []inFrame
	stop        chan struct{} // closed by the test's cleanup
	done        chan struct{}
	err         error // why reading stopped; set before done is closed
}

func (e *env) dialRaw() *websocket.Conn { return e.dialBuffered(0) }

// dialBuffered dials with the socket's kernel receive buffer set to rcvbuf
// bytes (0: the default), so that a client that stops reading fills up
// after little data.
func (e *env) dialBuffered(rcvbuf int) *websocket.Conn {
	e.t.Helper()
	var opts *websocket.DialOptions
	if e.mem != nil {
		tr := &http.Transport{DialContext: e.mem.DialContext}
		e.t.Cleanup(tr.CloseIdleConnections)
		opts = &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}}
	} else if rcvbuf > 0 {
		d := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			return errors.Join(err, serr)
		}}
		tr := &http.Transport{DialContext: d.DialContext}
		e.t.Cleanup(tr.CloseIdleConnections)
		opts = &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}}
	}
	ws, _, err := websocket.Dial(e.ctx(), e.url, opts)
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	ws.SetReadLimit(maxFrame)
	e.t.Cleanup(func() { ws.CloseNow() })
	return ws
}

func (e *env) open(uid, device string) *client {
	e.t.Helper()
	c := &client{uid: uid, device: device, ws: e.dialRaw(), frames: make(chan inFrame, 4096),
		stop: make(chan struct{}), done: make(chan struct{})}
	go c.read()
	e.t.Cleanup(func() {
		close(c.stop)
		c.ws.CloseNow()
		<-c.done
	})
	return c
}

func (c *client) read() {
	defer close(c.done)
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var f inFrame
		f.raw = data
		if err := json.Unmarshal(data, &f.Frame); err != nil {
			c.err = fmt.Errorf("client got malformed frame %q: %w", data, err)
			return
		}
		select {
		case c.frames <- f:
		case <-c.stop:
			c.err = errors.New("test over")
			return
		}
	}
}

func (c *client) name() string { return c.uid + "/" + c.device }

// connect opens a socket for uid and authenticates with sub and roles.
func (e *env) connect(uid, device, sub string, roles ...string) *client {
	e.t.Helper()
	c := e.open(uid, device)
	c.sendJSON(e.t, wire.Frame{AppID: testApp, DeviceID: device, Type: wire.TypeAuth, Sender: uid},
		wire.AuthBody{Auth: e.jwt(uid), DeviceID: device, PresenceSubscription: sub, Roles: roles})
	f := c.next(e.t, "auth reply", func(f inFrame) bool { return f.Type == wire.TypeAuth })
	var r wire.AuthReply
	f.body(&r)
	if r.Code != "200" || r.Status != "OK" || f.Sender != uid || f.DeviceID != device {
		e.t.Fatalf("auth of %s: %s", c.name(), f.raw)
	}
	return c
}

func (c *client) sendJSON(t *testing.T, f wire.Frame, body any) {
	t.Helper()
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		f.Body = raw
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	c.sendRaw(t, b)
}

func (c *client) sendRaw(t *testing.T, b []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatalf("%s write: %v", c.name(), err)
	}
}

// next returns the first frame (backlog first) that matches; others are
// kept in order for later calls.
func (c *client) next(t *testing.T, what string, match func(inFrame) bool) inFrame {
	t.Helper()
	for i, f := range c.backlog {
		if match(f) {
			c.backlog = append(c.backlog[:i:i], c.backlog[i+1:]...)
			return f
		}
	}
	timer := time.NewTimer(waitFor)
	defer timer.Stop()
	for {
		select {
		case f := <-c.frames:
			if match(f) {
				return f
			}
			c.backlog = append(c.backlog, f)
		case <-c.done:
			// Frames read before the socket ended are still in the channel.
			select {
			case f := <-c.frames:
				if match(f) {
					return f
				}
				c.backlog = append(c.backlog, f)
				continue
			default:
			}
			t.Fatalf("%s: socket ended waiting for %s: %v", c.name(), what, c.err)
		case <-timer.C:
			t.Fatalf("%s: no %s within %v", c.name(), what, waitFor)
		}
	}
}

func (c *client) nextType(t *testing.T, typ string) inFrame {
	t.Helper()
	return c.next(t, typ, func(f inFrame) bool { return f.Type == typ })
}

// sync sends a keepalive and waits for the pong: every frame the client
// sent before has been handled by the hub by then.
func (c *client) sync(t *testing.T) {
	t.Helper()
	c.sendRaw(t, []byte(`{"action":"ping","ack":"true"}`))
	c.next(t, "pong", func(f inFrame) bool { return f.Action == wire.ActionPong })
}

// closed waits for the socket to end and returns the close status and
// reason the server sent.
func (c *client) closed(t *testing.T) (websocket.StatusCode, string) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(waitFor):
		t.Fatalf("%s: still open after %v", c.name(), waitFor)
	}
	var ce websocket.CloseError
	if errors.As(c.err, &ce) {
		return ce.Code, ce.Reason
	}
	return -1, c.err.Error()
}

// logBuffer collects the hub's log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.buf.String(), s)
}

// waitLog waits for a log line containing s.
func (e *env) waitLog(s string) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for !e.log.has(s) {
		if time.Now().After(deadline) {
			e.t.Fatalf("log never said %q; log:\n%s", s, e.log.String())
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, bounded by the deadline
	}
}
