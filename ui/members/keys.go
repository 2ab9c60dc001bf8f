package members

import (
	"charm.land/bubbles/v2/key"

	"cometterm/chat"
)

// KeyMap is the members panel's keys. k is kick (as the design has it),
// so moving is on the arrows only.
type KeyMap struct {
	Up, Down, Scope, Kick, Ban, Banned, Unban, Add key.Binding
	Confirm, Cancel                                key.Binding
}

// DefaultKeyMap returns the panel's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		Down:    key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
		Scope:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "scope")),
		Kick:    key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "kick")),
		Ban:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "ban")),
		Banned:  key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "banned list")),
		Unban:   key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unban")),
		Add:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add")),
		Confirm: key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter", "confirm")),
		Cancel:  key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp offers only what my scope allows on the selected row.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Cancel}
	case modeScope:
		return []key.Binding{k.Up, k.Down, k.Confirm, k.Cancel}
	case modeAdd:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add")), k.Cancel}
	case modeBanned:
		out := []key.Binding{k.Up, k.Down}
		if m.allowedOnBanned() {
			out = append(out, k.Unban)
		}
		return append(out, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")))
	}
	out := []key.Binding{k.Up, k.Down}
	for _, a := range []struct {
		act chat.GroupAction
		b   key.Binding
	}{{chat.ActChangeScope, k.Scope}, {chat.ActKick, k.Kick}, {chat.ActBan, k.Ban}, {chat.ActUnban, k.Banned}, {chat.ActAddMembers, k.Add}} {
		if m.allowed(a.act) {
			out = append(out, a.b)
		}
	}
	return out
}

// FullHelp is the short help as one group.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
