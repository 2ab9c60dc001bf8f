package client

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// jwtTimes reads iat and exp from a JWT's payload without verifying it:
// the client only needs to know when to ask for a fresh one, and the
// server is the one that checks signatures.
func jwtTimes(raw string) (issued, expires time.Time, err error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return time.Time{}, time.Time{}, fmt.Errorf("jwt: want 3 parts, got %d", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("jwt payload: %w", err)
	}
	var claims struct {
		Iat json.Number `json:"iat"`
		Exp json.Number `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("jwt claims: %w", err)
	}
	exp, err := claims.Exp.Float64()
	if err != nil || exp <= 0 {
		return time.Time{}, time.Time{}, fmt.Errorf("jwt: no exp claim")
	}
	expires = time.Unix(int64(exp), 0)
	if iat, err := claims.Iat.Float64(); err == nil && iat > 0 {
		issued = time.Unix(int64(iat), 0)
	}
	return issued, expires, nil
}

// refreshAt is when to fetch a new JWT: at 80% of its lifetime, measured
// from issue time if the token says, else from now. A token without a
// readable exp is refreshed after an hour.
func refreshAt(raw string, now time.Time) time.Time {
	iat, exp, err := jwtTimes(raw)
	if err != nil {
		return now.Add(time.Hour)
	}
	if iat.IsZero() || iat.After(now) {
		iat = now
	}
	life := exp.Sub(iat)
	if life <= 0 {
		return now
	}
	return iat.Add(life * 4 / 5)
}
