package sshd

import (
	"runtime"
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
// other end its parsing: at 200 sessions and 100 messages a second, a
// 100 ms floor cut the output by a quarter and p99 to screen from
// 200–260 ms to 170–180 ms. A frame that would otherwise let messages
// scroll past unseen does not wait for it (FrameDue), nor does the
// person's own typing.
const minLoadInterval = 100 * time.Millisecond

// framePacer spaces out the frames that chat events cause so that drawing
// them takes at most a share of the machine. With n sessions open, each
// frame costing c, frames every n·c / (share · CPUs) keep drawing within
// that share: a fast machine or a cheap frame draws more often, a slow
// one skips frames instead of falling behind. The cost is measured, not
// assumed, as a moving average of the frames actually drawn.
type framePacer struct {
	base   time.Duration // never closer than this
	share  float64
	cpus   int
	active func() int64 // sessions open

	cost atomic.Int64 // moving average of a frame's cost, in nanoseconds
}

func newFramePacer(base time.Duration, share float64, active func() int64) *framePacer {
	return &framePacer{base: base, share: share, cpus: runtime.GOMAXPROCS(0), active: active}
}

// observe adds the cost of one drawn frame to the average (weight 1/16:
// a few hundred frames a second across sessions make it follow load
// changes within a second).
func (p *framePacer) observe(d time.Duration) {
	for {
		old := p.cost.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/16
		}
		if p.cost.CompareAndSwap(old, next) {
			return
		}
	}
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
