package ui

import (
	"log/slog"
	"time"
)

// Options configure the TUI. Zero values are sensible: dark theme until
// the terminal says otherwise, the wall clock, logs discarded.
type Options struct {
	// NoColor drops colours (NO_COLOR); bold and underline remain.
	NoColor bool
	// Light starts with the light theme before the terminal answers.
	Light bool
	// Logger receives errors of background calls; never the screen.
	Logger *slog.Logger
	// Now is the clock (tests fix it).
	Now func() time.Time
	// Loc is the time zone times are shown in (default time.Local).
	Loc *time.Location
	// InitialConversation opens this conversation id once the list loads.
	InitialConversation string
	// Notify rings the bell and sends an OSC 9 notification for direct
	// messages and mentions outside the open conversation.
	Notify bool
	// ServerLabel names the server in the status bar.
	ServerLabel string
	// RequestTimeout bounds each call to the server (default 15 s).
	RequestTimeout time.Duration
	// PageSize is how many messages a history page holds (default 30).
	PageSize int
	// InspectorCapacity is how many events the inspector keeps (default
	// inspector.Capacity); each holds its frame.
	InspectorCapacity int
}
