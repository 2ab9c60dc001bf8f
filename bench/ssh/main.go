// Command ssh measures the SSH front door end to end: N concurrent SSH
// sessions (each a full chat TUI on the server, logged in through the
// client library and the WebSocket hub) sit in one group while a sender
// posts messages through the REST API. Every session's output is drawn on
// a virtual terminal, and a message counts as delivered to a session the
// first time its token is visible on that session's screen.
//
// It prints screen deliveries per second across sessions, p50/p99
// delivery latency (send → first visible), messages lost (never visible
// within the grace period), the server's RSS and CPU, and how quickly the
// server answered a REST probe during the run.
//
//	go run ./bench/ssh                       # 200 sessions, 100 msg/s for 20 s
//	go run ./bench/ssh -overload             # past saturation, with slow readers
//	go run ./bench/ssh -server-cpuprofile cpu.prof -server-heapprofile heap.prof
//	go run ./bench/ssh -deliveries d.tsv     # every delivery, to see when the slow ones came
//
// A post that falls due while every sender still waits on the server is
// skipped and counted, so the send phase ends on time however slow the
// server is; "lost" counts tokens of successful posts that a session
// never showed within the grace period (with -overload that includes
// messages a slow session scrolled past between two of its frames).
//
// The server runs as a separate process (`cometterm serve --ssh-open`,
// built into tmp/), keyless logins, users created through the REST API.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

type config struct {
	binary                string
	sessions              int
	rate                  float64
	duration, grace       time.Duration
	width, height         int
	connectParallel       int
	senders               int
	overload              bool
	slowFraction          float64
	slowRead              time.Duration
	timeout               time.Duration
	verbose               bool
	appID, authKey, restK string
	serverProfile         string
	serverHeap            string
	serverGoroutines      string
	serverBlock           string
	serverTrace           string
	serverLog             string
	serverHeapEnd         string
	serverMemLimit        string
	ownProfile            string
	serverMemStats        string
	serverGOGC            string
	deliveries            string
}

func main() {
	var c config
	flag.StringVar(&c.binary, "binary", "tmp/cometterm-sshbench", "where to build the server binary (relative to the module root)")
	flag.IntVar(&c.sessions, "n", 200, "concurrent SSH sessions in the group")
	flag.Float64Var(&c.rate, "rate", 100, "messages per second posted to the group (each is delivered to every session)")
	flag.DurationVar(&c.duration, "duration", 20*time.Second, "how long to post messages")
	flag.DurationVar(&c.grace, "grace", 10*time.Second, "how long after the last post a message may still appear before it counts as lost")
	flag.IntVar(&c.width, "w", 100, "terminal width of every session")
	flag.IntVar(&c.height, "h", 30, "terminal height of every session")
	flag.IntVar(&c.connectParallel, "connect-parallel", 8, "SSH logins in flight while sessions open")
	flag.IntVar(&c.senders, "senders", 16, "concurrent REST requests posting messages")
	flag.BoolVar(&c.overload, "overload", false, "run past saturation: -rate 1000 unless set, and a quarter of the sessions read their output slowly")
	flag.Float64Var(&c.slowFraction, "slow", 0, "fraction of sessions that read their output slowly (default 0.25 with -overload)")
	flag.DurationVar(&c.slowRead, "slow-read", 250*time.Millisecond, "a slow session reads 4 KiB of output this often")
	flag.DurationVar(&c.timeout, "timeout", 10*time.Minute, "give up after this long")
	flag.BoolVar(&c.verbose, "v", false, "log progress")
	flag.StringVar(&c.serverProfile, "server-cpuprofile", "", "write the server's CPU profile of the send phase to this file (through COMETTERM_PPROF)")
	flag.StringVar(&c.serverHeap, "server-heapprofile", "", "write the server's heap profile, taken once every session is open, to this file")
	flag.StringVar(&c.serverGoroutines, "server-goroutines", "", "write the server's goroutines, grouped by stack, taken once every session is open, to this file")
	flag.StringVar(&c.serverHeapEnd, "server-heapprofile-end", "", "write the server's heap profile, taken after the grace period, to this file")
	flag.StringVar(&c.serverMemLimit, "server-memlimit", "", "run the server with this GOMEMLIMIT (for example 600MiB)")
	flag.StringVar(&c.serverGOGC, "server-gogc", "", "run the server with this GOGC (for example 50)")
	flag.StringVar(&c.deliveries, "deliveries", "", "write every delivery to this file, tab-separated: token, session, posted, answered, on screen (Unix ns)")
	flag.StringVar(&c.serverLog, "server-log", "", "keep the server's log in this file")
	flag.StringVar(&c.serverTrace, "server-trace", "", "write an execution trace of the server's first 5 s of the send phase to this file (go tool trace)")
	flag.StringVar(&c.serverBlock, "server-blockprofile", "", "write the server's blocking profile (where goroutines waited), taken after the send phase, to this file")
	flag.StringVar(&c.serverMemStats, "server-memstats", "", "write the server's heap profile in text form, with the runtime's memory statistics, after the grace period, to this file")
	flag.StringVar(&c.ownProfile, "cpuprofile", "", "write this program's own CPU profile (SSH clients and terminals) to this file")
	flag.Parse()
	c.appID, c.authKey, c.restK = "benchapp", "bench-auth-key-0123456789", "bench-rest-api-key-0123456789"

	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.overload {
		if !set["rate"] {
			c.rate = 1000
		}
		if !set["slow"] {
			c.slowFraction = 0.25
		}
	}

	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	if c.ownProfile != "" {
		f, err := os.Create(c.ownProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/ssh:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench/ssh:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(ctx, c, log); err != nil {
		fmt.Fprintln(os.Stderr, "bench/ssh:", err)
		os.Exit(1)
	}
}
