package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/convlist"
)

// screenFixture fills the root with a fixed workspace: three
// conversations, the group open with history, members and a typer.
func screenFixture(t *testing.T, w, h int) Model {
	t.Helper()
	m := rootModel(t, w, h)
	now := m.c.Now()
	at := func(d time.Duration) int64 { return now.Add(-d).Unix() }
	cap := chat.User{UID: "superhero2", Name: "Captain America", Status: chat.StatusOnline}
	spidey := chat.User{UID: "superhero3", Name: "Spiderman", Status: chat.StatusOnline}
	yamada := chat.User{UID: "yamada", Name: "山田太郎", Status: chat.StatusOffline}
	msg := func(id chat.ID, from chat.User, body string, ago time.Duration) chat.Message {
		mm := text(id, "group_avengers", from.UID, body)
		mm.SentAt = at(ago)
		mm.Data.Entities.Sender = chat.UserEntity(from)
		return mm
	}
	avengers := group("avengers", "Avengers HQ")
	avengers.WithGroup.MembersCount = 3
	last := msg(3, spidey, "on my way! 🕷️", time.Minute)
	avengers.LastMessage, avengers.UnreadMessageCount = &last, 2
	dm := chat.Conversation{ConversationID: chat.UserConversationID("superhero1", "yamada"), ConversationType: chat.ReceiverUser,
		WithUser: &yamada, UpdatedAt: at(26 * time.Hour)}
	m.Update(eventMsg{ev: chat.ConnectionChanged{Status: chat.ConnConnected}})
	m.Update(conversationsMsg{convs: []chat.Conversation{avengers, dm, group("xmen", "X-Men")}})
	m.Update(convlist.OpenMsg{Conversation: avengers})
	m.Update(historyMsg{conv: "group_avengers", msgs: []chat.Message{
		msg(1, cap, "Morning team. Briefing at eleven.", 9*time.Minute),
		msg(2, m.c.Me, "copy that", 5*time.Minute),
		last,
	}})
	m.Update(membersMsg{guid: "avengers", members: []chat.GroupMember{
		{User: m.c.Me, Scope: chat.ScopeAdmin}, {User: cap, Scope: chat.ScopeParticipant}, {User: spidey, Scope: chat.ScopeModerator}}})
	m.Update(eventMsg{ev: chat.TypingStarted{Typing: chat.Typing{Sender: cap, Receiver: "avengers", ReceiverType: chat.ReceiverGroup}}})
	return m
}

func TestGoldenScreenWide(t *testing.T) {
	m := screenFixture(t, 120, 24)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View().Content)))
}

func TestGoldenScreenWithPanels(t *testing.T) {
	m := screenFixture(t, 100, 30)
	m.Update(tea.KeyPressMsg{Code: tea.KeyF3})
	m.Update(tea.KeyPressMsg{Code: tea.KeyF4})
	golden.RequireEqual(t, []byte(ansi.Strip(m.View().Content)))
}

func TestGoldenScreenSmall(t *testing.T) {
	m := screenFixture(t, 80, 24)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View().Content)))
}
