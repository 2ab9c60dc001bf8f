package header

import (
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

var now = time.Date(2026, 11, 26, 10, 10, 0, 0, time.UTC)

func newHeader(t *testing.T) *Model {
	t.Helper()
	c := &common.Common{Theme: common.NewTheme(true, false), Now: func() time.Time { return now },
		Me: chat.User{UID: "superhero1", Name: "Iron Man"}, Loc: time.UTC}
	m := New(c)
	m.SetSize(80, 1)
	m.SetPanelKeys(
		key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "members")),
		key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "events")))
	return m
}

var avengers = chat.Conversation{ConversationID: "group_avengers", ConversationType: chat.ReceiverGroup,
	WithGroup: &chat.Group{GUID: "avengers", Name: "Avengers HQ", Type: chat.GroupPublic, MembersCount: 5, Scope: chat.ScopeAdmin}}

func u(uid, name string) chat.User { return chat.User{UID: uid, Name: name} }

// render is the header and the typing line, without colour.
func render(m *Model) string {
	return ansi.Strip(m.View()) + "\n" + ansi.Strip(m.TypingLine()) + "\n"
}

func TestGoldenGroup(t *testing.T) {
	m := newHeader(t)
	m.SetConversation(avengers)
	golden.RequireEqual(t, []byte(render(m)))
}

func TestGoldenDirectOffline(t *testing.T) {
	m := newHeader(t)
	m.SetConversation(chat.Conversation{ConversationID: "superhero1_user_superhero4",
		WithUser: &chat.User{UID: "superhero4", Name: "Wolverine", Status: chat.StatusOffline, LastActiveAt: now.Add(-26 * time.Hour).Unix()}})
	golden.RequireEqual(t, []byte(render(m)))
}

func TestGoldenNone(t *testing.T) {
	m := newHeader(t)
	golden.RequireEqual(t, []byte(render(m)))
}

func TestGoldenTyping(t *testing.T) {
	m := newHeader(t)
	m.SetConversation(avengers)
	var out strings.Builder
	m.TypingStarted(u("superhero3", "Spiderman"))
	out.WriteString(render(m))
	m.TypingStarted(u("superhero4", "Wolverine"))
	out.WriteString(render(m))
	m.TypingStarted(u("superhero2", "Captain America"))
	out.WriteString(render(m))
	m.TypingEnded("superhero4")
	out.WriteString(render(m))
	// Expiry: the ticks of the remaining two fire.
	for _, tp := range slices.Clone(m.typers) {
		m.Update(expireMsg{conv: "group_avengers", uid: tp.uid, gen: tp.gen})
	}
	out.WriteString(render(m))
	golden.RequireEqual(t, []byte(out.String()))
}

func TestNarrowHeaderFits(t *testing.T) {
	m := newHeader(t)
	m.SetSize(30, 1)
	m.SetConversation(avengers)
	if w := ansi.StringWidth(m.View()); w != 30 {
		t.Fatalf("width %d: %q", w, ansi.Strip(m.View()))
	}
}

func TestTypingExpiresUnlessRenewed(t *testing.T) {
	m := newHeader(t)
	m.SetConversation(avengers)
	if m.TypingStarted(u("superhero3", "Spiderman")) == nil {
		t.Fatal("no expiry tick")
	}
	first := expireMsg{conv: "group_avengers", uid: "superhero3", gen: m.gen}
	m.TypingStarted(u("superhero3", "Spiderman")) // renewed before the first tick fires
	m.Update(first)
	if m.Typers() != 1 {
		t.Fatal("a stale tick hid a renewed indicator")
	}
	m.Update(expireMsg{conv: "group_avengers", uid: "superhero3", gen: m.gen})
	if m.Typers() != 0 || strings.TrimSpace(ansi.Strip(m.TypingLine())) != "" {
		t.Fatal("indicator did not expire")
	}
}

func TestTypingIgnoresMeAndResetsOnSwitch(t *testing.T) {
	m := newHeader(t)
	m.SetConversation(avengers)
	if m.TypingStarted(u("superhero1", "Iron Man")) != nil || m.Typers() != 0 {
		t.Fatal("my own typing shown")
	}
	m.TypingStarted(u("superhero3", "Spiderman"))
	m.SetConversation(chat.Conversation{ConversationID: "group_other", WithGroup: &chat.Group{GUID: "other", Name: "Other"}})
	if m.Typers() != 0 {
		t.Fatal("typers carried over to another conversation")
	}
}
