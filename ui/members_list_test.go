package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/convlist"
)

func crowd(n int, me chat.User, myScope chat.Scope) []chat.GroupMember {
	ms := []chat.GroupMember{{User: me, GUID: "avengers", Scope: myScope}}
	for i := range n {
		uid := fmt.Sprintf("u%04d", i)
		ms = append(ms, chat.GroupMember{User: chat.User{UID: uid, Name: "User " + uid, Status: chat.StatusOffline},
			GUID: "avengers", Scope: chat.ScopeParticipant})
	}
	return ms
}

// typeInto types s into the composer and gives back the screen.
func typeInto(m *Model, s string) string {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return ansi.Strip(m.View().Content)
}

func clearComposer(m *Model) {
	for range 40 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
}

// The open group's member list reaches the members panel, the names, the
// header, my scope and the @ completion, and a new list replaces it in all
// of them.
func TestMemberListReachesEveryPart(t *testing.T) {
	m := rootModel(t, 120, 36)
	me := m.c.Me
	me.Status = chat.StatusOffline // as listed before my socket connected
	m.Update(eventMsg{ev: chat.ConnectionChanged{Status: chat.ConnConnected}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.Update(membersMsg{guid: "avengers", members: crowd(200, me, chat.ScopeModerator)})

	if got := m.header.MembersCount(); got != 201 {
		t.Fatalf("header counts %d members", got)
	}
	if n := m.st.names["u0150"]; n != "User u0150" {
		t.Fatalf("name of u0150: %q", n)
	}
	if mine := m.meIn(*m.st.openConv.WithGroup); mine.Scope != chat.ScopeModerator || mine.Status != chat.StatusOnline {
		t.Fatalf("my membership %+v", mine)
	}
	if g, ok := m.members.Selected(); !ok || g.UID != me.UID {
		t.Fatalf("panel's first member %+v (I am the only moderator)", g)
	}
	if v := typeInto(&m, "hi @u015"); !strings.Contains(v, "@User u0150") || !strings.Contains(v, "@User u0155") {
		t.Fatalf("@ completion misses members:\n%s", v)
	}
	clearComposer(&m)

	// u0150 left, hulk joined, I became admin: the list is fetched again.
	next := crowd(200, me, chat.ScopeAdmin)
	next = append(next[:151], next[152:]...)
	next = append(next, chat.GroupMember{User: chat.User{UID: "hulk", Name: "Hulk"}, GUID: "avengers", Scope: chat.ScopeParticipant})
	m.Update(membersMsg{guid: "avengers", members: next})
	if got := m.header.MembersCount(); got != 201 {
		t.Fatalf("header counts %d members", got)
	}
	if got := m.header.Scope(); got != chat.ScopeAdmin {
		t.Fatalf("header scope %q", got)
	}
	if mine := m.meIn(*m.st.openConv.WithGroup); mine.Scope != chat.ScopeAdmin {
		t.Fatalf("my membership %+v", mine)
	}
	v := typeInto(&m, "@u015")
	if strings.Contains(v, "@User u0150") || !strings.Contains(v, "@User u0151") {
		t.Fatalf("@ completion after the list changed:\n%s", v)
	}
	clearComposer(&m)
	if v := typeInto(&m, "@hul"); !strings.Contains(v, "@Hulk") {
		t.Fatalf("@ completion misses the new member:\n%s", v)
	}
	clearComposer(&m)
	listed := map[string]bool{}
	m.members.Scroll(-1000)
	for range 300 {
		g, _ := m.members.Selected()
		listed[g.UID] = true
		m.members.Scroll(1)
	}
	if len(listed) != 201 || listed["u0150"] || !listed["hulk"] || !listed[me.UID] {
		t.Fatalf("the panel lists %d members (u0150 %v, hulk %v)", len(listed), listed["u0150"], listed["hulk"])
	}
}
