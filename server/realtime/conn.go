package realtime

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
)

// conn is one socket. The HTTP handler goroutine reads (serve), writeLoop
// writes; both end when the socket does.
type conn struct {
	hub *Hub
	ws  *websocket.Conn

	// ctx is cancelled to cut the socket hard: the reader is nearly always
	// in a Read under it, and cancelling that closes the TCP connection,
	// which fails a stuck write as well.
	ctx    context.Context
	cancel context.CancelFunc

	q      chan []byte
	killed chan struct{}

	// space, when the connection under the socket can tell how many bytes
	// it takes without blocking (an in-process one), lets send write a
	// frame at once instead of waking the writer goroutine: one hand-off
	// less for every frame of a fan-out to hundreds of local sessions.
	space func() int
	// wmu is held by whoever writes frames (the writer for a batch, send
	// for a direct write); queued counts frames handed to q and not yet
	// written. A direct write happens only with nothing queued, so frames
	// go out in the order they were sent.
	wmu    sync.Mutex
	queued atomic.Int64

	killOnce   sync.Once
	code       websocket.StatusCode // written once, before killed is closed
	reason     string
	writerDone chan struct{}
	idle       *time.Timer

	// writingSince is the hub clock when the write in progress began, 0
	// when the writer is not writing.
	writingSince atomic.Int64

	// label names the socket in logs from any goroutine ("uid/device"
	// once authenticated).
	label atomic.Pointer[string]

	// Set by authenticate before the conn is registered; read-only after.
	uid    string
	device string
	user   chat.User
	sub    subscription
	// tokenHash names the auth token the session logged in with (the
	// JWT's ath claim), so that revoking it closes this socket only.
	tokenHash string
}

func newConn(h *Hub, ws *websocket.Conn) *conn {
	ctx, cancel := context.WithCancel(h.ctx)
	c := &conn{
		hub:        h,
		ws:         ws,
		ctx:        ctx,
		cancel:     cancel,
		q:          make(chan []byte, h.opts.SendQueue),
		killed:     make(chan struct{}),
		writerDone: make(chan struct{}),
	}
	c.idle = time.AfterFunc(h.opts.IdleTimeout, func() {
		c.kill(websocket.StatusPolicyViolation, "idle timeout")
	})
	return c
}

// send queues a frame without ever blocking; a full queue means the peer
// cannot keep up, and it is disconnected rather than buffered without end.
// Where the connection has room for it now, the frame is written at once.
func (c *conn) send(frame []byte) {
	if c.space != nil && c.writeNow(frame) {
		return
	}
	c.queued.Add(1)
	select {
	case c.q <- frame:
	default:
		c.queued.Add(-1)
		c.kill(websocket.StatusPolicyViolation, "slow consumer")
	}
}

// directMargin is room kept beyond a frame for what else may be written
// meanwhile: the frame's header and a control frame (a pong, a close) from
// the reader.
const directMargin = 1 << 10

// writeNow writes frame on the caller's goroutine if that cannot block:
// no write in progress, nothing queued before it, and room for it in the
// connection. It reports whether it took the frame.
func (c *conn) writeNow(frame []byte) bool {
	if c.queued.Load() != 0 || !c.wmu.TryLock() {
		return false
	}
	defer c.wmu.Unlock()
	if c.queued.Load() != 0 || c.isKilled() || c.space() < len(frame)+directMargin {
		return false
	}
	if err := c.write(frame); err != nil {
		c.hub.log.Debug("websocket write failed", "conn", c.name(), "err", err)
		c.kill(websocket.StatusGoingAway, "write failed")
	}
	c.hub.directWrites.Add(1)
	return true
}

// kill asks the writer to close the socket with code and reason. Only the
// first call counts; it never blocks.
func (c *conn) kill(code websocket.StatusCode, reason string) {
	c.killOnce.Do(func() {
		level := slog.LevelInfo
		if code == websocket.StatusNormalClosure {
			level = slog.LevelDebug // the peer left
		}
		c.hub.log.Log(context.Background(), level, "websocket: closing", "conn", c.name(), "code", int(code), "reason", reason)
		c.code, c.reason = code, reason
		close(c.killed)
	})
}

// name is the socket's log label, safe from any goroutine.
func (c *conn) name() string {
	if l := c.label.Load(); l != nil {
		return *l
	}
	return "unauthenticated"
}

func (c *conn) isKilled() bool {
	select {
	case <-c.killed:
		return true
	default:
		return false
	}
}

func (c *conn) writeLoop() {
	defer close(c.writerDone)
	for {
		select {
		case <-c.killed:
			c.closeSocket()
			return
		case frame := <-c.q:
			if err := c.writeBatch(frame); err != nil {
				c.hub.log.Debug("websocket write failed", "conn", c.name(), "err", err)
				c.kill(websocket.StatusGoingAway, "write failed")
			}
		}
	}
}

// maxBatch bounds how many queued frames one wake-up of the writer takes.
const maxBatch = 64

// writeBatch writes first and then whatever else is already queued, up to
// maxBatch frames; a kill stops it at once. The writes carry no context
// deadline (coder/websocket would arm and disarm a timer for each frame);
// the hub's watchdog cuts a socket whose write takes longer than
// WriteTimeout instead.
func (c *conn) writeBatch(first []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	err := c.write(first)
	c.queued.Add(-1)
	if err != nil {
		return err
	}
	for range maxBatch - 1 {
		select {
		case <-c.killed:
			return nil
		case frame := <-c.q:
			err := c.write(frame)
			c.queued.Add(-1)
			if err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (c *conn) write(frame []byte) error {
	c.writingSince.Store(c.hub.clock())
	err := c.ws.Write(context.Background(), websocket.MessageText, frame)
	c.writingSince.Store(0)
	return err
}

// stuck reports whether a write has been in progress for longer than
// limit (clock units), for the watchdog.
func (c *conn) stuck(now, limit int64) bool {
	since := c.writingSince.Load()
	return since != 0 && now-since > limit
}

// closeSocket sends the close frame with the kill reason. A peer that does
// not answer (or whose buffers are full) is cut hard after WriteTimeout,
// so a close never takes longer than that.
func (c *conn) closeSocket() {
	stop := time.AfterFunc(c.hub.opts.WriteTimeout, c.cancel)
	defer stop.Stop()
	if err := c.ws.Close(c.code, c.reason); err != nil {
		c.hub.log.Debug("websocket close", "conn", c.name(), "err", err)
	}
}

// serve runs on the HTTP handler goroutine: auth, then the read loop, then
// cleanup once the writer is done too.
func (c *conn) serve() {
	defer func() {
		c.idle.Stop()
		c.kill(websocket.StatusNormalClosure, "")
		<-c.writerDone
		c.cancel()
		c.hub.unregister(c)
	}()
	reply := c.authenticate()
	if reply == nil {
		return
	}
	if !c.hub.register(c, reply) {
		return
	}
	c.readLoop()
}

func (c *conn) readLoop() {
	for {
		typ, data, err := c.ws.Read(c.ctx)
		if err != nil {
			c.hub.log.Debug("websocket read ended", "conn", c.name(), "err", err)
			return
		}
		c.touch()
		if typ != websocket.MessageText {
			c.kill(websocket.StatusUnsupportedData, "text frames only")
			return
		}
		c.handle(data)
		if c.isKilled() {
			return
		}
	}
}

// touch records inbound traffic for the idle timeout.
func (c *conn) touch() { c.idle.Reset(c.hub.opts.IdleTimeout) }

// dirCtx bounds a Directory call made for this connection.
func (c *conn) dirCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, c.hub.opts.DirectoryTimeout)
}
