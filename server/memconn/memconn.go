// Package memconn is an in-process network: a Listener whose connections
// are made by its own DialContext, each connection a pair of net.Conns
// joined by two bounded in-memory byte buffers, one per direction.
//
// It lets code in the same process talk to an http.Server (HTTP and
// WebSocket alike) through the very same handler without the kernel's TCP
// stack: a Write copies into the peer's buffer and wakes its reader. A
// Write larger than the free space blocks until the reader drains, as a
// socket's send buffer would; deadlines work as on a socket, blocked
// calls included. No goroutine runs per connection.
package memconn

import (
	"context"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBufferSize bounds the bytes in flight in each direction of a
// connection. Buffers grow to it on demand and are released when drained
// while large, so an idle connection holds little memory.
const DefaultBufferSize = 256 << 10

// Network is the network name of every address here.
const Network = "memory"

// Addr is an address on the in-memory network.
type Addr string

func (a Addr) Network() string { return Network }
func (a Addr) String() string  { return string(a) }

// keepCap is the largest buffer kept once drained; a larger one is
// released and grown again when needed.
const keepCap = 32 << 10

// minGrow is the smallest buffer allocated.
const minGrow = 512

// buffer is one direction of a connection.
type buffer struct {
	mu       sync.Mutex
	data     []byte // unread bytes are data[off:]
	off      int
	limit    int
	rclosed  bool          // the reading end is closed: writes fail
	readable chan struct{} // cap 1: bytes arrived
	writable chan struct{} // cap 1: space was freed
}

func newBuffer(limit int) *buffer {
	return &buffer{limit: limit, readable: make(chan struct{}, 1), writable: make(chan struct{}, 1)}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// read copies out what is buffered; n is 0 when it is empty.
func (b *buffer) read(p []byte) int {
	b.mu.Lock()
	n := copy(p, b.data[b.off:])
	if n == 0 {
		b.mu.Unlock()
		return 0
	}
	b.off += n
	left := len(b.data) - b.off
	if left == 0 {
		b.off = 0
		if cap(b.data) > keepCap {
			b.data = nil
		} else {
			b.data = b.data[:0]
		}
	}
	b.mu.Unlock()
	signal(b.writable)
	if left > 0 {
		signal(b.readable) // for a concurrent reader
	}
	return n
}

// write copies in as much of p as fits; n is 0 when the buffer is full.
// It fails when the reading end is closed.
func (b *buffer) write(p []byte) (int, error) {
	b.mu.Lock()
	if b.rclosed {
		b.mu.Unlock()
		return 0, io.ErrClosedPipe
	}
	used := len(b.data) - b.off
	n := min(len(p), b.limit-used)
	if n == 0 {
		b.mu.Unlock()
		return 0, nil
	}
	if len(b.data)+n > cap(b.data) {
		if used+n <= cap(b.data) {
			copy(b.data, b.data[b.off:])
		} else {
			grown := make([]byte, used, min(max(2*cap(b.data), used+n, minGrow), b.limit))
			copy(grown, b.data[b.off:])
			b.data = grown
		}
		b.data = b.data[:used]
		b.off = 0
	}
	b.data = append(b.data, p[:n]...)
	b.mu.Unlock()
	signal(b.readable)
	return n, nil
}

// space is how many more bytes fit.
func (b *buffer) space() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rclosed {
		return 0
	}
	return b.limit - (len(b.data) - b.off)
}

// closeReader marks the reading end closed and drops what is buffered.
func (b *buffer) closeReader() {
	b.mu.Lock()
	b.rclosed = true
	b.data, b.off = nil, 0
	b.mu.Unlock()
	signal(b.writable)
}

// Conn is one end of an in-memory connection. It is safe for concurrent
// use; each Write is written whole before another begins, as on a socket.
type Conn struct {
	in, out *buffer
	peer    *Conn

	done      chan struct{} // closed by Close
	closed    atomic.Bool   // set just before done closes: checked on every call, and cheaper than a receive
	closeOnce sync.Once
	wrLock    chan struct{} // cap 1: held for the whole of a Write

	rdDeadline, wrDeadline deadline
	local, remote          net.Addr
}

// Pipe returns the two ends of a connection with bufSize bytes of buffer
// in each direction (DefaultBufferSize when bufSize <= 0).
func Pipe(bufSize int) (*Conn, *Conn) {
	return pipe(bufSize, Addr("pipe:1"), Addr("pipe:2"))
}

func pipe(bufSize int, a, b net.Addr) (*Conn, *Conn) {
	if bufSize <= 0 {
		bufSize = DefaultBufferSize
	}
	ab, ba := newBuffer(bufSize), newBuffer(bufSize)
	c1 := newConn(ba, ab, a, b)
	c2 := newConn(ab, ba, b, a)
	c1.peer, c2.peer = c2, c1
	return c1, c2
}

func newConn(in, out *buffer, local, remote net.Addr) *Conn {
	return &Conn{
		in: in, out: out,
		done:       make(chan struct{}),
		wrLock:     make(chan struct{}, 1),
		rdDeadline: makeDeadline(),
		wrDeadline: makeDeadline(),
		local:      local, remote: remote,
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Read reads what is buffered, blocking while nothing is. Once the peer
// has closed and everything it wrote has been read, Read returns io.EOF.
func (c *Conn) Read(p []byte) (int, error) {
	for {
		if c.closed.Load() {
			signal(c.in.readable) // the next of several waiting readers
			return 0, net.ErrClosed
		}
		dl, armed := c.rdDeadline.armed()
		if isClosed(dl) {
			signal(c.in.readable) // the next of several waiting readers
			return 0, os.ErrDeadlineExceeded
		}
		if len(p) == 0 {
			return 0, nil
		}
		if n := c.in.read(p); n > 0 {
			return n, nil
		}
		if c.peer.closed.Load() {
			// Everything the peer wrote was in the buffer before it
			// closed; read once more in case it arrived after the check.
			if n := c.in.read(p); n > 0 {
				return n, nil
			}
			signal(c.in.readable) // the next of several waiting readers
			return 0, io.EOF
		}
		if !armed {
			// Nearly every read waits without a deadline: on readable
			// alone, which closing either end and setting a deadline
			// also signal, rather than a select over four channels.
			<-c.in.readable
			continue
		}
		select {
		case <-c.in.readable:
		case <-dl:
		case <-c.done:
		case <-c.peer.done:
		}
	}
}

// Write writes all of p, blocking while the peer's buffer is full. It
// fails with io.ErrClosedPipe once the peer has closed.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.writeCheck(); err != nil {
		return 0, err
	}
	select {
	case c.wrLock <- struct{}{}:
	default:
		select {
		case c.wrLock <- struct{}{}:
		case <-c.wrDeadline.wait():
			return 0, os.ErrDeadlineExceeded
		case <-c.done:
			return 0, net.ErrClosed
		case <-c.peer.done:
			return 0, io.ErrClosedPipe
		}
	}
	defer func() { <-c.wrLock }()

	written := 0
	for {
		if err := c.writeCheck(); err != nil {
			return written, err
		}
		n, err := c.out.write(p[written:])
		written += n
		if err != nil || written == len(p) {
			return written, err
		}
		if n > 0 {
			continue
		}
		select {
		case <-c.out.writable:
		case <-c.wrDeadline.wait():
		case <-c.done:
		case <-c.peer.done:
		}
	}
}

// WriteSpace is how many bytes a Write takes now without blocking: the
// free space in the peer's buffer, 0 once either end is closed. Only a
// concurrent Write can make it shrink.
func (c *Conn) WriteSpace() int {
	if c.writeCheck() != nil {
		return 0
	}
	return c.out.space()
}

func (c *Conn) writeCheck() error {
	switch {
	case c.closed.Load():
		return net.ErrClosed
	case c.peer.closed.Load():
		return io.ErrClosedPipe
	case c.wrDeadline.passed():
		return os.ErrDeadlineExceeded
	}
	return nil
}

// Close closes this end: its blocked calls return net.ErrClosed, the
// peer reads what was already written and then io.EOF, and the peer's
// writes fail.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		close(c.done)
		c.in.closeReader()
		// Wake a read waiting on readable alone, here and at the peer.
		signal(c.in.readable)
		signal(c.out.readable)
	})
	return nil
}

func (c *Conn) LocalAddr() net.Addr  { return c.local }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

func (c *Conn) SetDeadline(t time.Time) error {
	if c.closed.Load() {
		return net.ErrClosed
	}
	c.rdDeadline.set(t)
	c.wrDeadline.set(t)
	signal(c.in.readable) // a read waiting without a deadline looks again
	return nil
}

func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.closed.Load() {
		return net.ErrClosed
	}
	c.rdDeadline.set(t)
	signal(c.in.readable) // a read waiting without a deadline looks again
	return nil
}

func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c.closed.Load() {
		return net.ErrClosed
	}
	c.wrDeadline.set(t)
	return nil
}

// deadline is a channel closed when the deadline passes; a timer closes
// it, so nothing runs while no deadline is pending.
type deadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	on     atomic.Bool // a deadline is pending or passed: without one, calls skip mu
}

func makeDeadline() deadline { return deadline{cancel: make(chan struct{})} }

// set moves the deadline to t; the zero time clears it. A call blocked
// on wait's channel sees the change: a past t wakes it, a later or
// cleared one keeps it waiting.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // the timer fired: wait until its close is done
	}
	d.timer = nil
	closed := isClosed(d.cancel)
	if t.IsZero() {
		if closed {
			d.cancel = make(chan struct{})
		}
		d.on.Store(false)
		return
	}
	d.on.Store(true)
	if dur := time.Until(t); dur > 0 {
		if closed {
			d.cancel = make(chan struct{})
		}
		cancel := d.cancel
		d.timer = time.AfterFunc(dur, func() { close(cancel) })
		return
	}
	if !closed {
		close(d.cancel)
	}
}

// passed reports whether the deadline has passed.
func (d *deadline) passed() bool { return d.on.Load() && isClosed(d.wait()) }

// armed returns wait's channel and whether a deadline is set (pending
// or passed).
func (d *deadline) armed() (chan struct{}, bool) {
	if !d.on.Load() {
		return nil, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel, d.timer != nil || isClosed(d.cancel)
}

// wait is closed once the deadline has passed.
func (d *deadline) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

// Listener accepts the connections made by its DialContext.
type Listener struct {
	addr    Addr
	bufSize int
	conns   chan *Conn
	done    chan struct{}
	once    sync.Once
	dials   atomic.Uint64
}

// Listen returns a listener whose address is addr (any name; it is only
// reported) and whose connections have bufSize bytes of buffer in each
// direction (DefaultBufferSize when bufSize <= 0).
func Listen(addr string, bufSize int) *Listener {
	return &Listener{addr: Addr(addr), bufSize: bufSize, conns: make(chan *Conn), done: make(chan struct{})}
}

// Accept waits for the next DialContext and returns the server end of
// its connection; after Close it returns net.ErrClosed.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		if isClosed(l.done) {
			c.Close()
			return nil, net.ErrClosed
		}
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops the listener: Accept returns and later dials fail.
// Connections already made are not touched.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *Listener) Addr() net.Addr { return l.addr }

// DialContext connects to the listener, whatever network and address
// are asked for (so it can serve as http.Transport.DialContext). It
// returns once Accept has taken the server end, or fails when ctx ends
// or the listener is closed first.
func (l *Listener) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, l.dialErr(err)
	}
	if isClosed(l.done) {
		return nil, l.dialErr(net.ErrClosed)
	}
	client := Addr("memory:" + strconv.FormatUint(l.dials.Add(1), 10))
	c, s := pipe(l.bufSize, client, l.addr)
	select {
	case l.conns <- s:
		return c, nil
	case <-ctx.Done():
		return nil, l.dialErr(ctx.Err())
	case <-l.done:
		return nil, l.dialErr(net.ErrClosed)
	}
}

func (l *Listener) dialErr(err error) error {
	return &net.OpError{Op: "dial", Net: Network, Addr: l.addr, Err: err}
}
