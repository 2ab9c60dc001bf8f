package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"cometterm/server"
	"cometterm/server/realtime"
	"cometterm/store"
)

// inProcess is the server assembled inside the bench process (-inprocess):
// for trying the bench while no binary builds. Its figures share the CPU
// with the clients and are not the ones to report.
type inProcess struct {
	db      *store.DB
	hub     *realtime.Hub
	srv     *http.Server
	dataDir string
}

func startInProcess(ctx context.Context, c config, log *slog.Logger) (*inProcess, string, error) {
	dir, err := os.MkdirTemp("", "fanout-inproc-")
	if err != nil {
		return nil, "", fmt.Errorf("data dir: %w", err)
	}
	db, err := store.Open(filepath.Join(dir, "cometterm.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("open store: %w", err)
	}
	app, _, err := server.LoadOrCreateApp(ctx, db, c.appID, c.authKey, c.restKey, time.Now())
	if err != nil {
		db.Close()
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("app: %w", err)
	}
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	hub := realtime.New(db, realtime.Options{AppID: app.AppID, JWTSecret: app.JWTSecret, Logger: quiet})
	api := server.New(db, app, hub, server.Options{WebSocket: hub, Logger: quiet})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		hub.Close()
		db.Close()
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("listen: %w", err)
	}
	p := &inProcess{db: db, hub: hub, dataDir: dir,
		srv: &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("in-process server", "err", err)
		}
	}()
	return p, "http://" + ln.Addr().String(), nil
}

func (p *inProcess) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = p.srv.Shutdown(ctx)
	_ = p.hub.Close()
	_ = p.db.Close()
	os.RemoveAll(p.dataDir)
}
