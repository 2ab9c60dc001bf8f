package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// runner is one connection lifecycle: from Connect (or login in auto
// mode) to Disconnect, Close or a permanent failure. Its goroutine owns
// the socket; reconnects happen inside it.
type runner struct {
	cancel context.CancelFunc
	ready  chan struct{} // closed once authenticated and caught up
	done   chan struct{} // closed when the goroutine has exited
	err    error         // why it gave up; written before done is closed

	// Set by stopRun under Client.mu: how to close the socket.
	closeCode   websocket.StatusCode
	closeReason string
	readyOnce   sync.Once

	// finished is set under Client.mu once the loop has given up, before
	// its last event: a Connect from then on must start a new runner
	// rather than report this one's old readiness.
	finished bool
}

// permanentError stops reconnecting: our credentials were refused.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

var errPongTimeout = errors.New("no pong within the timeout")

func (c *Client) startRun() (*runner, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.run != nil && c.run.finished && !c.closed {
		old := c.run
		c.mu.Unlock()
		<-old.done // it detaches itself on the way out
		c.mu.Lock()
	}
	if c.closed {
		return nil, ErrClosed
	}
	if c.run != nil {
		return c.run, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
	c.run = r
	go c.loop(ctx, r)
	return r, nil
}

func (c *Client) stopRun(code websocket.StatusCode, reason string) {
	c.mu.Lock()
	r := c.run
	c.run = nil
	if r != nil {
		r.closeCode, r.closeReason = code, reason
	}
	c.mu.Unlock()
	if r != nil {
		r.cancel()
		<-r.done
	}
}

// loop connects, and reconnects with backoff until stopped or refused.
func (c *Client) loop(ctx context.Context, r *runner) {
	defer func() {
		c.mu.Lock()
		if c.run == r {
			c.run = nil
		}
		c.mu.Unlock()
		close(r.done)
	}()
	attempt := 0
	var lastErr error
	for {
		c.statusEvent(ctx.Done(), chat.ConnectionChanged{Status: chat.ConnConnecting, Attempt: attempt, Err: lastErr})
		authed, err := c.runSocket(ctx, r)
		if ctx.Err() != nil {
			break
		}
		if authed {
			attempt = 0
		}
		lastErr = err
		var perm *permanentError
		if errors.As(err, &perm) {
			r.err = perm.err
			c.cfg.Logger.Warn("connection refused for good", "err", err)
			break
		}
		attempt++
		wait := c.backoff.delay(attempt)
		c.cfg.Logger.Info("connection lost", "err", err, "attempt", attempt, "retry_in", wait)
		c.statusEvent(ctx.Done(), chat.ConnectionChanged{Status: chat.ConnDisconnected, Attempt: attempt, RetryIn: wait, Err: err})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		if ctx.Err() != nil {
			break
		}
	}
	c.mu.Lock()
	r.finished = true
	c.mu.Unlock()
	c.statusEvent(ctx.Done(), chat.ConnectionChanged{Status: chat.ConnDisconnected, Err: r.err})
}

// handshakeTimeout bounds dial and auth: a server that answers nothing
// within a keepalive period is as good as down.
func (c *Client) handshakeTimeout() time.Duration {
	return max(c.cfg.PingInterval+c.cfg.PongTimeout, 2*time.Second)
}

// runSocket runs one socket from dial to failure. authed reports whether it
// got as far as an authenticated, caught-up connection.
func (c *Client) runSocket(ctx context.Context, r *runner) (authed bool, err error) {
	c.mu.Lock()
	due := !c.cfg.Now().Before(c.jwtRefresh)
	c.mu.Unlock()
	if due {
		if err := c.refreshJWT(ctx); err != nil {
			return false, classify(err)
		}
	}
	conn, early, err := c.handshake(ctx)
	if err != nil {
		return false, err
	}

	// The socket's own context is not ctx: a stop closes it gracefully
	// below instead of cutting it.
	connCtx, cancelConn := context.WithCancel(context.Background())
	in := &inbox{frames: make(chan []byte, 256), live: make(chan struct{}), drained: make(chan struct{})}
	failed := make(chan error, 2)
	pong := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go c.readLoop(connCtx, conn, in, pong, failed, &wg)
	go c.keepalive(connCtx, conn, pong, failed, &wg)

	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.conn == conn { // a new Connect may already have its own
			c.conn = nil
		}
		code, reason := r.closeCode, r.closeReason
		c.mu.Unlock()
		if ctx.Err() != nil && code != 0 {
			_ = conn.Close(code, reason)
		} else {
			_ = conn.CloseNow()
		}
		cancelConn()
		wg.Wait()
	}()

	stop := ctx.Done()
	if err := c.catchUp(ctx, stop); err != nil {
		return false, classify(err)
	}
	for _, raw := range early {
		c.handleFrame(stop, raw)
	}
	// Connected means live: what was missed has been handed out already,
	// so everything after this event is a live frame.
	c.statusEvent(ctx.Done(), chat.ConnectionChanged{Status: chat.ConnConnected})
	r.readyOnce.Do(func() { close(r.ready) })
	close(in.live)

	refresh := time.NewTimer(c.untilRefresh())
	defer refresh.Stop()
	for {
		select {
		case <-ctx.Done():
			return true, nil
		case raw := <-in.frames:
			if raw == nil { // the reader takes over from here
				close(in.drained)
				continue
			}
			c.handleFrame(stop, raw)
		case err := <-failed:
			// Frames read before the failure are good: hand them out.
		drain:
			for {
				select {
				case raw := <-in.frames:
					if raw == nil {
						close(in.drained)
						continue
					}
					c.handleFrame(stop, raw)
				default:
					break drain
				}
			}
			return true, err
		case <-refresh.C:
			if err := c.refreshJWT(ctx); err != nil {
				if isAuthFailure(err) {
					return true, &permanentError{err}
				}
				c.cfg.Logger.Warn("jwt refresh failed", "err", err)
				refresh.Reset(time.Minute)
				continue
			}
			refresh.Reset(c.untilRefresh())
		}
	}
}

func (c *Client) untilRefresh() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return max(c.jwtRefresh.Sub(c.cfg.Now()), time.Second)
}

// classify marks refused credentials as permanent.
func classify(err error) error {
	if isAuthFailure(err) {
		return &permanentError{err}
	}
	return err
}

// handshake dials, authenticates and returns the socket plus any frames
// that arrived before the auth reply.
func (c *Client) handshake(ctx context.Context) (*websocket.Conn, [][]byte, error) {
	hctx, cancel := context.WithTimeout(ctx, c.handshakeTimeout())
	defer cancel()
	conn, _, err := websocket.Dial(hctx, c.wsURL, &websocket.DialOptions{HTTPClient: c.cfg.HTTPClient})
	if err != nil {
		return nil, nil, fmt.Errorf("dial %s: %w", c.wsURL, err)
	}
	conn.SetReadLimit(8 << 20)
	frame, shown, err := c.authFrame()
	if err != nil {
		_ = conn.CloseNow()
		return nil, nil, err
	}
	if err := conn.Write(hctx, websocket.MessageText, frame); err != nil {
		_ = conn.CloseNow()
		return nil, nil, fmt.Errorf("send auth: %w", err)
	}
	c.emit(ctx.Done(), chat.FrameSent{EventMeta: chat.EventMeta{At: c.cfg.Now(), Dir: chat.Outbound, Raw: shown, FrameType: wire.TypeAuth}})

	var early [][]byte
	for {
		_, raw, err := conn.Read(hctx)
		if err != nil {
			_ = conn.CloseNow()
			return nil, nil, fmt.Errorf("await auth reply: %w", err)
		}
		var f wire.Frame
		if json.Unmarshal(raw, &f) != nil || f.Type != wire.TypeAuth {
			if len(early) >= 256 {
				_ = conn.CloseNow()
				return nil, nil, fmt.Errorf("await auth reply: too many frames before it")
			}
			early = append(early, raw)
			continue
		}
		reply := parseAuthReply(f.Body)
		c.emit(ctx.Done(), chat.FrameIgnored{EventMeta: chat.EventMeta{At: c.cfg.Now(), Dir: chat.Inbound, Raw: raw, FrameType: wire.TypeAuth},
			Reason: "authentication reply " + reply.Code + " " + reply.Status})
		if reply.Code == "200" {
			return conn, early, nil
		}
		_ = conn.Close(websocket.StatusNormalClosure, "auth rejected")
		rejected := fmt.Errorf("auth rejected: %s %s %s", reply.Code, reply.Status, reply.Message)
		// The JWT may have expired or been revoked: a fresh one fixes the
		// first; failing to get one means the auth token is gone.
		if err := c.refreshJWT(ctx); err != nil {
			return nil, nil, classify(fmt.Errorf("%w; %w", rejected, err))
		}
		return nil, nil, rejected
	}
}

// authFrame builds the first frame and a copy with the JWT masked, for
// the inspector.
func (c *Client) authFrame() (frame, shown []byte, err error) {
	c.mu.Lock()
	jwt, me := c.jwt, c.me.UID
	c.mu.Unlock()
	body := wire.AuthBody{
		Auth:                 jwt,
		DeviceID:             c.session,
		PresenceSubscription: c.cfg.PresenceSubscription,
		Params: map[string]any{
			"appInfo":   map[string]any{"version": Version, "apiVersion": "v3.0", "origin": "cometterm", "uts": c.cfg.Now().UnixMilli()},
			"userAgent": "cometterm-go/" + Version,
			"deviceId":  c.session,
			"platform":  "cometterm-go",
		},
	}
	if c.cfg.PresenceSubscription == wire.SubscribeRoles {
		body.Roles = c.cfg.Roles
	}
	build := func(b wire.AuthBody) ([]byte, error) {
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("auth frame: %w", err)
		}
		return json.Marshal(wire.Frame{AppID: c.cfg.AppID, DeviceID: c.session, Type: wire.TypeAuth, Sender: me, Body: raw})
	}
	if frame, err = build(body); err != nil {
		return nil, nil, err
	}
	body.Auth = "…"
	shown, err = build(body)
	return frame, shown, err
}

var pingFrame = []byte(`{"action":"ping","ack":"true"}`)

// inbox is how a socket's frames reach the client. Until the runner has
// caught up, frames queue for it; once it is live the reading goroutine
// hands each frame out itself, one hand-off fewer per frame. The reader
// switches over with a nil frame on the queue and waits until the runner
// has taken it, so frames keep their order.
type inbox struct {
	frames  chan []byte
	live    chan struct{} // closed by the runner once caught up
	drained chan struct{} // closed by the runner at the nil frame
}

// readLoop reads frames and answers pongs to keepalive. When frames wait
// for a busy consumer it stops reading, which pushes back on the server.
func (c *Client) readLoop(ctx context.Context, conn *websocket.Conn, in *inbox, pong chan<- struct{}, failed chan<- error, wg *sync.WaitGroup) {
	defer wg.Done()
	// Reads do not take ctx: for a read under a cancellable context the
	// socket library registers (and then drops) a callback on it, an
	// allocation and two locked map updates for every frame. Cancelling
	// ctx closes the socket instead, which ends a blocked read all the same.
	defer context.AfterFunc(ctx, func() { _ = conn.CloseNow() })()
	direct := false
	var buf bytes.Buffer // frames are read into it: a frame costs no allocation unless kept
	for {
		raw, err := readFrame(conn, &buf)
		if err != nil {
			report(failed, fmt.Errorf("read: %w", err))
			return
		}
		if isPong(raw) {
			select {
			case pong <- struct{}{}:
			default:
			}
			continue
		}
		if !direct {
			select {
			case <-in.live:
				if !queue(ctx, in.frames, nil) || !wait(ctx, in.drained) {
					return
				}
				direct = true
			default:
			}
		}
		if direct {
			// A frame cut off by the socket closing is not recorded as
			// delivered: catch-up fetches it again after a reconnect.
			c.handleFrame(ctx.Done(), raw)
			continue
		}
		if !queue(ctx, in.frames, bytes.Clone(raw)) {
			return
		}
	}
}

// maxKeptReadBuffer is the largest read buffer kept between frames: one
// huge frame does not hold its room for the socket's lifetime.
const maxKeptReadBuffer = 64 << 10

// readFrame reads the next message into buf and returns its bytes, valid
// until the next read.
func readFrame(conn *websocket.Conn, buf *bytes.Buffer) ([]byte, error) {
	if buf.Cap() > maxKeptReadBuffer {
		*buf = bytes.Buffer{}
	}
	buf.Reset()
	_, r, err := conn.Reader(context.Background())
	if err != nil {
		return nil, err
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func queue(ctx context.Context, frames chan<- []byte, raw []byte) bool {
	select {
	case frames <- raw:
		return true
	case <-ctx.Done():
		return false
	}
}

func wait(ctx context.Context, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

func isPong(raw []byte) bool {
	if !bytes.Contains(raw, []byte(wire.ActionPong)) {
		return false // most frames: no need to parse them twice
	}
	var f struct {
		Type   string `json:"type"`
		Action string `json:"action"`
	}
	return json.Unmarshal(raw, &f) == nil && f.Type == "" && f.Action == wire.ActionPong
}

// keepalive pings every PingInterval and drops the socket when the pong
// does not come within PongTimeout.
func (c *Client) keepalive(ctx context.Context, conn *websocket.Conn, pong <-chan struct{}, failed chan<- error, wg *sync.WaitGroup) {
	defer wg.Done()
	tick := time.NewTicker(c.cfg.PingInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select { // a late pong from the previous round does not count
		case <-pong:
		default:
		}
		if err := conn.Write(ctx, websocket.MessageText, pingFrame); err != nil {
			report(failed, fmt.Errorf("ping: %w", err))
			return
		}
		wait := time.NewTimer(c.cfg.PongTimeout)
		select {
		case <-pong:
			wait.Stop()
		case <-wait.C:
			report(failed, errPongTimeout)
			_ = conn.CloseNow()
			return
		case <-ctx.Done():
			wait.Stop()
			return
		}
	}
}

func report(failed chan<- error, err error) {
	select {
	case failed <- err:
	default:
	}
}

// handleFrame turns one inbound frame into its event, drops our own
// echoes and repeats, and records delivered messages. raw is borrowed:
// the event keeps a copy.
func (c *Client) handleFrame(stop <-chan struct{}, raw []byte) {
	ev, f := c.cfg.SharedFrames.decode(raw, c.cfg.Now())
	if f.DeviceID != "" && f.DeviceID == c.session && f.Type != wire.TypeAuth {
		return
	}
	m := eventMessage(ev)
	if m == nil {
		c.emit(stop, ev)
		return
	}
	k, fresh := c.track.unseen(m)
	if fresh && c.emit(stop, ev) {
		c.track.delivered(m, k)
	}
}

// eventMessage is the stored message an event stands for, if any.
func eventMessage(ev chat.Event) *chat.Message {
	switch e := ev.(type) {
	case chat.MessageReceived:
		return &e.Message
	case chat.MessageEdited:
		return &e.Action
	case chat.MessageDeleted:
		return &e.Action
	case chat.GroupMemberChanged:
		return &e.Message
	}
	return nil
}

// parseAuthReply reads the auth answer, accepting the code as a string
// (CometChat, our server) or a number (seen from other servers).
func parseAuthReply(body []byte) wire.AuthReply {
	var r struct {
		Code    json.RawMessage `json:"code"`
		Status  string          `json:"status"`
		Message string          `json:"message"`
	}
	_ = json.Unmarshal(body, &r)
	code := strings.Trim(string(r.Code), `"`)
	return wire.AuthReply{Code: code, Status: r.Status, Message: r.Message}
}
