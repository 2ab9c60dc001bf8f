package server

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCombinerRunsOneAtATimeInOrder: functions never overlap, each runs
// exactly once, and every caller returns only after its own ran; a caller
// that arrives after another returned runs after it.
func TestCombinerRunsOneAtATimeInOrder(t *testing.T) {
	var k combiner
	var inside atomic.Int32
	var mu sync.Mutex
	var order []int
	ran := make([]atomic.Bool, 2000)
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				id := g*100 + i
				k.do(func() {
					if inside.Add(1) != 1 {
						t.Error("two functions ran at once")
					}
					mu.Lock()
					order = append(order, id)
					mu.Unlock()
					if i%10 == 0 {
						time.Sleep(10 * time.Microsecond) // let others queue up
					}
					inside.Add(-1)
				})
				if ran[id].Swap(true) {
					t.Errorf("job %d returned twice", id)
				}
				mu.Lock()
				last := order[len(order)-1]
				found := false
				for _, x := range order {
					found = found || x == id
				}
				mu.Unlock()
				if !found {
					t.Errorf("job %d returned before it ran (last ran %d)", id, last)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(order) != 2000 {
		t.Fatalf("%d functions ran, want 2000", len(order))
	}
	// Each goroutine's own calls ran in the order it made them.
	next := make([]int, 20)
	for _, id := range order {
		g, i := id/100, id%100
		if i != next[g] {
			t.Fatalf("goroutine %d: call %d ran before call %d", g, i, next[g])
		}
		next[g]++
	}
}

// TestCombinerPanicReachesItsCaller: a panicking function panics in the
// caller that gave it, and the others queued with it still run.
func TestCombinerPanicReachesItsCaller(t *testing.T) {
	var k combiner
	block := make(chan struct{})
	started := make(chan struct{})
	leaderDone := make(chan struct{})
	go func() {
		defer close(leaderDone)
		k.do(func() { close(started); <-block })
	}()
	<-started
	var ran atomic.Int32
	var wg sync.WaitGroup
	panicked := make(chan any, 1)
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer func() { panicked <- recover() }()
		k.do(func() { panic("boom") })
	}()
	waitQueued(t, &k, 1)
	go func() {
		defer wg.Done()
		k.do(func() { ran.Add(1) })
	}()
	waitQueued(t, &k, 2)
	close(block)
	wg.Wait()
	<-leaderDone
	if got := <-panicked; got != "boom" {
		t.Fatalf("the panicking caller recovered %v, want boom", got)
	}
	if ran.Load() != 1 {
		t.Fatal("the function queued after the panicking one did not run")
	}
	k.do(func() { ran.Add(1) })
	if ran.Load() != 2 {
		t.Fatal("the combiner stopped working after a panic")
	}
}

// TestCombinerHandsOver: a leader runs at most maxCombine functions for
// others, then the next in line leads, and everyone returns.
func TestCombinerHandsOver(t *testing.T) {
	var k combiner
	block := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		k.do(func() { close(started); <-block })
	}()
	<-started
	n := 3*maxCombine + 5
	var count atomic.Int32
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k.do(func() { count.Add(1) })
		}()
		waitQueued(t, &k, i+1)
	}
	close(block)
	wg.Wait()
	if got := count.Load(); int(got) != n {
		t.Fatalf("%d of %d functions ran", got, n)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.running || len(k.queue) != 0 {
		t.Fatalf("left running=%v with %d queued", k.running, len(k.queue))
	}
}

// waitQueued waits (bounded) until n callers wait behind the running one.
func waitQueued(t *testing.T, k *combiner, n int) {
	t.Helper()
	for range 5000 {
		k.mu.Lock()
		q := len(k.queue)
		k.mu.Unlock()
		if q >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("never saw %d queued", n)
}
