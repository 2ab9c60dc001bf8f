package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	groupID   = "bench"
	groupName = "Bench"
	senderUID = "sender"
)

// sampler records the server's RSS and answers to a REST probe while the
// bench runs.
type sampler struct {
	mu       sync.Mutex
	peakRSS  int64
	probes   []time.Duration
	probeErr int
}

func run(ctx context.Context, c config, log *slog.Logger) error {
	nofile, err := raiseFileLimit()
	if err != nil {
		return fmt.Errorf("raise RLIMIT_NOFILE: %w", err)
	}
	if need := uint64(c.sessions*4 + 256); nofile < need {
		return fmt.Errorf("RLIMIT_NOFILE is %d; %d sessions need about %d", nofile, c.sessions, need)
	}
	srv, err := startServer(ctx, c, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	rssStart, _ := srv.rssKB()

	// Users and the group, through the REST API.
	uids := make([]string, c.sessions)
	for i := range uids {
		uids[i] = fmt.Sprintf("u%04d", i)
	}
	setupStart := time.Now()
	if err := createUsers(ctx, srv, append([]string{senderUID}, uids...)); err != nil {
		return err
	}
	if _, err := srv.api(ctx, "POST", "/v3/groups", "", map[string]any{"guid": groupID, "name": groupName, "type": "public", "owner": senderUID}); err != nil {
		return err
	}
	for i := 0; i < len(uids); i += 25 {
		batch := uids[i:min(i+25, len(uids))] // the API takes at most 25 uids a call
		if _, err := srv.api(ctx, "POST", "/v3/groups/"+groupID+"/members", "", map[string]any{"participants": batch}); err != nil {
			return err
		}
	}
	log.Info("users and group ready", "took", time.Since(setupStart))

	// Sessions: log in, open the group.
	maxTokens := int(c.rate*c.duration.Seconds()) + 16
	slowN := int(math.Round(c.slowFraction * float64(c.sessions)))
	sessions := make([]*session, c.sessions)
	defer func() {
		var wg sync.WaitGroup
		for _, s := range sessions {
			if s != nil {
				wg.Add(1)
				go func() { defer wg.Done(); s.Close() }()
			}
		}
		wg.Wait()
	}()
	openStart := time.Now()
	if err := openSessions(ctx, c, srv, uids, sessions, slowN, maxTokens, log); err != nil {
		return err
	}
	openTook := time.Since(openStart)
	rssOpen, _ := srv.rssKB()
	log.Info("sessions open", "n", len(sessions), "took", openTook, "rss_kb", rssOpen)
	if c.serverHeap != "" {
		if err := srv.profile(ctx, "heap?gc=1", 0, c.serverHeap); err != nil {
			log.Warn("server heap profile", "err", err)
		}
	}
	if c.serverGoroutines != "" {
		if err := srv.profile(ctx, "goroutine?debug=1", 0, c.serverGoroutines); err != nil {
			log.Warn("server goroutine profile", "err", err)
		}
	}

	// Measure.
	smp := &sampler{peakRSS: rssOpen}
	sctx, stopSampling := context.WithCancel(ctx)
	var bg sync.WaitGroup
	bg.Add(1)
	go func() { defer bg.Done(); smp.run(sctx, srv) }()
	defer func() { stopSampling(); bg.Wait() }()

	for _, s := range sessions {
		s.measuring.Store(true)
	}
	load0 := loadavg()
	cpu0, _ := srv.cpuTime()
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	profiled := make(chan error, 1)
	traced := make(chan error, 1)
	if c.serverTrace != "" {
		go func() { traced <- srv.profile(ctx, "trace?seconds=5", 5*time.Second, c.serverTrace) }()
	} else {
		traced <- nil
	}
	if c.serverProfile != "" {
		go func() { profiled <- srv.cpuProfile(ctx, c.duration, c.serverProfile) }()
	} else {
		profiled <- nil
	}
	sentAt := make([]atomic.Int64, maxTokens)
	answeredAt := make([]atomic.Int64, maxTokens)
	sendStart := time.Now()
	sent, sendErrs, skipped, restLat := send(ctx, c, srv, sentAt, answeredAt, maxTokens)
	sendEnd := time.Now()
	log.Info("sending done", "sent", sent, "errors", sendErrs, "took", sendEnd.Sub(sendStart))

	// Wait for the last tokens, up to the grace period.
	graceEnd := sendEnd.Add(c.grace)
	for time.Now().Before(graceEnd) && ctx.Err() == nil {
		if allSeen(sessions, sentAt) {
			break
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	cpu1, _ := srv.cpuTime()
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	measureEnd := time.Now()
	stopSampling()
	bg.Wait()
	rssEnd, _ := srv.rssKB()
	if err := <-traced; err != nil {
		log.Warn("server trace", "err", err)
	}
	if c.serverHeapEnd != "" {
		if err := srv.profile(ctx, "heap?gc=1", 0, c.serverHeapEnd); err != nil {
			log.Warn("server heap profile", "err", err)
		}
	}
	if c.serverMemStats != "" {
		// Before a collection, as the run left it: the text form ends
		// with the runtime's memory statistics (heap, stacks, goroutines).
		if err := srv.profile(ctx, "heap?debug=1", 0, c.serverMemStats); err != nil {
			log.Warn("server memory statistics", "err", err)
		}
	}
	if c.serverBlock != "" {
		if err := srv.profile(ctx, "block", 0, c.serverBlock); err != nil {
			log.Warn("server block profile", "err", err)
		}
	}
	if err := <-profiled; err != nil {
		log.Warn("server profile", "err", err)
	} else if c.serverProfile != "" {
		log.Info("server profile written", "file", c.serverProfile)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// Figures.
	type group struct {
		name                string
		lat                 []time.Duration
		afterAnswer         []time.Duration // on screen minus the post's answer
		delivered, expected int
		lastSeen            int64
		sessions, dead      int
		bytes               int64
		lossy, longestLoss  int // sessions that lost any; the longest run of consecutive losses
	}
	var dump *bufio.Writer
	if c.deliveries != "" {
		f, err := os.Create(c.deliveries)
		if err != nil {
			return err
		}
		defer f.Close()
		dump = bufio.NewWriter(f)
		fmt.Fprintln(dump, "token\tsession\tposted_ns\tanswered_ns\tseen_ns")
	}
	fast, slow := &group{name: "normal"}, &group{name: "slow"}
	for i, s := range sessions {
		g := fast
		if i < slowN {
			g = slow
		}
		g.sessions++
		if !s.alive() {
			g.dead++
		}
		g.bytes += s.outputBytes()
		run, lost := 0, false
		for id := 0; id < maxTokens; id++ {
			at := sentAt[id].Load()
			if at == 0 {
				continue // never sent, or the post failed
			}
			g.expected++
			if seen := s.seenAt(id); seen != 0 {
				if dump != nil {
					fmt.Fprintf(dump, "%d\t%d\t%d\t%d\t%d\n", id, i, at, answeredAt[id].Load(), seen)
				}
				g.delivered++
				g.lat = append(g.lat, time.Duration(seen-at))
				g.afterAnswer = append(g.afterAnswer, time.Duration(seen-answeredAt[id].Load()))
				g.lastSeen = max(g.lastSeen, seen)
				run = 0
				continue
			}
			run++
			lost = true
			g.longestLoss = max(g.longestLoss, run)
		}
		if lost {
			g.lossy++
		}
		if c.verbose {
			var ids []int
			for id := 0; id < maxTokens; id++ {
				if sentAt[id].Load() != 0 && s.seenAt(id) == 0 {
					ids = append(ids, id)
				}
			}
			if len(ids) > 0 {
				log.Info("lost", "session", i, "tokens", fmt.Sprint(ids))
			}
		}
	}
	if dump != nil {
		if err := dump.Flush(); err != nil {
			return fmt.Errorf("deliveries: %w", err)
		}
	}
	cpuServer := cpu1 - cpu0
	cpuBench := time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) * time.Nanosecond
	wall := measureEnd.Sub(sendStart)

	fmt.Printf("SSH front door: %d sessions (%d slow), %dx%d terminals, one group\n", c.sessions, slowN, c.width, c.height)
	fmt.Printf("  sessions opened      %d in %v (%.0f/s), RSS %s → %s\n", c.sessions, openTook.Round(time.Millisecond),
		float64(c.sessions)/openTook.Seconds(), mb(rssStart), mb(rssOpen))
	fmt.Printf("  posted               %d messages in %v (%.0f/s asked, %.0f/s achieved), %d failed, %d skipped (all senders busy), REST p50 %v p99 %v\n",
		sent, sendEnd.Sub(sendStart).Round(time.Millisecond), c.rate, float64(sent)/sendEnd.Sub(sendStart).Seconds(), sendErrs, skipped,
		pct(restLat, 50), pct(restLat, 99))
	for _, g := range []*group{fast, slow} {
		if g.sessions == 0 {
			continue
		}
		slices.Sort(g.lat)
		slices.Sort(g.afterAnswer)
		span := time.Duration(g.lastSeen - sendStart.UnixNano())
		rate := 0.0
		if span > 0 {
			rate = float64(g.delivered) / span.Seconds()
		}
		fmt.Printf("  %-7s sessions     %d (%d ended early), output %s\n", g.name, g.sessions, g.dead, mb(g.bytes/1024))
		fmt.Printf("    screen deliveries  %d of %d (%.0f/s over %v)\n", g.delivered, g.expected, rate, span.Round(time.Millisecond))
		fmt.Printf("    latency on screen  p50 %v  p90 %v  p99 %v  max %v\n", pct(g.lat, 50), pct(g.lat, 90), pct(g.lat, 99), pct(g.lat, 100))
		fmt.Printf("    after the answer   p50 %v  p90 %v  p99 %v (on screen after the post's REST answer came back; negative: before)\n",
			pct(g.afterAnswer, 50), pct(g.afterAnswer, 90), pct(g.afterAnswer, 99))
		fmt.Printf("    lost               %d (not on screen %v after the last post), in %d sessions, at most %d in a row\n",
			g.expected-g.delivered, c.grace, g.lossy, g.longestLoss)
	}
	smp.mu.Lock()
	probes := slices.Clone(smp.probes)
	peak, probeErr := smp.peakRSS, smp.probeErr
	smp.mu.Unlock()
	slices.Sort(probes)
	fmt.Printf("  server RSS           peak %s, end %s\n", mb(peak), mb(rssEnd))
	fmt.Printf("  server CPU           %.2f cores over %v; this program %.2f cores\n", cpuServer.Seconds()/wall.Seconds(), wall.Round(time.Millisecond), cpuBench.Seconds()/wall.Seconds())
	fmt.Printf("  machine load         %s at the start of the send phase, %s at its end (%d CPUs)\n", load0, loadavg(), runtime.NumCPU())
	fmt.Printf("  REST probe           %d answered, p50 %v p99 %v max %v, %d failed\n", len(probes), pct(probes, 50), pct(probes, 99), pct(probes, 100), probeErr)
	return nil
}

// loadavg is the 1-minute load average: other work on the machine shares
// its cores with the server and this program.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

// pct is the p-th percentile of sorted durations (p=100: the maximum).
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	if !slices.IsSorted(sorted) {
		sorted = slices.Clone(sorted)
		slices.Sort(sorted)
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(time.Millisecond / 10)
}

func createUsers(ctx context.Context, srv *server, uids []string) error {
	work := make(chan string)
	errs := make(chan error, len(uids))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for uid := range work {
				_, err := srv.api(ctx, "POST", "/v3/users", "", map[string]any{"uid": uid, "name": "User " + uid})
				errs <- err
			}
		}()
	}
	for _, uid := range uids {
		work <- uid
	}
	close(work)
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		if err != nil {
			all = append(all, err)
		}
	}
	return errors.Join(all...)
}

// openSessions logs every user in over SSH, a few at a time, and opens
// the group in each. The first slowN sessions read their output slowly.
func openSessions(ctx context.Context, c config, srv *server, uids []string, out []*session, slowN, tokens int, log *slog.Logger) error {
	work := make(chan int)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range c.connectParallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var slow time.Duration
				if i < slowN {
					slow = c.slowRead
				}
				s, err := dialSession(ctx, srv.sshAddr, uids[i], c.width, c.height, slow, tokens, 30*time.Second)
				if err == nil {
					mu.Lock()
					out[i] = s
					mu.Unlock()
					err = s.openGroup(ctx, groupName, 60*time.Second)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range uids {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		work <- i
		if (i+1)%50 == 0 {
			log.Info("sessions", "opened", i+1)
		}
	}
	close(work)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// send posts tokens to the group at the configured rate for the
// configured time, with at most c.senders requests in flight. A post that
// is due while every sender is busy is skipped (counted), so the phase
// ends on time however slow the server is. sentAt[i] is when token i was
// posted; it stays 0 for a skipped or failed post. answeredAt[i] is when
// its answer came back.
func send(ctx context.Context, c config, srv *server, sentAt, answeredAt []atomic.Int64, maxTokens int) (sent, failed, skipped int, lat []time.Duration) {
	// Requests still running 10s after the phase are abandoned.
	rctx, cancel := context.WithTimeout(ctx, c.duration+10*time.Second)
	defer cancel()
	jobs := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range c.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				sentAt[i].Store(t0.UnixNano())
				_, err := srv.api(rctx, "POST", "/v3/messages", senderUID, map[string]any{
					"receiver": groupID, "receiverType": "group", "category": "message", "type": "text",
					"data": map[string]any{"text": "load " + token(i)},
				})
				d := time.Since(t0)
				answeredAt[i].Store(t0.Add(d).UnixNano())
				mu.Lock()
				if err != nil {
					sentAt[i].Store(0)
					failed++
				} else {
					sent++
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		}()
	}
	interval := time.Duration(float64(time.Second) / c.rate)
	start := time.Now()
	for i := 0; i < maxTokens; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= c.duration {
			break
		}
		if wait := time.Until(at); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- i:
		default:
			skipped++
		}
	}
	close(jobs)
	wg.Wait()
	slices.Sort(lat)
	return sent, failed, skipped, lat
}

// allSeen reports whether every session has seen every posted token.
func allSeen(sessions []*session, sentAt []atomic.Int64) bool {
	for _, s := range sessions {
		for id := range sentAt {
			if sentAt[id].Load() > 0 && s.seenAt(id) == 0 {
				return false
			}
		}
	}
	return true
}

// run samples RSS every 250ms and probes the REST API every 250ms until
// ctx ends.
func (smp *sampler) run(ctx context.Context, srv *server) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if kb, err := srv.rssKB(); err == nil {
			smp.mu.Lock()
			smp.peakRSS = max(smp.peakRSS, kb)
			smp.mu.Unlock()
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		t0 := time.Now()
		_, err := srv.api(pctx, "GET", "/v3/users/"+senderUID, "", nil)
		d := time.Since(t0)
		cancel()
		smp.mu.Lock()
		if err != nil {
			if ctx.Err() == nil {
				smp.probeErr++
			}
		} else {
			smp.probes = append(smp.probes, d)
		}
		smp.mu.Unlock()
	}
}
