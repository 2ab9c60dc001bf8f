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
// auth frame with "200" and otherwise only writes what it is told to.
type rawServer struct {
	srv   *http.Server
	url   string
	mu    sync.Mutex
	conns []*websocket.Conn
	wg    sync.WaitGroup
}

func startRaw() (*rawServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("raw broadcaster: %w", err)
	}
	rs := &rawServer{url: "ws://" + ln.Addr().String()}
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
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	if _, _, err := ws.Read(ctx); err != nil {
		ws.CloseNow()
		return
	}
	// Listed before the reply: a client that has its reply is counted in.
	rs.mu.Lock()
	rs.conns = append(rs.conns, ws)
	rs.mu.Unlock()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"auth","body":{"code":"200","status":"OK"}}`)); err != nil {
		ws.CloseNow()
		return
	}
	<-ws.CloseRead(context.Background()).Done()
}

// broadcast writes frame count times to every connection, one writer per
// connection, as fast as the sockets take it.
func (rs *rawServer) broadcast(frame []byte, count int) error {
	rs.mu.Lock()
	conns := append([]*websocket.Conn(nil), rs.conns...)
	rs.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	for _, ws := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range count {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				err := ws.Write(ctx, websocket.MessageText, frame)
				cancel()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (rs *rawServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = rs.srv.Shutdown(ctx)
	rs.mu.Lock()
	for _, ws := range rs.conns {
		ws.CloseNow()
	}
	rs.mu.Unlock()
	rs.wg.Wait()
}
