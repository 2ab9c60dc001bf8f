// Package clienttest runs a real cometterm server in the test process
// (SQLite in a temporary dir, the HTTP APIs and the WebSocket hub on a
// random 127.0.0.1 port) for tests of the client library and of what is
// built on it. It also offers the faults those tests inject: dropping
// every connection, restarting on the same data dir and port, and a TCP
// proxy that can swallow traffic.
package clienttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/server"
	"cometterm/server/realtime"
	"cometterm/store"
)

// AppID is the app every test server serves.
const AppID = "clienttest"

// Server is a running in-process server. Its fields change on Restart;
// read them from the test goroutine only.
type Server struct {
	URL     string // http://127.0.0.1:PORT
	Addr    string // 127.0.0.1:PORT
	AppID   string
	AuthKey string
	RESTKey string
	Store   *store.DB
	Hub     *realtime.Hub
	API     *server.Server

	t      testing.TB
	dir    string
	app    chat.App
	log    *slog.Logger
	http   *http.Server
	ln     *trackingListener
	served chan error
	wsIdle time.Duration
	admin  *http.Client
}

// Option adjusts the server before it starts.
type Option func(*settings)

type settings struct {
	log    *slog.Logger
	wsIdle time.Duration
}

// WithLogger logs the server's parts (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.log = l } }

// WithSocketIdle sets the hub's idle timeout.
func WithSocketIdle(d time.Duration) Option { return func(s *settings) { s.wsIdle = d } }

// Start runs a server for the rest of the test; it is stopped at cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	st := settings{log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&st)
	}
	s := &Server{
		t: t, dir: t.TempDir(), AppID: AppID, log: st.log,
		AuthKey: randomHex(t, 16), RESTKey: randomHex(t, 20),
		admin: &http.Client{Timeout: 10 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	s.app = chat.App{
		AppID: AppID, AuthKey: s.AuthKey, RESTKeyHash: server.HashKey(s.RESTKey),
		JWTSecret: []byte(randomHex(t, 32)), CreatedAt: time.Now().Unix(),
	}
	s.wsIdle = st.wsIdle
	if err := s.start("127.0.0.1:0", true); err != nil {
		t.Fatalf("clienttest: start: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("clienttest: random: %v", err)
	}
	return hex.EncodeToString(b)
}

func (s *Server) start(addr string, first bool) error {
	db, err := store.Open(filepath.Join(s.dir, "cometterm.db"))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	if first {
		if err := db.SaveApp(context.Background(), s.app); err != nil {
			db.Close()
			return fmt.Errorf("save app: %w", err)
		}
	}
	hub := realtime.New(db, realtime.Options{
		AppID: s.app.AppID, JWTSecret: s.app.JWTSecret, IdleTimeout: s.wsIdle,
		Logger: s.log.With("part", "realtime"),
	})
	api := server.New(db, s.app, hub, server.Options{
		WebSocket: hub, BcryptCost: 4, Logger: s.log.With("part", "http"),
	})
	ln, err := listen(addr)
	if err != nil {
		hub.Close()
		db.Close()
		return err
	}
	s.Store, s.Hub, s.API = db, hub, api
	s.ln = ln
	s.Addr = ln.Addr().String()
	s.URL = "http://" + s.Addr
	s.http = &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan error, 1)
	go func(h *http.Server, served chan<- error) { served <- h.Serve(ln) }(s.http, s.served)
	return nil
}

// listen binds addr; right after a stop the port can take a moment to be
// free again, so it retries briefly.
func listen(addr string) (*trackingListener, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return &trackingListener{Listener: ln, conns: map[net.Conn]struct{}{}}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("listen %s: %w", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts the server down: every connection is cut (as in a crash of
// the process, not a polite drain), then the hub and the store close.
// Stopping a stopped server does nothing.
func (s *Server) Stop() {
	if s.http == nil {
		return
	}
	_ = s.http.Close()
	s.ln.closeAll()
	if err := <-s.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.t.Errorf("clienttest: serve: %v", err)
	}
	if err := s.Hub.Close(); err != nil {
		s.t.Errorf("clienttest: close hub: %v", err)
	}
	if err := s.Store.Close(); err != nil {
		s.t.Errorf("clienttest: close store: %v", err)
	}
	s.admin.CloseIdleConnections()
	s.http = nil
}

// Restart stops the server and starts it again on the same data dir and
// the same port.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	if err := s.start(s.Addr, false); err != nil {
		s.t.Fatalf("clienttest: restart: %v", err)
	}
}

// DropConnections cuts every TCP connection the server has accepted
// (sockets and keep-alive HTTP alike) while it keeps serving.
func (s *Server) DropConnections() { s.ln.closeAll() }

// trackingListener remembers accepted connections so they can be cut.
type trackingListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

func (l *trackingListener) closeAll() {
	l.mu.Lock()
	all := make([]net.Conn, 0, len(l.conns))
	for c := range l.conns {
		all = append(all, c)
	}
	l.mu.Unlock()
	for _, c := range all {
		_ = c.Close()
	}
}

type trackedConn struct {
	net.Conn
	l    *trackingListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// CreateUser creates a user through the server REST API.
func (s *Server) CreateUser(t testing.TB, uid, name string) chat.User {
	t.Helper()
	var u chat.User
	s.Admin(t, "POST", "/users", map[string]any{"uid": uid, "name": name}, &u)
	return u
}

// Admin calls the server REST API (/v3) with the REST API key, failing
// the test on any error.
func (s *Server) Admin(t testing.TB, method, path string, body, out any) {
	t.Helper()
	if err := s.AdminCall(method, path, body, out); err != nil {
		t.Fatalf("clienttest: %s %s: %v", method, path, err)
	}
}

// AdminCall calls the server REST API and returns its error, a
// *chat.Error for error bodies.
func (s *Server) AdminCall(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+"/v3"+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("apikey", s.RESTKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.admin.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Data  json.RawMessage `json:"data"`
		Error *chat.Error     `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if env.Error != nil {
		return env.Error
	}
	if out != nil {
		return json.Unmarshal(env.Data, out)
	}
	return nil
}

// Config is a client configuration that logs uid in to this server with
// the Auth Key, with keepalive and backoff short enough for tests.
func (s *Server) Config(uid string) client.Config {
	return client.Config{
		ServerURL:    s.URL,
		AppID:        s.AppID,
		UID:          uid,
		AuthKey:      s.AuthKey,
		PingInterval: 300 * time.Millisecond,
		PongTimeout:  300 * time.Millisecond,
		ReconnectMin: 50 * time.Millisecond,
		ReconnectMax: 400 * time.Millisecond,
	}
}
