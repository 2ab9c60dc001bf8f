package sshd

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultFrameShare is the share of the machine's CPUs that drawing
// frames for chat events may take across all sessions.
const DefaultFrameShare = 0.2

// maxLoadInterval bounds how far apart chat frames are spaced however
// loaded the server is: four frames a second still reads as live, and the
// measured cost of a frame is its wall time, which a busy machine
// inflates (at 200 sessions and 20 msg/s the average alone spaced frames
// 400–500 ms apart, p99 to screen 554 ms; with this bound, 378 ms).
const maxLoadInterval = 250 * time.Millisecond

// minLoadInterval is the closest that frames caused by chat events come,
// however idle the server: ten a second. Nobody reading a chat tells a
// message drawn within 100 ms from one drawn within 33, but a frame costs
// the server its drawing, encrypting and sending, and the terminal at the
// other end its parsing: at 200 sessions and 100 messages a second, the
// floor cut the output by a quarter (47 → 35 MB in 20 s) and p99 to
// screen from 198–259 ms to 118–197 ms. A frame that would otherwise let messages
// scroll past unseen does not wait for it (FrameDue), nor does the
// person's own typing.
const minLoadInterval = 100 * time.Millisecond

// framePacer spaces out the frames that chat events cause so that drawing
// them takes at most a share of the machine. With n sessions open, each
// frame costing c, frames every n·c / (share · CPUs) keep drawing within
// that share: a fast machine or a cheap frame draws more often, a slow
// one skips frames instead of falling behind. The cost is measured, not
// assumed, as a moving average of the frames actually drawn (observe).
type framePacer struct {
	base   time.Duration // never closer than this
	share  float64
	cpus   int
	active func() int64 // sessions open

	cost atomic.Int64 // moving average of a frame's cost, in nanoseconds; written under mu

	mu       sync.Mutex
	batch    int           // frames observed since the average was last fed
	batchMin time.Duration // the cheapest of them
}

// minOf is how many frames the average takes the cheapest of.
const minOf = 4

func newFramePacer(base time.Duration, share float64, active func() int64) *framePacer {
	return &framePacer{base: base, share: share, cpus: runtime.GOMAXPROCS(0), active: active}
}

// observe adds the cost of one drawn frame to the average. A frame's wall
// time includes whatever ran in between (the collector, other sessions:
// a message makes every session draw at once), so the average is fed the
// cheapest of every few frames, weighted 1/4: a frame that was preempted
// says nothing about what drawing costs, while a machine too busy to draw
// any frame quickly still raises it. (Fed every frame's wall time, the
// average at 200 sessions and 20 msg/s, the machine 30% busy, spaced
// frames up to the 250 ms bound; p99 to screen 242 ms, now 120 ms.)
func (p *framePacer) observe(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.batch == 0 || d < p.batchMin {
		p.batchMin = d
	}
	if p.batch++; p.batch < minOf {
		return
	}
	p.batch = 0
	next, old := int64(p.batchMin), p.cost.Load()
	if old != 0 {
		next = old + (next-old)/4
	}
	p.cost.Store(next)
}

// interval is how far apart a session's chat frames are spaced now.
func (p *framePacer) interval() time.Duration {
	n := p.active()
	budget := p.share * float64(p.cpus)
	if n <= 0 || budget <= 0 {
		return p.base
	}
	d := time.Duration(float64(n) * float64(p.cost.Load()) / budget)
	return min(max(d, p.base, minLoadInterval), maxLoadInterval)
}
