// Package common holds what every TUI component shares: the theme, the
// clock, the signed-in user and the component contract.
package common

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
)

// Component is a Bubble Tea model that also knows its size and the keys it
// offers right now (shown by bubbles/help in the footer).
type Component interface {
	Update(tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
}

// Common is handed to every component: shared, read-mostly context.
type Common struct {
	Theme *Theme
	// Now is the clock; golden tests fix it.
	Now func() time.Time
	// Me is the signed-in user.
	Me chat.User
	// Loc is the time zone times are shown in (UTC in tests).
	Loc *time.Location
}

// NewCommon builds the shared context with a dark theme and the wall clock.
func NewCommon(me chat.User) *Common {
	return &Common{Theme: NewTheme(true, false), Now: time.Now, Me: me, Loc: time.Local}
}
