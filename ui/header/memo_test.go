package header

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"cometterm/chat"
	"cometterm/ui/common"
)

// The remembered header must always be what drawing afresh gives.
func TestViewMemoFollowsEveryChange(t *testing.T) {
	saved := now
	t.Cleanup(func() { now = saved })
	m := newHeader(t)
	check := func(step string) {
		t.Helper()
		if got, want := m.View(), m.draw(m.content()); got != want {
			t.Fatalf("after %s: remembered %q, fresh %q", step, got, want)
		}
	}
	check("nothing open")
	m.SetConversation(avengers)
	check("group")
	m.SetMembersCount(6)
	check("members")
	m.SetScope(chat.ScopeModerator)
	check("scope")
	m.SetPanelKeys()
	check("no panel keys")
	withKeys := m.View()
	keys := []key.Binding{key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "members")),
		key.NewBinding(key.WithKeys("f4"), key.WithHelp("f4", "events"))}
	m.SetPanelKeys(keys...)
	check("panel keys")
	if m.View() == withKeys {
		t.Fatal("panel keys not shown")
	}
	keys[0].SetEnabled(false) // the header keeps its own copy
	check("a caller's copy changed")
	m.SetPanelKeys(keys...)
	check("a key disabled")
	m.SetPanelKeys(key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "members")))
	check("other panel keys")
	cap := chat.User{UID: "superhero2", Name: "Captain America", Status: chat.StatusOnline}
	m.SetConversation(chat.Conversation{ConversationID: "superhero1_user_superhero2", ConversationType: chat.ReceiverUser, WithUser: &cap})
	check("direct")
	before := m.View()
	m.SetPresence("superhero2", false, now.Add(-3*time.Minute).Unix())
	check("went offline")
	if m.View() == before {
		t.Fatal("presence change not shown")
	}
	now = now.Add(time.Hour) // "last seen" ages with the clock
	check("an hour later")
	m.SetSize(50, 1)
	check("resize")
	m.c.Theme = common.NewTheme(false, false)
	check("theme")
	m.Clear()
	check("closed")
}
