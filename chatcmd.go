package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat/client"
	"cometterm/chat/wire"
	"cometterm/config"
	"cometterm/server/demo"
	"cometterm/server/sshd"
	"cometterm/ui"
)

// demoUser is who `go run .` logs in as.
const demoUser = "superhero1"

// defaultEmbeddedSSH is where the embedded server offers SSH; if the port
// is taken, a free one is used instead.
const defaultEmbeddedSSH = "127.0.0.1:2222"

// runChat opens the TUI: on an embedded server (the default) or against the
// server or cloud app the configuration names.
func runChat(ctx context.Context, cfg config.Config, log *slog.Logger, getenv func(string) string, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	conn := cfg.Connection
	ccfg := client.Config{
		ServerURL: conn.Server, AppID: conn.AppID, Region: conn.Region,
		UID: conn.UID, AuthKey: conn.AuthKey, AuthToken: conn.AuthToken,
		PresenceSubscription: wire.SubscribeAllUsers,
		Logger:               log.With("part", "client"),
	}
	label := conn.Server
	var stopAll []func()
	defer func() {
		for i := len(stopAll) - 1; i >= 0; i-- {
			stopAll[i]()
		}
	}()

	if conn.Embedded() {
		n, err := startNode(ctx, nodeSpec{DataDir: cfg.DataDir, HTTPAddr: "127.0.0.1:0", Logger: log})
		if err != nil {
			return err
		}
		stopAll = append(stopAll, func() {
			sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
			defer c()
			n.Close(sctx)
		})
		if _, err := demo.Seed(ctx, n.Store, time.Now()); err != nil {
			return fmt.Errorf("demo workspace: %w", err)
		}
		ccfg.ServerURL, ccfg.AppID, ccfg.UID, ccfg.AuthKey = n.URL, n.App.AppID, demoUser, n.App.AuthKey
		label = "embedded · " + n.URL

		if addr := cfg.Serve.SSH; addr != "off" {
			if addr == "" {
				addr = defaultEmbeddedSSH
			}
			front, err := startSSH(n, sshSpec{Addr: addr, Open: true, DataDir: cfg.DataDir, FallbackPort: true}, log)
			if err != nil {
				log.Warn("ssh not started", "err", err)
			} else {
				stopAll = append(stopAll, func() {
					sctx, c := context.WithTimeout(context.Background(), 3*time.Second)
					defer c()
					front.Close(sctx)
				})
				_, port, _ := net.SplitHostPort(front.Addr)
				label += " · ssh -p " + port + " <uid>@localhost"
			}
		}
		if cfg.Demo {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := demo.Run(ctx, demo.Config{ServerURL: n.URL, AppID: n.App.AppID, AuthKey: n.App.AuthKey, Me: demoUser, Logger: log.With("part", "demo")})
				if err != nil && !errors.Is(err, context.Canceled) {
					log.Warn("demo stopped", "err", err)
				}
			}()
			stopAll = append(stopAll, func() { cancel(); wg.Wait() })
		}
	} else {
		hc, err := httpClient(conn)
		if err != nil {
			return err
		}
		ccfg.HTTPClient = hc
		if label == "" {
			label = "CometChat " + conn.AppID + " (" + conn.Region + ")"
		}
	}

	loginCtx, cancelLogin := context.WithTimeout(ctx, 20*time.Second)
	c, err := client.Login(loginCtx, ccfg)
	cancelLogin()
	if err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	stopAll = append(stopAll, func() { c.Close() })

	m := ui.New(c, uiOptions(cfg, getenv, log, label))
	p := tea.NewProgram(m, tea.WithContext(ctx))
	stopPump := make(chan struct{})
	m.PumpEvents(p.Send, stopPump)
	_, err = p.Run()
	close(stopPump)
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // interrupted by a signal
	}
	return err
}

func uiOptions(cfg config.Config, getenv func(string) string, log *slog.Logger, label string) ui.Options {
	return ui.Options{
		Logger:      log.With("part", "ui"),
		NoColor:     getenv("NO_COLOR") != "",
		Light:       cfg.Theme == "light",
		ServerLabel: label,
		Notify:      true,
	}
}

// httpClient trusts the configured CA (or nothing, with --insecure) for
// self-hosted servers with their own certificates.
func httpClient(conn config.Connection) (*http.Client, error) {
	if conn.CACert == "" && !conn.Insecure {
		return &http.Client{Timeout: 30 * time.Second}, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if conn.CACert != "" {
		pem, err := os.ReadFile(conn.CACert)
		if err != nil {
			return nil, fmt.Errorf("ca cert: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca cert %s: no certificate found", conn.CACert)
		}
		tc.RootCAs = pool
	}
	tc.InsecureSkipVerify = conn.Insecure
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return &http.Client{Timeout: 30 * time.Second, Transport: tr}, nil
}

// sshInspectorCapacity is how many events each SSH session's inspector
// keeps: a server may hold hundreds of sessions, each keeping frames.
const sshInspectorCapacity = 150

// startSSH serves the TUI over SSH: each session logs in to the node as the
// SSH user through the same client library and WebSocket path as any other
// client. Its requests and socket reach the node's handler in-process
// rather than over loopback TCP (unless spec.OverTCP): the same HTTP and
// WebSocket code, without a kernel round trip per frame per session.
func startSSH(n *node, spec sshSpec, log *slog.Logger) (*sshFront, error) {
	ln, err := net.Listen("tcp", spec.Addr)
	if err != nil && spec.FallbackPort {
		host, _, _ := net.SplitHostPort(spec.Addr)
		ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	if err != nil {
		return nil, fmt.Errorf("ssh listen %s: %w", spec.Addr, err)
	}
	serverURL, hc := internalURL, n.inProcessClient()
	if spec.OverTCP {
		serverURL, hc = n.URL, nil
		if n.CertFile != "" {
			hc, err = httpClient(config.Connection{CACert: n.CertFile})
			if err != nil {
				ln.Close()
				return nil, err
			}
		}
	}
	// Every session's client gets the group's fan-out frames: decode each once.
	frames := client.NewSharedFrames()
	srv, err := sshd.New(sshd.Options{
		HostKeyPath: filepath.Join(spec.DataDir, "ssh_host_ed25519"),
		Open:        spec.Open,
		IdleTimeout: spec.Idle,
		MaxSessions: spec.Max,
		Accounts:    n.Store,
		Logger:      log.With("part", "ssh"),
		NewSession: func(ctx context.Context, uid string) (tea.Model, func(), error) {
			lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			c, err := client.Login(lctx, client.Config{
				ServerURL: serverURL, AppID: n.App.AppID, UID: uid, AuthKey: n.App.AuthKey,
				PresenceSubscription: wire.SubscribeAllUsers, HTTPClient: hc, SharedFrames: frames,
				Logger: log.With("part", "ssh-client", "uid", uid),
			})
			if err != nil {
				return nil, nil, err
			}
			m := ui.New(c, ui.Options{Logger: log.With("part", "ssh-ui", "uid", uid), ServerLabel: "ssh · " + uid,
				InspectorCapacity: sshInspectorCapacity})
			return &m, func() { c.Close() }, nil // a pointer: the frame cap steps it in place
		},
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	f := &sshFront{Addr: ln.Addr().String(), srv: srv, served: make(chan error, 1), http: hc}
	go func() { f.served <- srv.Serve(ln) }()
	log.Info("ssh listening", "addr", f.Addr)
	return f, nil
}
