// Package token mints and verifies the JWTs that PUT /v3.0/me hands out
// and that a WebSocket auth frame presents. The HTTP API and the real-time
// hub both use it, so it lives apart from either.
package token

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTTL is how long a socket JWT lives; clients refresh it with
// GET /v3.0/me before it runs out.
const DefaultTTL = 24 * time.Hour

// Claims are what a cometterm JWT carries.
type Claims struct {
	AppID string `json:"appId"`
	// TokenHash ties the JWT to the auth token it was minted from, so that
	// logging out (revoking that token) can be checked by the hub.
	TokenHash string `json:"ath,omitempty"`
	jwt.RegisteredClaims
}

// ErrInvalid is returned for any JWT that does not verify.
var ErrInvalid = errors.New("invalid or expired token")

// Mint signs a JWT for uid in appID, valid for ttl from now.
func Mint(secret []byte, appID, uid, tokenHash string, now time.Time, ttl time.Duration) (string, error) {
	c := Claims{
		AppID:     appID,
		TokenHash: tokenHash,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   uid,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			Issuer:    "cometterm",
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("sign jwt: %w", err)
	}
	return s, nil
}

// Verify checks signature, expiry (against now) and app, and returns the
// claims.
func Verify(secret []byte, appID, raw string, now time.Time) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		return secret, nil
	}, jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if c.AppID != appID || c.Subject == "" {
		return nil, fmt.Errorf("%w: wrong app or subject", ErrInvalid)
	}
	return &c, nil
}
