package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// bench is the state shared by the phases of one run.
type bench struct {
	c       config
	log     *slog.Logger
	api     *rest
	sender  string // the sender's auth token
	groupID string
	uids    []string
	jwts    []string
}

type throughput struct {
	rate    float64
	elapsed time.Duration
}

func run(ctx context.Context, c config, log *slog.Logger) error {
	if c.clients < 1 || c.messages < 1 || c.window < 1 || c.posters < 1 || c.rounds < 1 || c.pacedRate <= 0 {
		return errors.New("clients, messages, window, posters, rounds and rate must be positive")
	}
	// Both fleets and the raw broadcaster's side are open at once.
	if err := raiseFileLimit(uint64(4*c.clients + 256)); err != nil {
		return err
	}
	base, where := c.server, "server at "+c.server
	switch {
	case c.inProcess:
		p, url, err := startInProcess(ctx, c, log)
		if err != nil {
			return err
		}
		defer p.Close()
		base, where = url, "IN THIS PROCESS (-inprocess; not a reportable figure)"
	case base == "":
		ch, url, err := startChild(ctx, c, log)
		if err != nil {
			return err
		}
		defer ch.Close()
		base, where = url, fmt.Sprintf("child process pid %d (%s)", ch.cmd.Process.Pid, url)
	}
	b := &bench{c: c, log: log, api: newREST(base, c.appID, 64)}
	if err := b.setup(ctx); err != nil {
		return err
	}

	srv, err := b.connectFleet(ctx, "ws"+strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http")+"/")
	if err != nil {
		return err
	}
	defer srv.close()
	sample, err := b.warmUp(ctx, srv)
	if err != nil {
		return err
	}
	frames, err := framesLike(sample, c.messages)
	if err != nil {
		return err
	}
	rs, err := startRaw(frames)
	if err != nil {
		return err
	}
	defer rs.Close()
	raw, err := b.connectFleet(ctx, rs.url)
	if err != nil {
		return err
	}
	defer raw.close()
	rs.start()

	// Alternate the two so that a change in machine load hits both.
	var sats, raws []throughput
	for r := range c.rounds {
		sat, err := b.saturate(ctx, srv, b.post)
		if err != nil {
			return fmt.Errorf("round %d, server: %w", r+1, err)
		}
		ceil, err := b.saturate(ctx, raw, func(_ context.Context, p *phase, seq int) error {
			p.markSent(seq)
			rs.send(seq)
			return nil
		})
		if err != nil {
			return fmt.Errorf("round %d, raw: %w", r+1, err)
		}
		b.log.Info("round", "n", r+1, "server", int(sat.rate), "raw", int(ceil.rate))
		sats, raws = append(sats, sat), append(raws, ceil)
	}
	raw.close()
	lat, spread, posts, err := b.paced(ctx, srv)
	if err != nil {
		return err
	}

	n, m := c.clients, c.messages
	sat, ceil := median(sats), median(raws)
	fmt.Printf("fan-out: %d WebSocket clients in one group; server: %s\n", n, where)
	fmt.Printf("  saturation   %d messages × %d clients through POST /v3.0/messages (window %d, %d posters): %.0f frames/s (median of %d rounds: %s)\n",
		m, n, c.window, c.posters, sat, c.rounds, rates(sats))
	fmt.Printf("  raw ceiling  the same %d frames (~%d bytes) pre-encoded, each written to every socket, same client machinery and window: %.0f frames/s (%s)\n",
		m, len(sample), ceil, rates(raws))
	fmt.Printf("  ratio        %.2f\n", sat/ceil)
	fmt.Printf("  paced        %.0f msg/s (%.0f frames/s) for %v: send→receive p50 %v, p99 %v, max %v (%d samples); POST p50 %v, p99 %v\n",
		c.pacedRate, c.pacedRate*float64(n), c.pacedFor, pct(lat, 50), pct(lat, 99), pct(lat, 100), len(lat), pct(posts, 50), pct(posts, 99))
	fmt.Printf("               fan-out spread (after the first client got the same message): p50 %v, p99 %v\n",
		pct(spread, 50), pct(spread, 99))
	return nil
}

func median(ts []throughput) float64 {
	r := make([]float64, len(ts))
	for i, t := range ts {
		r[i] = t.rate
	}
	slices.Sort(r)
	return r[len(r)/2]
}

func rates(ts []throughput) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = fmt.Sprintf("%.0f", t.rate)
	}
	return strings.Join(s, ", ")
}

// setup creates the sender, the N users and the group, adds everyone
// (before any socket is open, so the join actions fan out to nobody) and
// logs everyone in for a JWT.
func (b *bench) setup(ctx context.Context) error {
	restKey := b.c.restKey
	stamp := time.Now().Format("150405")
	sender := "sender-" + stamp
	tok, err := b.api.createUser(ctx, restKey, sender)
	if err != nil {
		return err
	}
	b.sender = tok
	b.uids = make([]string, b.c.clients)
	tokens := make([]string, b.c.clients)
	for i := range b.uids {
		b.uids[i] = fmt.Sprintf("u%s-%05d", stamp, i)
	}
	start := time.Now()
	if err := parallel(ctx, 16, len(b.uids), func(i int) error {
		t, err := b.api.createUser(ctx, restKey, b.uids[i])
		tokens[i] = t
		return err
	}); err != nil {
		return err
	}
	b.groupID = "fanout-" + stamp
	if err := b.api.createGroup(ctx, restKey, b.groupID, sender); err != nil {
		return err
	}
	for i := 0; i < len(b.uids); i += 25 {
		if err := b.api.addMembers(ctx, restKey, b.groupID, b.uids[i:min(i+25, len(b.uids))]); err != nil {
			return err
		}
	}
	b.jwts = make([]string, len(b.uids))
	if err := parallel(ctx, 16, len(b.uids), func(i int) error {
		j, err := b.api.login(ctx, tokens[i], "dev-"+b.uids[i])
		b.jwts[i] = j
		return err
	}); err != nil {
		return err
	}
	b.log.Info("setup done", "users", len(b.uids), "group", b.groupID, "took", time.Since(start))
	return nil
}

// post sends message seq of phase p through the REST API.
func (b *bench) post(ctx context.Context, p *phase, seq int) error {
	p.markSent(seq)
	return b.api.send(ctx, b.sender, "bench-sender", b.groupID, fmt.Sprintf("b:%d", seq))
}

// warmUp sends a few messages, waits for them everywhere and returns one
// frame exactly as the server sent it, for the raw broadcaster.
func (b *bench) warmUp(ctx context.Context, f *fleet) ([]byte, error) {
	const n = 5
	p := newPhase(n, len(f.clients), false)
	f.cur.Store(p)
	for seq := range n {
		if err := b.post(ctx, p, seq); err != nil {
			return nil, err
		}
	}
	if err := f.await(ctx, p, n, func() {}); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	frame := f.clients[0].sample.Load()
	if frame == nil {
		return nil, errors.New("warm-up: no message frame seen")
	}
	return *frame, nil
}
