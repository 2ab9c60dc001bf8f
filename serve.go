package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"cometterm/config"
	"cometterm/server/sshd"
)

// runServe runs the server until ctx ends (SIGINT/SIGTERM), then shuts
// down gracefully.
func runServe(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	s := cfg.Serve
	defer startPprof(os.Getenv("COMETTERM_PPROF"), os.Getenv("COMETTERM_PPROF_BLOCK") != "", log)()
	n, err := startNode(ctx, nodeSpec{
		DataDir: cfg.DataDir, HTTPAddr: s.HTTP,
		AppID: s.AppID, AuthKey: s.AuthKey, RESTKey: s.RESTAPIKey,
		TLSCert: s.TLSCert, TLSKey: s.TLSKey, TLSSelfSigned: s.TLSSelfSigned,
		WSIdle: s.WSIdle, Logger: log,
	})
	if err != nil {
		return err
	}
	var ssh *sshFront
	if s.SSH != "" {
		ssh, err = startSSH(n, sshSpec{Addr: s.SSH, Open: s.SSHOpen, Idle: s.SSHIdle, Max: s.SSHMax, DataDir: cfg.DataDir}, log)
		if err != nil {
			n.Close(context.Background())
			return err
		}
	}
	printBanner(out, n, ssh, cfg.DataDir)

	<-ctx.Done()
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errSSH error
	if ssh != nil {
		errSSH = ssh.Close(shutdownCtx)
	}
	return errors.Join(errSSH, n.Close(shutdownCtx))
}

func printBanner(out io.Writer, n *node, ssh *sshFront, dataDir string) {
	fmt.Fprintf(out, "cometterm server\n")
	fmt.Fprintf(out, "  URL           %s   (client API %s/v3.0, REST API %s/v3, WebSocket on /)\n", n.URL, n.URL, n.URL)
	fmt.Fprintf(out, "  App ID        %s\n", n.App.AppID)
	fmt.Fprintf(out, "  Auth Key      %s\n", n.App.AuthKey)
	if n.Keys.RESTAPIKey != "" {
		fmt.Fprintf(out, "  REST API Key  %s\n", n.Keys.RESTAPIKey)
		if n.Keys.RESTKeyGenerated {
			fmt.Fprintf(out, "                (generated now and stored only as a hash: keep it; it is not shown again)\n")
		}
	} else {
		fmt.Fprintf(out, "  REST API Key  (stored as a hash; shown only when generated, or set it with --rest-api-key)\n")
	}
	if n.CertFile != "" {
		fmt.Fprintf(out, "  TLS cert      %s\n", n.CertFile)
	}
	if ssh != nil {
		host, port, _ := net.SplitHostPort(ssh.Addr)
		fmt.Fprintf(out, "  SSH           ssh -p %s <uid>@%s\n", port, host)
	}
	fmt.Fprintf(out, "  Data          %s\n", filepath.Clean(dataDir))
}

// sshSpec configures the SSH front door.
type sshSpec struct {
	Addr    string
	Open    bool
	Idle    time.Duration
	Max     int
	DataDir string
	// FallbackPort takes any free port when Addr is taken (embedded use).
	FallbackPort bool
	// OverTCP has the sessions' clients reach the node over its TCP
	// listener, as outside clients do, instead of in-process.
	OverTCP bool
}

// sshFront is a running SSH server.
type sshFront struct {
	Addr   string
	srv    *sshd.Server
	served chan error
	http   *http.Client // the sessions' shared client; nil for defaults
}

func (f *sshFront) Close(ctx context.Context) error {
	err := f.srv.Shutdown(ctx)
	<-f.served
	if f.http != nil {
		f.http.CloseIdleConnections()
	}
	return err
}
