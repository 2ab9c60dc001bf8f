package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const guid = "fanout"

// bench is the state shared by the phases of one run.
type bench struct {
	c       config
	log     *slog.Logger
	api     *rest
	wsURL   string
	sender  string // the sender's auth token
	groupID string
	cur     atomic.Pointer[phase]
	clients []*client
	uids    []string
	jwts    []string
}

func run(ctx context.Context, c config, log *slog.Logger) error {
	if c.clients < 1 || c.messages < 1 || c.window < 1 || c.posters < 1 || c.pacedRate <= 0 {
		return errors.New("clients, messages, window, posters and rate must be positive")
	}
	if err := raiseFileLimit(uint64(3*c.clients + 256)); err != nil {
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
	b := &bench{c: c, log: log, api: newREST(base, c.appID, 64),
		wsURL: "ws" + strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http") + "/"}
	defer b.closeClients()

	if err := b.setup(ctx); err != nil {
		return err
	}
	if err := b.connect(ctx, b.wsURL); err != nil {
		return err
	}
	stopPings := b.keepAlive()
	defer stopPings()
	sample, err := b.warmUp(ctx)
	if err != nil {
		return err
	}
	sat, err := b.saturate(ctx, b.post)
	if err != nil {
		return err
	}
	lat, posts, err := b.paced(ctx)
	if err != nil {
		return err
	}
	stopPings()
	b.closeClients()
	ceiling, err := b.rawCeiling(ctx, sample)
	if err != nil {
		return err
	}

	n, m := c.clients, c.messages
	fmt.Printf("fan-out: %d WebSocket clients in one group, server: %s\n", n, where)
	fmt.Printf("  saturation   %d messages × %d clients (window %d, %d posters): %.0f frames/s (%v)\n",
		m, n, c.window, c.posters, sat.rate, sat.elapsed.Round(time.Millisecond))
	fmt.Printf("  raw ceiling  %d pre-encoded ~%d-byte frames, each written to every socket (same clients, same window): %.0f frames/s (%v)\n",
		m, len(sample), ceiling.rate, ceiling.elapsed.Round(time.Millisecond))
	fmt.Printf("  ratio        %.2f\n", sat.rate/ceiling.rate)
	fmt.Printf("  paced        %.0f msg/s (%.0f frames/s) for %v: send→receive p50 %v, p99 %v, max %v (%d samples); POST p50 %v, p99 %v\n",
		c.pacedRate, c.pacedRate*float64(n), c.pacedFor, pct(lat, 50), pct(lat, 99), pct(lat, 100), len(lat), pct(posts, 50), pct(posts, 99))
	return nil
}

type throughput struct {
	rate    float64
	elapsed time.Duration
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
	g := guid + "-" + stamp
	if err := b.api.createGroup(ctx, restKey, g, sender); err != nil {
		return err
	}
	for i := 0; i < len(b.uids); i += 25 {
		if err := b.api.addMembers(ctx, restKey, g, b.uids[i:min(i+25, len(b.uids))]); err != nil {
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
	b.groupID = g
	b.log.Info("setup done", "users", len(b.uids), "group", g, "took", time.Since(start))
	return nil
}

// connect opens and authenticates one socket per user at wsURL.
func (b *bench) connect(ctx context.Context, wsURL string) error {
	b.clients = make([]*client, len(b.uids))
	start := time.Now()
	err := parallel(ctx, 32, len(b.uids), func(i int) error {
		cl, err := dialClient(ctx, wsURL, b.c.appID, b.uids[i], "dev-"+b.uids[i], b.jwts[i], &b.cur)
		b.clients[i] = cl
		return err
	})
	b.log.Info("sockets open", "url", wsURL, "clients", len(b.clients), "took", time.Since(start))
	return err
}

// keepAlive pings every socket every 15s, as the SDK does, so that the
// server's idle timeout leaves them alone. The returned func stops it and
// may be called more than once.
func (b *bench) keepAlive() func() {
	clients := b.clients
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(15 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			for _, cl := range clients {
				cl.ping()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-done
		})
	}
}

func (b *bench) closeClients() {
	var wg sync.WaitGroup
	for _, cl := range b.clients {
		if cl != nil {
			wg.Go(cl.close)
		}
	}
	wg.Wait()
	b.clients = nil
}

// post sends message seq of phase p through the REST API.
func (b *bench) post(ctx context.Context, p *phase, seq int) error {
	p.markSent(seq)
	return b.api.send(ctx, b.sender, "bench-sender", b.groupID, fmt.Sprintf("b:%d", seq))
}

// await waits for n completions of p, failing early if a client is cut.
func (b *bench) await(ctx context.Context, p *phase, n int) error {
	return b.awaitEach(ctx, p, n, func() {})
}

// lost reports clients whose socket ended.
func (b *bench) lost() error {
	n, first := 0, error(nil)
	for _, cl := range b.clients {
		if err := cl.closedEarly(); err != nil {
			n++
			first = cmpOr(first, err)
		}
	}
	if n > 0 {
		return fmt.Errorf("%d clients lost their socket (first: %v)", n, first)
	}
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// warmUp sends a few messages, waits for them everywhere and returns one
// frame as the server sent it (the raw broadcaster repeats it).
func (b *bench) warmUp(ctx context.Context) ([]byte, error) {
	const n = 5
	p := newPhase(n, len(b.clients), false)
	b.cur.Store(p)
	for seq := range n {
		if err := b.post(ctx, p, seq); err != nil {
			return nil, err
		}
	}
	if err := b.await(ctx, p, n); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	// A frame exactly as the server sent it, for the raw broadcaster.
	frame := b.clients[0].sample.Load()
	if frame == nil {
		return nil, errors.New("warm-up: no message frame seen")
	}
	return *frame, nil
}
