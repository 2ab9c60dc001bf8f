package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// rawServer is the ceiling: it accepts the same clients, answers their
// auth frame with "200", and then only writes pre-encoded frames: one
// queue and one writer per socket, no JSON, no directory, no routing.
type rawServer struct {
	srv    *http.Server
	url    string
	frames [][]byte

	mu    sync.Mutex
	conns []*rawConn
	wg    sync.WaitGroup // handlers and writers
}

type rawConn struct {
	ws *websocket.Conn
	q  chan int // seqs to write; as deep as the run, so never full
}

func startRaw(frames [][]byte) (*rawServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("raw broadcaster: %w", err)
	}
	rs := &rawServer{url: "ws://" + ln.Addr().String(), frames: frames}
	rs.srv = &http.Server{Handler: rs, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = rs.srv.Serve(ln) }()
	return rs, nil
}

func (rs *rawServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.wg.Add(1)
	defer rs.wg.Done()
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	// No deadline here: coder/websocket would close the socket when it
	// passes.
	if _, _, err := ws.Read(context.Background()); err != nil {
		ws.CloseNow()
		return
	}
	// Listed before the reply: a client that has its reply is counted in.
	rs.mu.Lock()
	rs.conns = append(rs.conns, &rawConn{ws: ws, q: make(chan int, len(rs.frames))})
	rs.mu.Unlock()
	if err := ws.Write(context.Background(), websocket.MessageText, []byte(`{"type":"auth","body":{"code":"200","status":"OK"}}`)); err != nil {
		ws.CloseNow()
		return
	}
	// Keepalives are read and dropped; the handler ends with the socket.
	for {
		if _, _, err := ws.Read(context.Background()); err != nil {
			return
		}
	}
}

// start runs one writer per connection.
func (rs *rawServer) start() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, c := range rs.conns {
		rs.wg.Go(func() {
			for seq := range c.q {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				err := c.ws.Write(ctx, websocket.MessageText, rs.frames[seq])
				cancel()
				if err != nil {
					c.ws.CloseNow()
					for range c.q {
					}
					return
				}
			}
		})
	}
}

// send queues frame seq on every connection.
func (rs *rawServer) send(seq int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, c := range rs.conns {
		c.q <- seq
	}
}

func (rs *rawServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = rs.srv.Shutdown(ctx)
	rs.mu.Lock()
	for _, c := range rs.conns {
		close(c.q)
		c.ws.CloseNow()
	}
	rs.mu.Unlock()
	rs.wg.Wait()
}
