package server_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/server"
)

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(o *server.Options) { o.StandardLimit = 3; o.CoreLimit = 2 })
	// The clock stands still, so the bucket refills only when it moves.
	for i := range 3 {
		r := mustOK(t, e.admin("GET", "/users", nil))
		if r.Header.Get("X-Rate-Limit") != "3" || r.Header.Get("X-Rate-Limit-Remaining") != strconv.Itoa(2-i) {
			t.Fatalf("call %d headers: %v", i, r.Header)
		}
	}
	r := e.admin("GET", "/users", nil)
	wantCode(t, r, chat.ErrTooManyRequests)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("status %d", r.Status)
	}
	retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || retry < 1 || retry > 20 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	reset, err := strconv.ParseInt(r.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil || reset != e.now.Unix()+int64(retry) || r.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("reset headers: %v", r.Header)
	}
	// Errors answered before auth count too: unknown routes and bad keys.
	wantCode(t, e.do("GET", "/v3/users", hdr{"apikey": "nope-nope-nope-nope"}, nil), chat.ErrTooManyRequests)

	// Core operations have their own bucket.
	mustOK(t, e.admin("POST", "/users", map[string]any{"uid": "a", "name": "A"}))
	mustOK(t, e.admin("POST", "/users", map[string]any{"uid": "b", "name": "B"}))
	wantCode(t, e.admin("POST", "/users", map[string]any{"uid": "c", "name": "C"}), chat.ErrTooManyRequests)
	if _, err := e.db.User(e.ctx(), "c", true); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatal("a rate-limited create still created the user")
	}

	e.now = e.now.Add(time.Duration(retry) * time.Second)
	mustOK(t, e.admin("GET", "/users", nil))
}
