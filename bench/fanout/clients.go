package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// phase is one measurement: which messages were sent when, and who got
// them. Clients report into the current phase.
type phase struct {
	base   time.Time
	sentAt []atomic.Int64 // per seq, ns since base; 0 = not sent
	got    []atomic.Int32 // per seq, clients that received it
	want   int32          // clients per message
	record bool           // keep send→receive latencies
	// complete receives each seq once every client has it.
	complete chan int
}

func newPhase(messages, clients int, record bool) *phase {
	return &phase{
		base: time.Now(), sentAt: make([]atomic.Int64, messages), got: make([]atomic.Int32, messages),
		want: int32(clients), record: record, complete: make(chan int, messages),
	}
}

// markSent records that seq is about to be sent.
func (p *phase) markSent(seq int) { p.sentAt[seq].Store(int64(time.Since(p.base))) }

// client is one WebSocket connection of the bench.
type client struct {
	ws   *websocket.Conn
	cur  *atomic.Pointer[phase]
	done chan struct{}
	err  error // why reading ended; set before done is closed

	mu  sync.Mutex
	lat []sample
	// sample is the first bench message frame received, verbatim.
	sample atomic.Pointer[[]byte]
}

// dialClient connects to wsURL, authenticates with jwt and waits for the
// auth reply, then reads until the socket ends.
func dialClient(ctx context.Context, wsURL, appID, uid, device, jwt string, cur *atomic.Pointer[phase]) (*client, error) {
	ws, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", uid, err)
	}
	ws.SetReadLimit(1 << 20)
	auth := fmt.Sprintf(`{"appId":%q,"deviceId":%q,"type":"auth","sender":%q,"body":{"auth":%q,"deviceId":%q}}`,
		appID, device, uid, jwt, device)
	if err := ws.Write(ctx, websocket.MessageText, []byte(auth)); err != nil {
		ws.CloseNow()
		return nil, fmt.Errorf("auth %s: %w", uid, err)
	}
	_, reply, err := ws.Read(ctx)
	if err != nil {
		ws.CloseNow()
		return nil, fmt.Errorf("auth reply %s: %w", uid, err)
	}
	if !bytes.Contains(reply, []byte(`"code":"200"`)) {
		ws.CloseNow()
		return nil, fmt.Errorf("auth %s refused: %s", uid, reply)
	}
	c := &client{ws: ws, cur: cur, done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *client) read() {
	defer close(c.done)
	var buf bytes.Buffer // reused: the frames are only scanned
	for {
		_, r, err := c.ws.Reader(context.Background())
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			c.err = err
			return
		}
		data := buf.Bytes()
		p := c.cur.Load()
		if p == nil {
			continue
		}
		seq, ok := parseSeq(data)
		if !ok || seq >= len(p.got) {
			continue
		}
		if c.sample.Load() == nil {
			frame := bytes.Clone(data)
			c.sample.Store(&frame)
		}
		if p.record {
			if sent := p.sentAt[seq].Load(); sent > 0 {
				c.mu.Lock()
				c.lat = append(c.lat, sample{seq: seq, d: time.Since(p.base) - time.Duration(sent)})
				c.mu.Unlock()
			}
		}
		if p.got[seq].Add(1) == p.want {
			p.complete <- seq
		}
	}
}

// sample is one client's send→receive time for message seq.
type sample struct {
	seq int
	d   time.Duration
}

func (c *client) latencies() []sample {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sample(nil), c.lat...)
}

var pingFrame = []byte(`{"action":"ping","ack":"true"}`)

// ping sends the SDK's keepalive; the pong is read and ignored.
func (c *client) ping() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.ws.Write(ctx, websocket.MessageText, pingFrame)
}

// close ends the socket politely and waits for the reader.
func (c *client) close() {
	_ = c.ws.Close(websocket.StatusNormalClosure, "")
	<-c.done
}

// closedEarly reports whether the socket has ended, and why.
func (c *client) closedEarly() error {
	select {
	case <-c.done:
		if c.err == nil {
			return errors.New("closed")
		}
		return c.err
	default:
		return nil
	}
}

var textMark = []byte(`"text":"b:`)

// parseSeq finds the sequence number in a bench message ("text":"b:<seq>").
func parseSeq(frame []byte) (int, bool) {
	i := bytes.Index(frame, textMark)
	if i < 0 {
		return 0, false
	}
	rest := frame[i+len(textMark):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest[:j]))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
