package composer

import "charm.land/bubbles/v2/key"

// KeyMap is the composer's keys. Enter is taken before the textarea sees
// it, so that enter sends and ctrl+j / alt+enter insert a newline.
type KeyMap struct {
	Send, Newline, EditLast, Complete, Next, Prev, Cancel key.Binding
}

// DefaultKeyMap returns the composer's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Send:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Newline:  key.NewBinding(key.WithKeys("ctrl+j", "alt+enter"), key.WithHelp("ctrl+j", "newline")),
		EditLast: key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "edit last")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Next:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "next")),
		Prev:     key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "previous")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
