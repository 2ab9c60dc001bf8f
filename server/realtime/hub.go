package realtime

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Hub owns every WebSocket connection of the app.
type Hub struct {
	dir  Directory
	opts Options
	log  *slog.Logger

	// ctx is cancelled by Close after the grace period: it cuts every
	// socket that has not closed politely.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.RWMutex
	closed bool
	conns  map[*conn]struct{} // every live socket
	users  map[string][]*conn // authenticated sockets by uid (slices: fan-out iterates them)
	// listening counts authenticated sockets with a presence subscription:
	// with none, presence changes cost nothing.
	listening int

	out *outbox
	// directWrites counts frames written by their sender rather than a
	// socket's writer goroutine (in-process sockets with room).
	directWrites atomic.Int64

	start        time.Time     // origin of clock
	stopWatchdog chan struct{} // closed by Close
	watchdogDone chan struct{}

	// presenceMu orders online/offline transitions and their fan-out, so
	// a subscriber never sees "offline" overtake the "online" before it.
	presenceMu sync.Mutex
}

// New returns a hub that answers to app opts.AppID and trusts JWTs signed
// with opts.JWTSecret.
func New(dir Directory, opts Options) *Hub {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{
		dir:    dir,
		opts:   opts,
		log:    opts.Logger.With("component", "realtime"),
		ctx:    ctx,
		cancel: cancel,
		conns:  make(map[*conn]struct{}),
		users:  make(map[string][]*conn),
		out:    newOutbox(),

		start:        time.Now(),
		stopWatchdog: make(chan struct{}),
		watchdogDone: make(chan struct{}),
	}
	go h.out.run(func(f fanout) { h.deliver(f.uids, f.frame, nil) })
	go h.watchdog()
	return h
}

// ServeHTTP upgrades the request and serves the socket until it closes.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	h.wg.Add(1)
	h.mu.Unlock()
	defer h.wg.Done()

	var c *conn
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// The SDK runs in browsers on any origin; the JWT is the credential.
		InsecureSkipVerify: true,
		// A protocol-level ping is traffic too.
		OnPingReceived: func(context.Context, []byte) bool {
			c.touch()
			return true
		},
	})
	if err != nil {
		h.log.Debug("websocket accept failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	ws.SetReadLimit(h.opts.ReadLimit)
	c = newConn(h, ws)
	c.space = spaceOf(r)

	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		c.idle.Stop()
		c.cancel()
		_ = ws.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	h.conns[c] = struct{}{}
	h.wg.Add(1)
	h.mu.Unlock()

	go func() {
		defer h.wg.Done()
		c.writeLoop()
	}()
	c.serve()
}

// Online reports whether uid has at least one authenticated socket.
func (h *Hub) Online(uid string) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.users[uid]) > 0
}

// devices counts uid's authenticated sockets.
func (h *Hub) devices(uid string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.users[uid])
}

// CloseUser closes every socket of uid (logout, token flush, deactivation).
func (h *Hub) CloseUser(uid, reason string) {
	reason = clip(reason, maxReason)
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, c := range h.users[uid] {
		c.kill(websocket.StatusPolicyViolation, reason)
	}
}

// CloseSession closes the sockets of uid that logged in with the auth
// token whose SHA-256 is tokenHash (a logout or a revoked token), with a
// normal closure: the user's other devices stay connected.
func (h *Hub) CloseSession(uid, tokenHash, reason string) {
	reason = clip(reason, maxReason)
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, c := range h.users[uid] {
		if c.tokenHash == tokenHash {
			c.kill(websocket.StatusNormalClosure, reason)
		}
	}
}

// Close closes every connection (politely, then hard after WriteTimeout)
// and returns once every goroutine of the hub has ended.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	all := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		all = append(all, c)
	}
	h.mu.Unlock()
	h.out.close() // outside mu: a delivery in progress needs it
	close(h.stopWatchdog)
	<-h.watchdogDone

	for _, c := range all {
		c.kill(websocket.StatusGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	// Every close is bounded by WriteTimeout (closeSocket); the cancel is
	// the backstop for a socket still stuck in a read.
	grace := time.NewTimer(h.opts.WriteTimeout)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		h.cancel()
		<-done
	}
	h.cancel()
	return nil
}

// register makes an authenticated conn reachable, queues its auth reply
// and announces the user online if it is their first device. The reply is
// queued under the registry lock: it comes before any fan-out, and once
// the client has it the socket is reachable.
func (h *Hub) register(c *conn, reply []byte) bool {
	h.presenceMu.Lock()
	defer h.presenceMu.Unlock()
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return false
	}
	first := len(h.users[c.uid]) == 0
	h.users[c.uid] = append(h.users[c.uid], c)
	if c.sub.mode != "" {
		h.listening++
	}
	c.send(reply)
	online := len(h.users)
	h.mu.Unlock()
	if first {
		h.announcePresence(c, true, online)
	}
	return true
}

// unregister forgets c and, when it was the user's last device, records
// lastActiveAt and announces the user offline.
func (h *Hub) unregister(c *conn) {
	h.presenceMu.Lock()
	defer h.presenceMu.Unlock()
	h.mu.Lock()
	delete(h.conns, c)
	last := false
	if set := h.users[c.uid]; len(set) > 0 {
		if i := slices.Index(set, c); i >= 0 {
			set = slices.Delete(set, i, i+1)
			if c.sub.mode != "" {
				h.listening--
			}
			if len(set) == 0 {
				delete(h.users, c.uid)
				last = true
			} else {
				h.users[c.uid] = set
			}
		}
	}
	online := len(h.users)
	h.mu.Unlock()
	if last {
		h.announcePresence(c, false, online)
	}
}
