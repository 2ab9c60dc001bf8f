package composer

import (
	"testing"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// freshState asks the textarea's getters afresh.
func freshState(ta *textarea.Model) inputState {
	s := inputState{value: ta.Value(), line: ta.Line(), col: ta.Column(), scroll: ta.ScrollYOffset(),
		height: ta.Height(), focused: ta.Focused()}
	s.selFrom, s.selTo, s.selecting = ta.Selection()
	return s
}

// The remembered view must always be what drawing afresh gives, and the
// textarea's remembered answers what asking it gives.
func TestViewMemoFollowsEveryChange(t *testing.T) {
	m, _ := newComposer(t)
	check := func(step string) {
		t.Helper()
		if got, want := *m.in.state(), freshState(&m.in.ta); got != want {
			t.Fatalf("after %s: remembered textarea state\n%+v\nasked afresh\n%+v", step, got, want)
		}
		if got, want := m.View(), m.draw(); got != want {
			t.Fatalf("after %s: remembered view\n%q\nfresh view\n%q", step, got, want)
		}
		want := m.in.ta.Height() + 2
		if m.popup != popupNone {
			want += len(m.items)
		}
		if m.statusLine() != "" {
			want++
		}
		if got := m.Height(); got != want {
			t.Fatalf("after %s: Height %d, want %d", step, got, want)
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
	m.Update(tea.KeyPressMsg{Code: tea.KeyLeft, Mod: tea.ModShift})
	check("selecting")
	m.Update(idleMsg{gen: -1})
	check("a message for another")
	m.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	check("selection dropped")
	m.Blur()
	check("blur")
	m.Focus()
	check("focus")
	m.SetError("too long")
	check("error")
	m.SetError("")
	check("error cleared")
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
	m.BeginEdit(chat.Message{ID: 8, Data: chat.MessageData{Text: "old text"}})
	check("another edit, same text")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	check("edit cancelled")
	m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	check("the command popup")
	if len(m.items) < 2 {
		t.Fatalf("the popup lists %d commands", len(m.items))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	check("popup down")
	for _, r := range "jo" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		check("typing a command " + string(r))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	check("completion accepted")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	check("sent")
}
