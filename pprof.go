package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"
)

// startPprof serves Go's profiler on addr (COMETTERM_PPROF, loopback
// only, for benchmarks) and returns the function that stops it. An empty
// addr serves nothing. block turns on the blocking and mutex profiles.
func startPprof(addr string, block bool, log *slog.Logger) func() {
	if addr == "" {
		return func() {}
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Warn("pprof not started: COMETTERM_PPROF must be a loopback host:port", "addr", addr)
		return func() {}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Warn("pprof not started", "err", err)
		return func() {}
	}
	// Contention too, when asked (COMETTERM_PPROF_BLOCK): where requests
	// wait (locks, channels, the store's single writer) is what a
	// saturated server needs explained, but recording it costs every
	// channel operation some time, which skews the other profiles.
	if block {
		runtime.SetMutexProfileFraction(10)
		runtime.SetBlockProfileRate(int(time.Millisecond))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("pprof", "err", err)
		}
	}()
	log.Info("pprof listening", "addr", ln.Addr().String())
	return func() {
		srv.Close()
		<-done
	}
}
