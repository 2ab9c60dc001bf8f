// Command cometterm is a terminal chat client for the CometChat chat model
// and the CometChat-compatible server it ships with.
//
//	cometterm                      embedded server + demo workspace + the chat
//	cometterm --server URL --uid U --auth-key K
//	cometterm --app-id ID --region R --auth-token T   (CometChat's cloud)
//	cometterm serve --http ADDR [--ssh ADDR] [--tls-self-signed]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"cometterm/config"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := config.Parse(args, getenv, stderr)
	if errors.Is(err, config.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cometterm:", err)
		return 2
	}
	logger, closeLog, err := openLog(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "cometterm:", err)
		return 1
	}
	defer closeLog()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cfg.Command {
	case config.CmdServe:
		err = runServe(ctx, cfg, logger, stdout)
	default:
		err = runChat(ctx, cfg, logger, getenv, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "cometterm:", err)
		return 1
	}
	return 0
}

// openLog sends structured logs to the configured file ("-" is stderr).
// The TUI owns the screen, so it always logs to a file.
func openLog(cfg config.Config) (*slog.Logger, func(), error) {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFile == "-" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(cfg.LogFile), 0o700); err != nil {
		return nil, nil, fmt.Errorf("log dir: %w", err)
	}
	f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, opts)), func() { f.Close() }, nil
}
