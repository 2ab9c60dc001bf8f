package realtime

import "sync"

// outbox hands fan-outs from publishers to one goroutine that queues the
// frames on the sockets, in the order they were published. Publishers
// resolve recipients and encode on their own goroutine (membership as of
// the publish, and no reading of a message the caller may reuse), but do
// not pay for waking a thousand writers while the REST layer holds its
// commit-order lock.
type outbox struct {
	mu      sync.Mutex
	pending []fanout
	wake    chan struct{} // capacity 1: "pending is not empty"
	stop    chan struct{}
	done    chan struct{}
}

// fanout is one frame for the sockets of some users.
type fanout struct {
	uids  []string
	frame []byte
}

func newOutbox() *outbox {
	return &outbox{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// put queues f and never blocks. pending has no bound of its own: draining
// a fan-out only queues frames without waiting (a millisecond for a
// thousand sockets), far faster than the REST layer can commit messages.
func (o *outbox) put(f fanout) {
	o.mu.Lock()
	o.pending = append(o.pending, f)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// run delivers until close; what is still pending then is dropped with
// the sockets it was for.
func (o *outbox) run(deliver func(fanout)) {
	defer close(o.done)
	var batch []fanout
	for {
		select {
		case <-o.stop:
			return
		case <-o.wake:
		}
		o.mu.Lock()
		batch, o.pending = o.pending, batch[:0]
		o.mu.Unlock()
		for i, f := range batch {
			deliver(f)
			batch[i] = fanout{} // let the frame go
		}
	}
}

func (o *outbox) close() {
	close(o.stop)
	<-o.done
}
