package directory

import "charm.land/bubbles/v2/key"

// KeyMap is the directory's keys. Printable keys go to the search input,
// so movement is on the arrows.
type KeyMap struct {
	Up, Down, Choose, SwitchTab, Close key.Binding
}

// DefaultKeyMap returns the directory's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Choose:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "chat / join")),
		SwitchTab: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "users/groups")),
		Close:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}
