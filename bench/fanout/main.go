// Command fanout measures the WebSocket hub's fan-out from a separate
// process: N clients join one group, one sender posts messages through the
// REST API, and the clients count what arrives. In the same run, the same
// clients are then fed by a raw broadcaster inside this process (one
// pre-encoded frame written to every socket, no server logic), which gives
// the ceiling the server is compared with.
//
// It prints three figures: delivered frames/s at saturation, the raw
// ceiling and their ratio; and p50/p99 send→receive latency at a paced
// rate.
//
//	go run ./bench/fanout                      # builds and starts tmp/cometterm serve
//	go run ./bench/fanout -server http://127.0.0.1:8080 -app-id A -auth-key K -rest-key R
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"time"
)

type config struct {
	server, appID, authKey, restKey string
	binary                          string
	clients, messages, window       int
	rounds                          int
	posters                         int
	pacedRate                       float64
	pacedFor                        time.Duration
	timeout                         time.Duration
	verbose                         bool
	inProcess                       bool
	cpuProfile                      string
	keep                            bool
}

func main() {
	var c config
	flag.StringVar(&c.server, "server", "", "base URL of a running server (empty: build and start one)")
	flag.StringVar(&c.appID, "app-id", "benchapp", "app ID")
	flag.StringVar(&c.authKey, "auth-key", "bench-auth-key-0123456789", "Auth Key")
	flag.StringVar(&c.restKey, "rest-key", "bench-rest-api-key-0123456789", "REST API Key")
	flag.StringVar(&c.binary, "binary", "tmp/cometterm", "where to build the server binary when starting one")
	flag.IntVar(&c.clients, "clients", 1000, "WebSocket clients in the group")
	flag.IntVar(&c.messages, "messages", 1000, "messages posted in the saturation phase")
	flag.IntVar(&c.window, "window", 64, "messages in flight at saturation (keep below the server's send queue)")
	flag.IntVar(&c.posters, "posters", 4, "concurrent REST requests at saturation")
	flag.IntVar(&c.rounds, "rounds", 3, "saturation rounds, server and raw alternating; medians are reported")
	flag.Float64Var(&c.pacedRate, "rate", 10, "messages per second in the paced phase")
	flag.DurationVar(&c.pacedFor, "paced", 20*time.Second, "length of the paced phase")
	flag.DurationVar(&c.timeout, "timeout", 15*time.Minute, "give up after this long")
	flag.BoolVar(&c.verbose, "v", false, "log progress")
	flag.BoolVar(&c.keep, "keep", false, "keep the started server's data dir and log")
	flag.BoolVar(&c.inProcess, "inprocess", false, "assemble the server inside this process (development only)")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write this process's CPU profile here (with -inprocess it covers the server too)")
	flag.Parse()

	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fanout:", err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "fanout:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(ctx, c, log); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}
