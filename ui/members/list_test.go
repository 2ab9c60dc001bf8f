package members

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
)

func order(m *Model) []string {
	var out []string
	for _, g := range m.members {
		out = append(out, g.UID+":"+string(g.Scope)+":"+g.Status)
	}
	return out
}

// The panel takes the list it is given without copying it: it sorts its
// own view of it, leaves the list's order alone, applies live changes to
// its entries, and a new list replaces the old one whole.
func TestMemberListIsTakenNotCopied(t *testing.T) {
	m := panel("superhero1")
	list := roster()
	m.SetMembers(list)
	given := slices.Clone(list)
	want := []string{
		"superhero1:admin:online", "superhero2:moderator:online", "superhero3:moderator:online",
		"superhero5:participant:offline", "superhero4:participant:offline",
	}
	if got := order(m); !slices.Equal(got, want) {
		t.Fatalf("panel order %q, want %q", got, want)
	}
	for i := range list {
		if list[i].UID != given[i].UID {
			t.Fatalf("the given list was reordered: %v", list)
		}
	}
	// Live changes land in the given list's entries.
	m.SetPresence("superhero4", true, now.Unix())
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionScopeChanged, On: chat.User{UID: "superhero5"}, NewScope: chat.ScopeModerator})
	if list[2].Status != chat.StatusOnline || list[2].LastActiveAt != now.Unix() || list[0].Scope != chat.ScopeModerator {
		t.Fatalf("live changes not in the list: %+v %+v", list[2], list[0])
	}
	if g, ok := m.Selected(); !ok || g.UID != "superhero1" {
		t.Fatalf("selected %+v", g)
	}
	// Joins and departures change the panel, not the given list.
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionJoined, On: chat.User{UID: "hulk", Name: "Hulk"}})
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionLeft, On: chat.User{UID: "superhero2"}})
	want = []string{
		"superhero1:admin:online", "superhero5:moderator:offline", "superhero3:moderator:online",
		"hulk:participant:", "superhero4:participant:online",
	}
	if got := order(m); !slices.Equal(got, want) {
		t.Fatalf("after a join and a leave %q, want %q", got, want)
	}
	if len(list) != 5 || list[3].UID != "superhero2" {
		t.Fatalf("the given list changed length or lost an entry: %+v", list)
	}
	selectUID(t, m, "hulk")
	if g, _ := m.Selected(); g.Name != "Hulk" || g.GUID != "avengers" {
		t.Fatalf("selected %+v", g)
	}

	// A fresh list (say, fetched again after the change) replaces it all.
	fresh := []chat.GroupMember{
		member("superhero1", "Iron Man", chat.ScopeAdmin, true, 0),
		member("hulk", "Hulk", chat.ScopeParticipant, true, 0),
	}
	m.SetMembers(fresh)
	if got := order(m); !slices.Equal(got, []string{"superhero1:admin:online", "hulk:participant:online"}) {
		t.Fatalf("after a new list %q", got)
	}
	if g, _ := m.Selected(); g.UID != "hulk" {
		t.Fatalf("cursor left past the end: selected %+v", g)
	}
	v := ansi.Strip(m.View())
	if strings.Contains(v, "Spiderman") || !strings.Contains(v, "Hulk") {
		t.Fatalf("old list still shown:\n%s", v)
	}
	m.SetPresence("superhero4", false, 0) // no longer listed: the old list is let go
	if list[2].Status != chat.StatusOnline {
		t.Fatalf("old list entry changed: %+v", list[2])
	}
}

// Until its list is given the panel says it is loading, and live joins and
// departures move only its count; the list given later is shown whole.
func TestUnlistedPanelCountsAndWaits(t *testing.T) {
	m := panel("superhero1")
	m.Unlist()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "loading members…") || !strings.Contains(v, "Members (5)") {
		t.Fatalf("unlisted panel:\n%s", v)
	}
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionJoined, On: chat.User{UID: "hulk", Name: "Hulk"}})
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionJoined, On: chat.User{UID: "thor", Name: "Thor"}})
	m.ApplyMemberChange(chat.GroupMemberChanged{Action: chat.ActionLeft, On: chat.User{UID: "superhero2"}})
	if v := ansi.Strip(m.View()); strings.Contains(v, "Hulk") || !strings.Contains(v, "Members (6)") {
		t.Fatalf("live changes on an unlisted panel:\n%s", v)
	}
	m.SetMembers(roster())
	if got := len(order(m)); got != 5 {
		t.Fatalf("the list given shows %d members", got)
	}
	m.SetMembers(nil)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "no members loaded") {
		t.Fatalf("an empty list given:\n%s", v)
	}
}
