package composer

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

func labels(m *Model) []string {
	var out []string
	for _, c := range m.items {
		out = append(out, c.label+" "+c.detail)
	}
	return out
}

// A group's member list sets who @ and the uid arguments complete to, as
// the same people given as users do; a new list replaces the old one.
func TestMentionablesFromMembers(t *testing.T) {
	members := []chat.GroupMember{
		{User: chat.User{UID: "superhero1", Name: "Iron Man"}, Scope: chat.ScopeAdmin},
		{User: chat.User{UID: "superhero2", Name: "Captain America"}, Scope: chat.ScopeParticipant},
		{User: chat.User{UID: "superhero3", Name: "Spiderman"}, Scope: chat.ScopeModerator},
		{User: chat.User{UID: "superhero4"}, Scope: chat.ScopeParticipant}, // no name: the uid stands in
	}
	users := make([]chat.User, len(members))
	for i, g := range members {
		users[i] = g.User
	}
	for _, typed := range []string{"@", "@sp", "@cap", "@superhero4", "/kick super", "/msg super", "/add super"} {
		byUsers, _ := newComposer(t)
		byUsers.SetMentionables(users)
		byMembers, _ := newComposer(t)
		byMembers.SetMentionableMembers(members)
		typeText(byUsers, typed)
		typeText(byMembers, typed)
		if a, b := labels(byUsers), labels(byMembers); strings.Join(a, "|") != strings.Join(b, "|") {
			t.Errorf("%q: from users %q, from members %q", typed, a, b)
		}
	}

	m, _ := newComposer(t)
	m.SetMentionableMembers(members)
	typeText(m, "@")
	if got := strings.Join(labels(m), "|"); got != "@Captain America superhero2|@Spiderman superhero3|@superhero4 superhero4" {
		t.Fatalf("@ offers %q", got)
	}
	m.reset()
	// Spiderman left, Hulk joined: the new list is all that is offered.
	m.SetMentionableMembers([]chat.GroupMember{members[0], members[1], {User: chat.User{UID: "hulk", Name: "Hulk"}}})
	typeText(m, "@")
	if got := strings.Join(labels(m), "|"); got != "@Captain America superhero2|@Hulk hulk" {
		t.Fatalf("after the list changed @ offers %q", got)
	}
	typeText(m, "hu")
	press(m, "enter")
	typeText(m, "smash")
	out := press(m, "enter")
	if s := only[common.SendText](out); len(s) != 1 || s[0].Text != "<@uid:hulk> smash" {
		t.Fatalf("sent %+v", out)
	}
	// A direct chat: only the peer.
	m.SetMentionables([]chat.User{{UID: "superhero2", Name: "Captain America"}})
	typeText(m, "@")
	if got := strings.Join(labels(m), "|"); got != "@Captain America superhero2" {
		t.Fatalf("in a direct chat @ offers %q", got)
	}
	m.reset()
	m.SetMentionables(nil)
	typeText(m, "@")
	if m.PopupOpen() {
		t.Fatal("completion with nobody to mention")
	}
}

// A group whose members have not been given asks for them when @ or a
// member's uid is being completed, once, and the completion fills in when
// they come; commands that reach beyond the group ask for the directory,
// and /add for both (the members are who it leaves out).
func TestCompletionAsksForThePeopleItNeeds(t *testing.T) {
	needs := func(msgs []tea.Msg) []NeedPeopleMsg { return only[NeedPeopleMsg](msgs) }
	m, _ := newComposer(t)
	m.ExpectMembers()
	if got := needs(typeText(m, "hello there")); len(got) != 0 {
		t.Fatalf("plain text asked for %+v", got)
	}
	m.reset()
	got := needs(typeText(m, "hi @sp"))
	if len(got) != 1 || got[0] != (NeedPeopleMsg{Members: true}) {
		t.Fatalf("@ asked %+v, want the members once", got)
	}
	if m.PopupOpen() {
		t.Fatal("a completion list before the members came")
	}
	m.SetMentionableMembers([]chat.GroupMember{
		{User: chat.User{UID: "superhero1", Name: "Iron Man"}}, {User: chat.User{UID: "superhero3", Name: "Spiderman"}}})
	if l := strings.Join(labels(m), "|"); !m.PopupOpen() || l != "@Spiderman superhero3" {
		t.Fatalf("the members came but the completion offers %q", l)
	}
	m.reset()
	if got := needs(typeText(m, "@")); len(got) != 0 {
		t.Fatalf("asked again for members given: %+v", got)
	}

	m, _ = newComposer(t)
	m.ExpectMembers()
	if got := needs(typeText(m, "/kick s")); len(got) != 1 || got[0] != (NeedPeopleMsg{Members: true}) {
		t.Fatalf("/kick asked %+v", got)
	}
	m.reset()
	if got := needs(typeText(m, "/msg s")); len(got) != 1 || got[0] != (NeedPeopleMsg{Directory: true}) {
		t.Fatalf("/msg asked %+v", got)
	}
	m.reset()
	if got := needs(typeText(m, "/block s")); len(got) != 0 {
		t.Fatalf("/block asked again for what is on its way: %+v", got)
	}
	// The directory did not come: the next completion asks again.
	m.ExpectDirectory()
	m.reset()
	if got := needs(typeText(m, "/block s")); len(got) != 1 || got[0] != (NeedPeopleMsg{Directory: true}) {
		t.Fatalf("/block after a failed fetch asked %+v", got)
	}

	m, _ = newComposer(t)
	m.ExpectMembers()
	if got := needs(typeText(m, "/add s")); len(got) != 1 || got[0] != (NeedPeopleMsg{Members: true, Directory: true}) {
		t.Fatalf("/add asked %+v", got)
	}
}
