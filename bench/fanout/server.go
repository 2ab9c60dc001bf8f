package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"cometterm/bench/internal/benchbuild"
)

// child is a server process this program started.
type child struct {
	cmd     *exec.Cmd
	keep    bool // leave the data dir and server.log behind
	dataDir string
	logFile *os.File
	exited  chan error
}

// startChild builds the server binary from the module root and runs
// `serve` on a free loopback port with the bench's keys.
func startChild(ctx context.Context, c config, log *slog.Logger) (*child, string, error) {
	log.Info("building server", "binary", c.binary)
	bin, err := benchbuild.Binary(ctx, c.binary)
	if err != nil {
		return nil, "", err
	}
	addr, err := freePort()
	if err != nil {
		return nil, "", err
	}
	dataDir, err := os.MkdirTemp("", "fanout-data-")
	if err != nil {
		return nil, "", fmt.Errorf("data dir: %w", err)
	}
	logFile, err := os.Create(filepath.Join(dataDir, "server.log"))
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, "", fmt.Errorf("server log: %w", err)
	}
	cmd := exec.Command(bin, "serve", "--http", addr, "--data", dataDir,
		"--app-id", c.appID, "--auth-key", c.authKey, "--rest-api-key", c.restKey)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		os.RemoveAll(dataDir)
		return nil, "", fmt.Errorf("start server: %w", err)
	}
	ch := &child{cmd: cmd, keep: c.keep, dataDir: dataDir, logFile: logFile, exited: make(chan error, 1)}
	go func() { ch.exited <- cmd.Wait() }()
	url := "http://" + addr
	if err := waitUp(ctx, url, ch.exited); err != nil {
		ch.Close()
		return nil, "", err
	}
	log.Info("server started", "url", url, "pid", cmd.Process.Pid, "log", logFile.Name())
	return ch, url, nil
}

// Close stops the server politely (SIGINT), then hard after 15s, and
// removes its data unless asked to keep it.
func (ch *child) Close() {
	_ = ch.cmd.Process.Signal(os.Interrupt)
	select {
	case <-ch.exited:
	case <-time.After(15 * time.Second):
		_ = ch.cmd.Process.Kill()
		<-ch.exited
	}
	ch.logFile.Close()
	if ch.keep {
		fmt.Fprintf(os.Stderr, "server data and log kept in %s\n", ch.dataDir)
		return
	}
	os.RemoveAll(ch.dataDir)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitUp polls the server until it answers HTTP, the process exits, or
// 60s pass.
func waitUp(ctx context.Context, url string, exited <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v3/users", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited before answering: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("server did not answer within 60s")
		}
	}
}

// raiseFileLimit lifts the soft open-files limit to the hard one: every
// socket is a file, on both ends. A child server inherits the new limit.
func raiseFileLimit(need uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	if lim.Cur >= need {
		return nil
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("setrlimit: %w", err)
	}
	if lim.Cur < need {
		return fmt.Errorf("open-files limit %d is below the %d this run needs", lim.Cur, need)
	}
	return nil
}
