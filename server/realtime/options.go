package realtime

import (
	"log/slog"
	"time"
)

// Options configure a Hub. Zero values take the defaults noted per field.
type Options struct {
	AppID     string
	JWTSecret []byte

	// IdleTimeout closes a socket that sent nothing for this long (60s; the
	// official SDK pings every 15s). It also bounds the wait for auth.
	IdleTimeout time.Duration
	// SendQueue is the number of frames buffered per connection (256).
	SendQueue int
	// ReadLimit is the largest inbound frame in bytes (64 KiB).
	ReadLimit int64
	// WriteTimeout bounds each frame written to a socket (10s).
	WriteTimeout time.Duration
	// DirectoryTimeout bounds each Directory call (5s).
	DirectoryTimeout time.Duration

	Now    func() time.Time
	Logger *slog.Logger

	TypingMemberLimit  int // 1,000 online members
	ReceiptMemberLimit int // 300 members
	PresenceUserLimit  int // 1,000 online users
}

func (o Options) withDefaults() Options {
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 60 * time.Second
	}
	if o.SendQueue <= 0 {
		o.SendQueue = 256
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = 64 << 10
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.DirectoryTimeout <= 0 {
		o.DirectoryTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.TypingMemberLimit <= 0 {
		o.TypingMemberLimit = 1000
	}
	if o.ReceiptMemberLimit <= 0 {
		o.ReceiptMemberLimit = 300
	}
	if o.PresenceUserLimit <= 0 {
		o.PresenceUserLimit = 1000
	}
	return o
}
