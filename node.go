package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"cometterm/chat"
	"cometterm/server"
	"cometterm/server/memconn"
	"cometterm/server/realtime"
	"cometterm/store"
)

// internalHost names the node's in-memory listener: clients in this
// process reach the node at internalURL through inProcessClient. It is
// only a name; nothing resolves it.
const (
	internalHost = "cometterm.internal"
	internalURL  = "http://" + internalHost
)

// nodeSpec is everything needed to run one server: the same assembly serves
// `cometterm serve` and the embedded server behind `go run .`.
type nodeSpec struct {
	DataDir  string
	HTTPAddr string

	AppID, AuthKey, RESTKey string

	TLSCert, TLSKey string
	TLSSelfSigned   bool

	WSIdle time.Duration
	Logger *slog.Logger

	// connState, when set, sees every connection the HTTP server takes,
	// over TCP or in-process (tests count them).
	connState func(net.Conn, http.ConnState)
}

// node is a running server: store, hub, HTTP API, listener.
type node struct {
	Store *store.DB
	Hub   *realtime.Hub
	API   *server.Server
	App   chat.App
	// Keys are the app's credentials as far as they can be shown: the
	// REST API key only when it was just generated or given.
	Keys server.Generated
	// URL is the base URL clients use (http or https, the bound port).
	URL string
	// CertFile is the TLS certificate in use, if any.
	CertFile string

	http      *http.Server
	served    chan error
	mem       *memconn.Listener
	memServed chan error
	log       *slog.Logger
}

// startNode opens the data dir, loads or creates the app and starts
// serving HTTP and WebSocket on spec.HTTPAddr.
func startNode(ctx context.Context, spec nodeSpec) (_ *node, err error) {
	log := spec.Logger
	if err := os.MkdirAll(spec.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	db, err := store.Open(filepath.Join(spec.DataDir, "cometterm.db"), store.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	app, keys, err := server.LoadOrCreateApp(ctx, db, spec.AppID, spec.AuthKey, spec.RESTKey, time.Now())
	if err != nil {
		return nil, fmt.Errorf("app keys: %w", err)
	}

	hub := realtime.New(db, realtime.Options{
		AppID:       app.AppID,
		JWTSecret:   app.JWTSecret,
		IdleTimeout: spec.WSIdle,
		Logger:      log.With("part", "realtime"),
	})
	api := server.New(db, app, hub, server.Options{WebSocket: hub, Logger: log.With("part", "http")})

	ln, err := net.Listen("tcp", spec.HTTPAddr)
	if err != nil {
		hub.Close()
		return nil, fmt.Errorf("listen %s: %w", spec.HTTPAddr, err)
	}
	n := &node{Store: db, Hub: hub, API: api, App: app, Keys: keys, served: make(chan error, 1), memServed: make(chan error, 1), log: log}
	n.http = &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnState:         spec.connState,
		// The hub writes in-process sockets directly when they have room.
		ConnContext: realtime.ConnContext,
	}

	scheme := "http"
	certFile, keyFile := spec.TLSCert, spec.TLSKey
	if spec.TLSSelfSigned {
		host, _, _ := net.SplitHostPort(ln.Addr().String())
		certFile, keyFile, err = server.SelfSignedCert(spec.DataDir, []string{host})
		if err != nil {
			ln.Close()
			hub.Close()
			return nil, fmt.Errorf("self-signed certificate: %w", err)
		}
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			ln.Close()
			hub.Close()
			return nil, fmt.Errorf("load TLS certificate: %w", err)
		}
		n.http.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, n.http.TLSConfig)
		scheme = "https"
		n.CertFile = certFile
	}
	n.URL = scheme + "://" + ln.Addr().String()
	go func() { n.served <- n.http.Serve(ln) }()
	// The same server, handler and all, also answers in-process, in
	// plain HTTP: nothing leaves the process to be protected.
	n.mem = memconn.Listen(internalHost+":80", 0)
	go func() { n.memServed <- n.http.Serve(n.mem) }()
	log.Info("serving", "url", n.URL, "app_id", app.AppID)
	return n, nil
}

// inProcessClient is an HTTP client for internalURL: its requests and
// WebSockets reach the node's handler through in-memory connections
// instead of loopback TCP. Close its idle connections when done with it.
func (n *node) inProcessClient() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         n.mem.DialContext,
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}

// Close stops accepting requests, lets in-flight ones finish (bounded by
// ctx), closes every socket and then the store.
func (n *node) Close(ctx context.Context) error {
	errHTTP := n.http.Shutdown(ctx)
	n.mem.Close() // in case Shutdown came before Serve took it
	errHub := n.Hub.Close()
	for _, served := range []chan error{n.served, n.memServed} {
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Warn("http server stopped", "err", err)
		}
	}
	errStore := n.Store.Close()
	return errors.Join(errHTTP, errHub, errStore)
}
