package messages

import "charm.land/bubbles/v2/key"

// KeyMap is the message pane's keys. Menu letters are shown in the menu
// itself, so they are not bindings here.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Actions key.Binding
	// In the action menu and the reaction picker.
	Choose, Close, Left, Right key.Binding
}

// DefaultKeyMap returns the pane's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "older")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "newer")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "oldest")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "newest")),
		Actions:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "actions")),
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next")),
	}
}

// ShortHelp is the footer's keys for the pane's current state.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.menu != nil && m.menu.picking:
		return []key.Binding{k.Left, k.Right, k.Choose, k.Close}
	case m.menu != nil:
		return []key.Binding{k.Up, k.Down, k.Choose, k.Close}
	}
	return []key.Binding{k.Up, k.Down, k.Actions, k.PageUp, k.Bottom}
}

// FullHelp groups every key the pane takes in its current state.
func (m *Model) FullHelp() [][]key.Binding {
	if m.menu != nil {
		return [][]key.Binding{m.ShortHelp()}
	}
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Actions}, {k.PageUp, k.PageDown, k.Top, k.Bottom}}
}
