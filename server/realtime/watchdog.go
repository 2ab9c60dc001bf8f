package realtime

import (
	"time"

	"github.com/coder/websocket"
)

// clock is monotonic nanoseconds since the hub started; never 0 for a
// write in progress.
func (h *Hub) clock() int64 { return int64(time.Since(h.start)) + 1 }

// watchdog enforces WriteTimeout: a socket whose current write has taken
// longer is cut hard (its peer stopped reading and its buffers are full,
// so a close frame could not get through either). One goroutine checking
// every socket a few times per WriteTimeout is cheaper than a timer per
// frame.
func (h *Hub) watchdog() {
	defer close(h.watchdogDone)
	every := max(h.opts.WriteTimeout/4, 10*time.Millisecond)
	tick := time.NewTicker(every)
	defer tick.Stop()
	limit := int64(h.opts.WriteTimeout)
	for {
		select {
		case <-h.stopWatchdog:
			return
		case <-tick.C:
		}
		now := h.clock()
		h.mu.RLock()
		for c := range h.conns {
			if c.stuck(now, limit) {
				c.kill(websocket.StatusPolicyViolation, "write timeout")
				c.cancel()
			}
		}
		h.mu.RUnlock()
	}
}
