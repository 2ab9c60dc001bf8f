package ui

import "charm.land/bubbles/v2/key"

// KeyMap is the root's global keys. Single letters work only outside the
// composer, where typing must win.
type KeyMap struct {
	Quit, NextFocus, PrevFocus, Help, NewChat, Members, Inspector, Compose key.Binding
	// CloseThread closes the thread view or the message info.
	CloseThread key.Binding
	// HelpScroll and CloseHelp work while the help page is open.
	HelpScroll, CloseHelp key.Binding
}

// DefaultKeyMap returns the root's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		NextFocus: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevFocus: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		NewChat:   key.NewBinding(key.WithKeys("n", "f2"), key.WithHelp("n", "new chat")),
		Members:   key.NewBinding(key.WithKeys("m", "f3"), key.WithHelp("m", "members")),
		Inspector: key.NewBinding(key.WithKeys("i", "f4"), key.WithHelp("i", "events")),
		Compose:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "write")),

		CloseThread: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		HelpScroll:  key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓/pgup/pgdn", "scroll")),
		CloseHelp:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close help")),
	}
}

// letterFree keeps the keys of b that may fire while the composer has the
// keyboard: the non-printable ones.
func letterFree(b key.Binding) key.Binding {
	if !b.Enabled() {
		return b
	}
	var keys []string
	for _, k := range b.Keys() {
		if len([]rune(k)) > 1 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], b.Help().Desc))
}

// composing is the keymap in force while the composer has the keyboard.
func (k KeyMap) composing() KeyMap {
	return KeyMap{
		Quit: k.Quit, NextFocus: k.NextFocus, PrevFocus: k.PrevFocus,
		Help: letterFree(k.Help), NewChat: letterFree(k.NewChat), Members: letterFree(k.Members),
		Inspector: letterFree(k.Inspector), Compose: key.NewBinding(key.WithDisabled()),
		CloseThread: k.CloseThread, HelpScroll: k.HelpScroll, CloseHelp: k.CloseHelp,
	}
}
