package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// fleet is one socket per bench user, all connected to the same place
// (the server or the raw broadcaster), reporting into the current phase.
type fleet struct {
	clients []*client
	cur     atomic.Pointer[phase]
	stop    chan struct{}
	pinging sync.WaitGroup
	once    sync.Once
}

// connectFleet opens and authenticates one socket per user at wsURL, and
// pings each every 15s as the SDK does, so the server's idle timeout
// leaves them alone.
func (b *bench) connectFleet(ctx context.Context, wsURL string) (*fleet, error) {
	f := &fleet{clients: make([]*client, len(b.uids)), stop: make(chan struct{})}
	start := time.Now()
	err := parallel(ctx, 32, len(b.uids), func(i int) error {
		cl, err := dialClient(ctx, wsURL, b.c.appID, b.uids[i], "dev-"+b.uids[i], b.jwts[i], &f.cur)
		f.clients[i] = cl
		return err
	})
	if err != nil {
		f.close()
		return nil, err
	}
	b.log.Info("sockets open", "url", wsURL, "clients", len(f.clients), "took", time.Since(start))
	f.pinging.Go(func() {
		tick := time.NewTicker(15 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-tick.C:
			}
			for _, cl := range f.clients {
				cl.ping()
			}
		}
	})
	return f, nil
}

// close stops the pings and closes every socket; it may be called twice.
func (f *fleet) close() {
	f.once.Do(func() {
		close(f.stop)
		f.pinging.Wait()
		var wg sync.WaitGroup
		for _, cl := range f.clients {
			if cl != nil {
				wg.Go(cl.close)
			}
		}
		wg.Wait()
	})
}

// lost reports clients whose socket ended.
func (f *fleet) lost() error {
	n, first := 0, error(nil)
	for _, cl := range f.clients {
		if err := cl.closedEarly(); err != nil {
			n++
			if first == nil {
				first = err
			}
		}
	}
	if n > 0 {
		return fmt.Errorf("%d clients lost their socket (first: %v)", n, first)
	}
	return nil
}

// await waits for n completions of p, calling each() per completion and
// failing early if a client is cut.
func (f *fleet) await(ctx context.Context, p *phase, n int, each func()) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for got := 0; got < n; {
		select {
		case <-p.complete:
			got++
			each()
		case <-tick.C:
			if err := f.lost(); err != nil {
				return err
			}
		case <-ctx.Done():
			return fmt.Errorf("%d of %d messages reached every client: %w", got, n, ctx.Err())
		}
	}
	return nil
}

// latencies collects every client's recorded send→receive times, and the
// spread: how long after the first client each client got the same
// message (the fan-out alone, without the REST call before it).
func (f *fleet) latencies() (lat, spread []time.Duration) {
	var all []sample
	for _, cl := range f.clients {
		all = append(all, cl.latencies()...)
	}
	first := make(map[int]time.Duration)
	for _, s := range all {
		if d, ok := first[s.seq]; !ok || s.d < d {
			first[s.seq] = s.d
		}
	}
	lat = make([]time.Duration, len(all))
	spread = make([]time.Duration, len(all))
	for i, s := range all {
		lat[i], spread[i] = s.d, s.d-first[s.seq]
	}
	return lat, spread
}
