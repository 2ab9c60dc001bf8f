package members

import (
	"errors"
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

func member(uid, name string, scope chat.Scope, online bool, lastActive int64) chat.GroupMember {
	status := chat.StatusOffline
	if online {
		status = chat.StatusOnline
	}
	return chat.GroupMember{User: chat.User{UID: uid, Name: name, Status: status, LastActiveAt: lastActive},
		GUID: "avengers", Scope: scope}
}

func roster() []chat.GroupMember {
	return []chat.GroupMember{
		member("superhero5", "Cyclops", chat.ScopeParticipant, false, 0),
		member("superhero3", "Spiderman", chat.ScopeModerator, true, 0),
		member("superhero4", "Wolverine", chat.ScopeParticipant, false, now.Add(-26*time.Hour).Unix()),
		member("superhero2", "Captain America", chat.ScopeModerator, true, 0),
		member("superhero1", "Iron Man", chat.ScopeAdmin, true, 0),
	}
}

// panel opens the Avengers panel as uid (owned by superhero1).
func panel(uid string) *Model {
	c := &common.Common{Theme: common.NewTheme(true, false), Now: func() time.Time { return now },
		Me: chat.User{UID: uid}, Loc: time.UTC}
	m := New(c)
	m.SetSize(56, 10)
	var me chat.GroupMember
	for _, g := range roster() {
		if g.UID == uid {
			me = g
		}
	}
	m.SetGroup(chat.Group{GUID: "avengers", Name: "Avengers HQ", Owner: "superhero1", MembersCount: 5}, me)
	m.SetMembers(roster())
	return m
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func press(m *Model, keys ...string) tea.Msg {
	var out tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(keyPress(k))
		out = nil
		if cmd != nil {
			out = cmd()
		}
	}
	return out
}

// selectUID moves the cursor to uid.
func selectUID(t *testing.T, m *Model, uid string) {
	t.Helper()
	for range 2 * len(m.members) {
		if g, _ := m.Selected(); g.UID == uid {
			return
		}
		press(m, "down")
	}
	t.Fatalf("no %s", uid)
}

func TestGoldenAsAdmin(t *testing.T) {
	m := panel("superhero1")
	selectUID(t, m, "superhero4")
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenAsModerator(t *testing.T) {
	m := panel("superhero3")
	selectUID(t, m, "superhero4")
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenAsParticipant(t *testing.T) {
	m := panel("superhero5")
	selectUID(t, m, "superhero4")
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenStyledAsAdmin(t *testing.T) {
	m := panel("superhero1")
	golden.RequireEqual(t, []byte(m.View()))
}

func help(m *Model) string {
	var ks []string
	for _, b := range m.ShortHelp() {
		ks = append(ks, b.Help().Key)
	}
	return strings.Join(ks, " ")
}

// Offered actions follow chat.Allowed for my scope and the target.
func TestActionsFollowTheRules(t *testing.T) {
	cases := []struct{ me, target, want string }{
		{"superhero1", "superhero4", "↑ ↓ s k b B a"},
		{"superhero1", "superhero1", "↑ ↓ B a"}, // nobody acts on the owner
		{"superhero3", "superhero4", "↑ ↓ s k b B"},
		{"superhero3", "superhero2", "↑ ↓ B"}, // a moderator cannot touch a moderator
		{"superhero5", "superhero4", "↑ ↓"},
	}
	for _, c := range cases {
		m := panel(c.me)
		selectUID(t, m, c.target)
		if got := help(m); got != c.want {
			t.Errorf("%s on %s: %q, want %q", c.me, c.target, got, c.want)
		}
	}
	m := panel("superhero5")
	selectUID(t, m, "superhero4")
	for _, k := range []string{"s", "k", "b", "B", "a"} {
		if got := press(m, k); got != nil || m.mode != modeList {
			t.Fatalf("participant's %q did something: %#v", k, got)
		}
	}
}

func TestKickAndBanAskFirst(t *testing.T) {
	m := panel("superhero1")
	selectUID(t, m, "superhero5")
	if got := press(m, "k"); got != nil || !strings.Contains(ansi.Strip(m.View()), "Kick Cyclops?") {
		t.Fatalf("kick did not ask: %#v\n%s", got, ansi.Strip(m.View()))
	}
	if got := press(m, "esc"); got != nil {
		t.Fatalf("cancel sent %#v", got)
	}
	want := common.MemberAction{GUID: "avengers", UID: "superhero5", Action: chat.ActBan}
	if got := press(m, "b", "y"); got == nil || got.(common.MemberAction).Action != want.Action || got.(common.MemberAction).UID != want.UID {
		t.Fatalf("ban gave %#v", got)
	}
}

func TestScopeChooserOffersAllowedScopes(t *testing.T) {
	m := panel("superhero3") // moderator: never raises to admin
	selectUID(t, m, "superhero4")
	press(m, "s")
	if len(m.scopes) != 1 || m.scopes[0] != chat.ScopeModerator {
		t.Fatalf("moderator offered %v", m.scopes)
	}
	got, ok := press(m, "enter").(common.MemberAction)
	if !ok || got.Scope != chat.ScopeModerator || got.UID != "superhero4" || got.Action != chat.ActChangeScope {
		t.Fatalf("got %#v", got)
	}
	a := panel("superhero1")
	selectUID(t, a, "superhero3")
	press(a, "s")
	if len(a.scopes) != 2 || a.scopes[0] != chat.ScopeAdmin || a.scopes[1] != chat.ScopeParticipant {
		t.Fatalf("admin offered %v", a.scopes)
	}
	if !strings.Contains(ansi.Strip(a.View()), "New scope for Spiderman") {
		t.Fatalf("chooser not shown:\n%s", ansi.Strip(a.View()))
	}
}

func TestAddMembersAndBannedList(t *testing.T) {
	m := panel("superhero1")
	press(m, "a")
	if !m.Capturing() {
		t.Fatal("add input does not capture keys")
	}
	got, ok := press(m, "h", "u", "l", "k", ",", " ", "t", "h", "o", "r", "enter").(common.MemberAction)
	if !ok || got.Action != chat.ActAddMembers || strings.Join(got.UIDs, "|") != "hulk|thor" {
		t.Fatalf("add gave %#v", got)
	}
	if sb, ok := press(m, "B").(common.ShowBanned); !ok || sb.GUID != "avengers" {
		t.Fatalf("B gave %#v", sb)
	}
	m.SetBanned([]chat.User{{UID: "loki", Name: "Loki"}})
	if !strings.Contains(ansi.Strip(m.View()), "Loki") {
		t.Fatalf("banned list:\n%s", ansi.Strip(m.View()))
	}
	if un, ok := press(m, "u").(common.MemberAction); !ok || un.Action != chat.ActUnban || un.UID != "loki" {
		t.Fatalf("unban gave %#v", un)
	}
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionUnbanned, On: chat.User{UID: "loki"}})
	if strings.Contains(ansi.Strip(m.View()), "Loki") {
		t.Fatal("unbanned user still listed")
	}
}

func TestLiveChangesAndErrors(t *testing.T) {
	m := panel("superhero3")
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionKicked, On: chat.User{UID: "superhero5"}})
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionJoined, On: chat.User{UID: "hulk", Name: "Hulk"}})
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionScopeChanged, On: chat.User{UID: "superhero3"}, NewScope: chat.ScopeAdmin})
	m.SetPresence("superhero4", true, now.Unix())
	v := ansi.Strip(m.View())
	if strings.Contains(v, "Cyclops") || !strings.Contains(v, "Hulk") || !strings.Contains(v, "you: admin") {
		t.Fatalf("live changes not applied:\n%s", v)
	}
	if strings.Contains(v, "last seen") {
		t.Fatalf("online member still shows last seen:\n%s", v)
	}
	m.ShowError(errors.New("ERR_GROUP_NO_CLEARANCE: Your scope does not allow you to kick this member."))
	if !strings.Contains(ansi.Strip(m.View()), "does not allow") {
		t.Fatal("error not shown")
	}
	press(m, "down")
	if strings.Contains(ansi.Strip(m.View()), "does not allow") {
		t.Fatal("error not cleared by the next key")
	}
}
