package token

import (
	"errors"
	"testing"
	"time"
)

func TestMintVerify(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Unix(1_700_000_000, 0)
	tok, err := Mint(secret, "app1", "alice", "h", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Verify(secret, "app1", tok, now.Add(time.Minute))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if c.Subject != "alice" || c.TokenHash != "h" {
		t.Fatalf("claims = %+v", c)
	}
	cases := map[string]struct {
		secret []byte
		app    string
		tok    string
		at     time.Time
	}{
		"expired":      {secret, "app1", tok, now.Add(2 * time.Hour)},
		"wrong app":    {secret, "app2", tok, now},
		"wrong secret": {[]byte("another-secret-another-secret-xx"), "app1", tok, now},
		"garbage":      {secret, "app1", "not.a.jwt", now},
		"empty":        {secret, "app1", "", now},
	}
	for name, tc := range cases {
		if _, err := Verify(tc.secret, tc.app, tc.tok, tc.at); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}
