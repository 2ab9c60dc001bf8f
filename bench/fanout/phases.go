package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// saturate sends c.messages messages with at most c.window in flight
// (not yet received by every client) and measures delivered frames/s.
// The window stays below the server's per-socket queue, so the figure is
// throughput, not the slow-consumer cut. send delivers message seq of p
// (a REST post, or the raw broadcaster).
func (b *bench) saturate(ctx context.Context, f *fleet, send func(ctx context.Context, p *phase, seq int) error) (throughput, error) {
	m := b.c.messages
	p := newPhase(m, len(f.clients), false)
	f.cur.Store(p)
	slots := make(chan struct{}, b.c.window)
	seqs := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	errs := make(chan error, b.c.posters)
	var wg sync.WaitGroup
	for range b.c.posters {
		wg.Go(func() {
			for seq := range seqs {
				if err := send(ctx, p, seq); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		})
	}
	start := time.Now()
	var awaitErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		awaitErr = f.await(ctx, p, m, func() { <-slots })
		if awaitErr != nil {
			cancel() // unblock the feeder waiting for a slot
		}
	}()
feed:
	for seq := range m {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break feed
		}
		select {
		case seqs <- seq:
		case <-ctx.Done():
			break feed
		}
	}
	close(seqs)
	wg.Wait()
	<-done
	elapsed := time.Since(start)
	select {
	case err := <-errs:
		return throughput{}, fmt.Errorf("saturation: %w", err)
	default:
	}
	if awaitErr != nil {
		return throughput{}, fmt.Errorf("saturation: %w", awaitErr)
	}
	return throughput{rate: float64(m) * float64(len(f.clients)) / elapsed.Seconds(), elapsed: elapsed}, nil
}

// paced sends at c.pacedRate for c.pacedFor and returns every client's
// send→receive latency, its spread after the first receiver, and the POST
// round trips.
func (b *bench) paced(ctx context.Context, f *fleet) (lat, spread, posts []time.Duration, err error) {
	n := int(b.c.pacedRate * b.c.pacedFor.Seconds())
	p := newPhase(n, len(f.clients), true)
	f.cur.Store(p)
	every := time.Duration(float64(time.Second) / b.c.pacedRate)
	tick := time.NewTicker(every)
	defer tick.Stop()

	var mu sync.Mutex
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for seq := range n {
		if seq > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return nil, nil, nil, ctx.Err()
			}
		}
		// Each send on its own goroutine: a slow POST must not delay the
		// next tick.
		wg.Go(func() {
			start := time.Now()
			if err := b.post(ctx, p, seq); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			posts = append(posts, time.Since(start))
			mu.Unlock()
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, nil, nil, fmt.Errorf("paced: %w", err)
	default:
	}
	if err := f.await(ctx, p, n, func() {}); err != nil {
		return nil, nil, nil, fmt.Errorf("paced: %w", err)
	}
	lat, spread = f.latencies()
	return lat, spread, posts, nil
}

// framesLike makes n copies of a server frame whose text is "b:<k>", the
// i-th carrying seq i.
func framesLike(sample []byte, n int) ([][]byte, error) {
	seq, ok := parseSeq(sample)
	if !ok {
		return nil, fmt.Errorf("sample frame has no bench text: %s", sample)
	}
	old := fmt.Appendf(nil, `"text":"b:%d"`, seq)
	if bytes.Count(sample, old) != 1 {
		return nil, fmt.Errorf("sample frame text is ambiguous: %s", sample)
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Replace(sample, old, fmt.Appendf(nil, `"text":"b:%d"`, i), 1)
	}
	return out, nil
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first
// error.
func parallel(ctx context.Context, workers, n int, fn func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// pct is the q-th percentile of ds (q in 0..100).
func pct(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q / 100 * float64(len(s)-1))
	return s[i].Round(10 * time.Microsecond)
}
