package composer

import (
	"slices"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
)

func helpKeysOf(bs []key.Binding) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Help().Key+" "+b.Help().Desc)
	}
	return out
}

// The footer's keys follow the composer's state, and what a caller does
// with one answer does not change the next.
func TestHelpFollowsTheState(t *testing.T) {
	m, _ := newComposer(t)
	k := &m.keys
	check := func(state string, want ...key.Binding) {
		t.Helper()
		got := m.ShortHelp()
		if !slices.Equal(helpKeysOf(got), helpKeysOf(want)) {
			t.Fatalf("%s: ShortHelp %q, want %q", state, helpKeysOf(got), helpKeysOf(want))
		}
		_ = append(got, k.Prev)
		if again := m.ShortHelp(); !slices.Equal(helpKeysOf(again), helpKeysOf(want)) {
			t.Fatalf("%s: after an append to it, ShortHelp %q", state, helpKeysOf(again))
		}
	}
	check("writing", k.Send, k.Newline, k.EditLast)
	m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	check("completing", k.Complete, k.Next, k.Cancel)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	m.BeginEdit(chat.Message{ID: 7, Data: chat.MessageData{Text: "old"}})
	check("editing", k.Send, k.Newline, k.Cancel)

	full := m.FullHelp()
	want := [][]key.Binding{{k.Send, k.Newline, k.EditLast}, {k.Complete, k.Next, k.Prev, k.Cancel}}
	_ = append(full, []key.Binding{k.Prev})
	full = m.FullHelp()
	if len(full) != len(want) {
		t.Fatalf("FullHelp has %d columns", len(full))
	}
	for i := range want {
		if !slices.Equal(helpKeysOf(full[i]), helpKeysOf(want[i])) {
			t.Fatalf("FullHelp column %d: %q, want %q", i, helpKeysOf(full[i]), helpKeysOf(want[i]))
		}
	}
}
