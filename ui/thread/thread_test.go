package thread

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

var now = time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)

func at(h, m int) int64 { return time.Date(2026, 11, 26, h, m, 0, 0, time.UTC).Unix() }

func msg(id chat.ID, parent chat.ID, from string, sent int64, text string) chat.Message {
	return chat.Message{
		ID: id, ParentID: parent, ConversationID: "group_avengers", Sender: from, Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText,
		Data: chat.MessageData{Text: text}, SentAt: sent,
	}
}

func open(t *testing.T, w, h int) *Model {
	t.Helper()
	c := &common.Common{Theme: common.NewTheme(true, false), Now: func() time.Time { return now },
		Me: chat.User{UID: "superhero1", Name: "Iron Man"}, Loc: time.UTC}
	m := New(c)
	m.SetNames(map[string]string{
		"superhero1": "Iron Man",
		"superhero2": "Captain America",
		"superhero3": "Spiderman",
	})
	m.SetSize(w, h)
	parent := msg(1004, 0, "superhero3", at(10, 3), "on my way! 🕷️ Anyone need a lift to the 東京 tower?")
	parent.ReplyCount = 3
	parent.Data.Reactions = []chat.ReactionCount{{Reaction: "👍", Count: 3}}
	m.Open(parent, chat.ReceiverGroup, chat.ScopeParticipant)
	m.SetReplies([]chat.Message{
		msg(1010, 1004, "superhero2", at(10, 4), "yes please"),
		msg(1011, 1004, "superhero1", at(10, 5), "I'll fly"),
		msg(1012, 1004, "superhero1", at(10, 5), "❤️ see you there"),
	}, true)
	return m
}

func TestGoldenThread(t *testing.T) {
	m := open(t, 60, 14)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestThreadFrameSize(t *testing.T) {
	for _, w := range []int{20, 40, 60, 100} {
		m := open(t, w, 14)
		lines := strings.Split(m.View(), "\n")
		if len(lines) != 14 {
			t.Fatalf("%d wide: %d lines", w, len(lines))
		}
		for i, l := range lines {
			if got := ansi.StringWidth(l); got != w {
				t.Fatalf("%d wide: line %d is %d: %q", w, i, got, ansi.Strip(l))
			}
		}
	}
}

func TestThreadLoadsOlderRepliesWithParentID(t *testing.T) {
	m := open(t, 60, 14)
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	if cmd == nil {
		t.Fatal("reaching the oldest reply asked for nothing")
	}
	lo, ok := cmd().(common.LoadOlder)
	if !ok || lo.ParentID != 1004 || lo.Before != 1010 || lo.ConversationID != "group_avengers" {
		t.Fatalf("got %#v", cmd())
	}
	m.Prepend([]chat.Message{msg(1008, 1004, "superhero2", at(10, 3), "first!")}, false)
	if !strings.Contains(ansi.Strip(m.View()), "first!") {
		t.Fatalf("older reply not shown:\n%s", ansi.Strip(m.View()))
	}
}

func TestThreadUpdatesLive(t *testing.T) {
	m := open(t, 60, 14)
	m.Upsert(msg(1013, 1004, "superhero3", at(10, 6), "landing now"))
	m.Upsert(msg(1050, 0, "superhero3", at(10, 6), "not in this thread"))
	m.Upsert(msg(1051, 999, "superhero3", at(10, 6), "another thread"))
	m.ApplyReaction(chat.Reaction{MessageID: 1004, Reaction: "👍", UID: "superhero1"}, true)
	v := ansi.Strip(m.View())
	for _, want := range []string{"landing now", "4 replies", "👍 4"} {
		if !strings.Contains(v, want) {
			t.Fatalf("missing %q:\n%s", want, v)
		}
	}
	for _, not := range []string{"not in this thread", "another thread"} {
		if strings.Contains(v, not) {
			t.Fatalf("shows %q:\n%s", not, v)
		}
	}
	// Edited parent keeps its count and reactions.
	ed := msg(1004, 0, "superhero3", at(10, 3), "on my way (edited text)")
	ed.EditedAt = at(10, 7)
	m.Upsert(ed)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "(edited text) (edited)") || !strings.Contains(v, "4 replies") {
		t.Fatalf("parent edit:\n%s", v)
	}
	if m.Target() != (common.SendText{ConversationID: "group_avengers", Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, ParentID: 1004}) {
		t.Fatalf("target %#v", m.Target())
	}
}

func TestThreadMenuHasNoNestedThread(t *testing.T) {
	m := open(t, 60, 14)
	m.SetFocused(true)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !m.MenuOpen() {
		t.Fatal("no menu")
	}
	if v := ansi.Strip(m.View()); strings.Contains(v, "reply in thread") || !strings.Contains(v, "edit") {
		t.Fatalf("menu on my reply:\n%s", v)
	}
}
