package demo

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Config says where the demo users log in and how lively they are.
type Config struct {
	// ServerURL, AppID and AuthKey log the demo users in as ordinary
	// clients (the socket's auth frame names the app).
	ServerURL, AppID, AuthKey string
	// Me is the user at the keyboard (default superhero1): the others
	// answer them.
	Me string
	// Pace scales every delay (default 1s): replies come after about 2–4
	// paces, unprompted chatter every 20–40. Tests use a few milliseconds.
	Pace time.Duration
	// Rand drives every choice; Run owns it from then on. Default: seeded
	// from the clock.
	Rand *rand.Rand
	// Logger logs what the demo users do (default: discard).
	Logger *slog.Logger
	// HTTPClient is used by the demo users' clients (default: the client
	// library's).
	HTTPClient *http.Client
}

func (c Config) withDefaults() Config {
	if c.Me == "" {
		c.Me = DefaultMe
	}
	if c.Pace <= 0 {
		c.Pace = time.Second
	}
	if c.Rand == nil {
		now := uint64(time.Now().UnixNano())
		c.Rand = rand.New(rand.NewPCG(now, now>>17))
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
