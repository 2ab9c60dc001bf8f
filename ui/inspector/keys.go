package inspector

import "charm.land/bubbles/v2/key"

// KeyMap is the inspector's keys.
type KeyMap struct {
	Up, Down, Top, Bottom, Pause, Clear, Filter, Conv, Expand, Collapse key.Binding
}

// DefaultKeyMap returns the inspector's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "oldest")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "follow")),
		Pause:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause")),
		Clear:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clear")),
		Filter:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter")),
		Conv:     key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "this chat")),
		Expand:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "json")),
		Collapse: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close json")),
	}
}

// ShortHelp is the footer's inspector keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.expanded {
		return []key.Binding{k.Up, k.Down, k.Collapse}
	}
	return []key.Binding{k.Filter, k.Pause, k.Clear, k.Expand}
}

// FullHelp groups every inspector key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Pause, k.Clear, k.Filter, k.Conv}, {k.Expand, k.Collapse}}
}
