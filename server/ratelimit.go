package server

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"cometterm/chat"
)

// class is a route's rate-limit bucket.
type class int

const (
	classStandard class = iota
	classCore           // login, create/delete user, create/join group
)

// rateLimits are per app, as CometChat counts them: one server serves one
// app, so one bucket per class.
type rateLimits struct {
	perMinute [2]int
	lim       [2]*rate.Limiter
}

func newRateLimits(core, standard int) *rateLimits {
	rl := &rateLimits{perMinute: [2]int{classStandard: standard, classCore: core}}
	for c, n := range rl.perMinute {
		rl.lim[c] = rate.NewLimiter(rate.Limit(float64(n)/60), n)
	}
	return rl
}

// take spends one request of class c at now. It sets the headers every
// response carries and, when the bucket is empty, answers 429 and
// reports false.
func (rl *rateLimits) take(w http.ResponseWriter, c class, now time.Time) bool {
	lim := rl.lim[c]
	h := w.Header()
	h.Set("X-Rate-Limit", strconv.Itoa(rl.perMinute[c]))
	res := lim.ReserveN(now, 1)
	delay := res.DelayFrom(now)
	if !res.OK() || delay > 0 {
		res.CancelAt(now)
		secs := int(math.Ceil(delay.Seconds()))
		if secs < 1 {
			secs = 1
		}
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(secs))
		h.Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(time.Duration(secs)*time.Second).Unix(), 10))
		writeError(w, nil, chat.Errorf(chat.ErrTooManyRequests, "Too many requests: retry in %d seconds.", secs))
		return false
	}
	left := int(math.Floor(lim.TokensAt(now)))
	if left < 0 {
		left = 0
	}
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(left))
	return true
}
