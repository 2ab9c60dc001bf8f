package composer

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// The remembered view must always be what drawing afresh gives.
func TestViewMemoFollowsEveryChange(t *testing.T) {
	m, _ := newComposer(t)
	check := func(step string) {
		t.Helper()
		if got, want := m.View(), m.draw(); got != want {
			t.Fatalf("after %s: remembered view\n%q\nfresh view\n%q", step, got, want)
		}
	}
	check("start")
	first := m.View()
	for _, r := range "hi @Sp" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		check("typing " + string(r))
	}
	if m.View() == first {
		t.Fatal("view unchanged after typing")
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	check("cursor left")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	check("escape")
	m.Blur()
	check("blur")
	m.Focus()
	check("focus")
	m.SetError("too long")
	check("error")
	m.SetError("")
	m.SetSize(40, 0)
	check("resize")
	m.c.Theme = common.NewTheme(false, false)
	m.SetTheme()
	check("theme")
	m.SetTarget(Target{ConversationID: "superhero2_user_superhero1", Receiver: "superhero2", ReceiverType: chat.ReceiverUser, Title: "Captain America"})
	check("new target")
	m.Update(tea.PasteMsg{Content: "line one\nline two"})
	check("paste")
	m.BeginEdit(chat.Message{ID: 7, Data: chat.MessageData{Text: "old text"}})
	check("edit")
}
