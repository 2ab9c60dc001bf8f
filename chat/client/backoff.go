package client

import (
	"math/rand/v2"
	"time"
)

// backoff is a capped exponential delay with full jitter in its upper
// half, so that many clients dropped at once do not return in step.
type backoff struct {
	min, max time.Duration
	rand     func() float64 // [0,1)
}

// delay is the wait before reconnect attempt n (1-based).
func (b backoff) delay(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := b.min
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	r := b.rand
	if r == nil {
		r = rand.Float64
	}
	// Between d/2 and d: never zero, never above the cap.
	half := d / 2
	return half + time.Duration(r()*float64(d-half))
}
