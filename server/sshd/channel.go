package sshd

import (
	"bytes"
	"io"
	"maps"
	"sync"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// keyChannel is the key under which a session's context holds its SSH
// channel (see channelContext).
const keyChannel ctxKey = "cometterm-channel"

// withSessionChannels has charm.land/ssh's session handler handle every
// session channel, with a context of the channel's own that knows the
// channel, so that the session's frames can be written to it directly
// (see sessionWriter).
func withSessionChannels(srv *ssh.Server) error {
	if srv.ChannelHandlers == nil {
		// The server only fills in its defaults when it has none.
		srv.ChannelHandlers = maps.Clone(ssh.DefaultChannelHandlers)
	}
	srv.ChannelHandlers["session"] = handleSession
	return nil
}

func handleSession(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	cc := &channelContext{Context: ctx}
	ssh.DefaultSessionHandler(srv, conn, acceptedChannel{newChan, cc}, cc)
}

// channelContext is a session's context: the connection's, and the
// values that are the session's own (its channel, output and renderer),
// which it keeps itself. A client may open several sessions on one
// connection, and one session's end must not close another's output.
// Every other value is the connection's, and set on it.
type channelContext struct {
	ssh.Context

	mu     sync.Mutex
	values map[ctxKey]any
}

// sessionKey says whether key is for a value of the session's own.
func sessionKey(key any) (ctxKey, bool) {
	switch key {
	case keyChannel, keyOutput, keyLines:
		return key.(ctxKey), true
	}
	return "", false
}

func (c *channelContext) Value(key any) any {
	if k, ok := sessionKey(key); ok {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.values[k]
	}
	return c.Context.Value(key)
}

func (c *channelContext) SetValue(key, value any) {
	if k, ok := sessionKey(key); ok {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.values == nil {
			c.values = map[ctxKey]any{}
		}
		c.values[k] = value
		return
	}
	c.Context.SetValue(key, value)
}

// acceptedChannel keeps the channel it accepts in its context.
type acceptedChannel struct {
	gossh.NewChannel
	ctx *channelContext
}

func (a acceptedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := a.NewChannel.Accept()
	if err == nil {
		a.ctx.SetValue(keyChannel, ch)
	}
	return ch, reqs, err
}

// sessionWriter is where a session's frames are written: with an
// emulated PTY, its channel through a ptyChannel; otherwise (or if the
// channel is not known) the session itself, as it writes them.
func sessionWriter(sess ssh.Session) io.Writer {
	if _, _, ok := sess.Pty(); ok && sess.EmulatedPty() {
		if ch, ok := sess.Context().Value(keyChannel).(gossh.Channel); ok {
			return &ptyChannel{w: ch}
		}
	}
	return sess
}

// ptyChannel writes to a session's channel what the session would: with
// an emulated PTY, a session turns each "\n" not after a "\r" into
// "\r\n", each write on its own (ssh.NewPtyWriter), and copies every
// frame twice to do it. Here a frame without "\n", as the line
// renderer's are (it moves the cursor instead), is written as it is, and
// the others are translated into a buffer kept for the next. One
// goroutine writes to it: the session's outputWriter's.
type ptyChannel struct {
	w   io.Writer
	buf []byte
}

func (c *ptyChannel) Write(p []byte) (int, error) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return c.w.Write(p)
	}
	m := len(p)
	b := c.buf[:0]
	for i >= 0 {
		b = append(b, p[:i]...)
		if i == 0 || p[i-1] != '\r' {
			b = append(b, '\r')
		}
		b = append(b, '\n')
		p = p[i+1:]
		i = bytes.IndexByte(p, '\n')
	}
	b = append(b, p...)
	n, err := c.w.Write(b)
	// A full redraw's buffer is not kept for the small frames after it.
	if cap(b) <= maxSpareSize {
		c.buf = b[:0]
	}
	// As ssh.NewPtyWriter counts: never more than the caller wrote.
	return min(n, m), err
}
