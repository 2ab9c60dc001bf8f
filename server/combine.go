package server

import "sync"

// combiner runs functions one at a time, in the order they arrive, like a
// mutex around each; but a caller that finds others already running does
// not wait to be scheduled for its turn: the caller running now (the
// leader) runs the queued functions too, then hands the rest to the next
// in line. Posting a message holds this for the insert and the fan-out;
// under load, hundreds of session goroutines are runnable, and with a
// mutex every hand-over waited for the next poster to be scheduled, which
// took longer than the insert itself.
type combiner struct {
	mu      sync.Mutex
	queue   []*combineJob
	running bool
}

type combineJob struct {
	fn       func()
	wake     chan bool // true: fn ran; false: the caller leads now
	panicked any
	failed   bool
}

// maxCombine bounds how many queued functions one leader runs before it
// hands over, so that no caller waits behind an endless stream.
const maxCombine = 64

// do runs fn after everything that came before it and before everything
// that comes after it, and returns once fn has run. A panic in fn is
// raised in this caller.
func (k *combiner) do(fn func()) {
	j := &combineJob{fn: fn, wake: make(chan bool, 1)}
	k.mu.Lock()
	k.queue = append(k.queue, j)
	if k.running {
		k.mu.Unlock()
		if <-j.wake {
			j.rethrow()
			return
		}
		// The previous leader left j at the head of the queue to lead.
	} else {
		k.running = true
		k.mu.Unlock()
	}
	k.lead(j)
	j.rethrow()
}

// lead runs a batch from the head of the queue (self is in it) and hands
// over to whoever is next.
func (k *combiner) lead(self *combineJob) {
	k.mu.Lock()
	n := min(len(k.queue), maxCombine)
	batch := k.queue[:n:n]
	k.queue = k.queue[n:]
	k.mu.Unlock()
	for _, b := range batch {
		b.run()
		if b != self {
			b.wake <- true
		}
	}
	k.mu.Lock()
	if len(k.queue) == 0 {
		k.queue, k.running = nil, false
		k.mu.Unlock()
		return
	}
	next := k.queue[0]
	k.mu.Unlock()
	next.wake <- false
}

func (j *combineJob) run() {
	defer func() {
		if r := recover(); r != nil {
			j.panicked, j.failed = r, true
		}
	}()
	j.fn()
}

func (j *combineJob) rethrow() {
	if j.failed {
		panic(j.panicked)
	}
}
