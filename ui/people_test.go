package ui

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/convlist"
)

// countingBackend is the real client with the calls for groups, members,
// users and history answered here and counted.
type countingBackend struct {
	Backend
	mu    sync.Mutex
	calls map[string]int
	size  int // members in each group, me included
}

func (b *countingBackend) count(call string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls[call]++
}

func (b *countingBackend) n(call string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls[call]
}

func (b *countingBackend) Group(_ context.Context, guid string) (chat.Group, error) {
	b.count("Group")
	name := map[string]string{"avengers": "Avengers HQ", "xmen": "X-Men"}[guid]
	return chat.Group{GUID: guid, Name: name, Type: chat.GroupPublic, Scope: chat.ScopeAdmin, MembersCount: b.size, HasJoined: true}, nil
}

func (b *countingBackend) ListMembers(_ context.Context, guid string, _ chat.MemberQuery) ([]chat.GroupMember, error) {
	b.count("ListMembers")
	ms := []chat.GroupMember{{User: b.Me(), GUID: guid, Scope: chat.ScopeAdmin},
		{User: chat.User{UID: "superhero2", Name: "Captain America"}, GUID: guid, Scope: chat.ScopeParticipant}}
	for i := range b.size - 2 {
		uid := fmt.Sprintf("u%04d", i)
		ms = append(ms, chat.GroupMember{User: chat.User{UID: uid, Name: "User " + uid}, GUID: guid, Scope: chat.ScopeParticipant})
	}
	return ms, nil
}

func (b *countingBackend) ListUsers(context.Context, chat.UserQuery) ([]chat.User, error) {
	b.count("ListUsers")
	return []chat.User{{UID: "fury", Name: "Nick Fury"}, {UID: "superhero2", Name: "Captain America"}}, nil
}

func (b *countingBackend) ListGroups(context.Context, chat.GroupQuery) ([]chat.Group, error) {
	b.count("ListGroups")
	return nil, nil
}

func (b *countingBackend) Messages(context.Context, chat.MessageQuery) ([]chat.Message, error) {
	b.count("Messages")
	return nil, nil
}

func (b *countingBackend) StartTyping(context.Context, string, chat.ReceiverType) error { return nil }
func (b *countingBackend) EndTyping(context.Context, string, chat.ReceiverType) error   { return nil }

// countedModel is the root over a countingBackend of 50-member groups,
// with events taken from nowhere and the composer's idle tick at once, so
// that every command it returns can run to its end.
func countedModel(t *testing.T) (*Model, *countingBackend) {
	t.Helper()
	m := rootModel(t, 120, 36)
	be := &countingBackend{Backend: m.be, calls: map[string]int{}, size: 50}
	m.be = be
	m.st.pumped = true
	m.composer.IdleTimeout = time.Millisecond
	m.Update(eventMsg{ev: chat.ConnectionChanged{Status: chat.ConnConnected}})
	return &m, be
}

// settle runs cmd and everything the answers to it cause, in order, in
// this goroutine, as a program would; but a text input's cursor blinks are
// not fed back, as they would go on for ever.
func settle(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("commands cause commands without end")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			if strings.HasPrefix(reflect.TypeOf(msg).PkgPath(), "charm.land/bubbles/") {
				continue
			}
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// do sends msg to the model and settles what it causes.
func do(t *testing.T, m *Model, msg tea.Msg) {
	t.Helper()
	_, cmd := m.Update(msg)
	settle(t, m, cmd)
}

func typeSettled(t *testing.T, m *Model, s string) string {
	t.Helper()
	for _, r := range s {
		do(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return ansi.Strip(m.View().Content)
}

// Opening a group fetches its facts (count, my scope) and its history; the
// header counts the members from the facts. The member list is not asked
// for.
func TestOpeningAGroupLeavesItsMemberListUnfetched(t *testing.T) {
	m, be := countedModel(t)
	do(t, m, conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	do(t, m, convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	if be.n("Group") != 1 || be.n("Messages") != 1 {
		t.Fatalf("calls %v, want the group and its history", be.calls)
	}
	if n := be.n("ListMembers"); n != 0 {
		t.Fatalf("opening the group fetched its member list %d times", n)
	}
	if got := m.header.MembersCount(); got != 50 {
		t.Fatalf("header counts %d members, want the group's 50", got)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "50 members") {
		t.Fatal("the header does not show the group's count")
	}
}

// The members panel fetches the list when it opens, once: a second
// opening while the first answer is on its way asks nothing more, the
// answer asks nothing further, and opening it again uses the list held.
// Opening another group with the panel shown fetches that group's list.
func TestMembersPanelFetchesTheListOnce(t *testing.T) {
	m, be := countedModel(t)
	do(t, m, convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	_, first := m.Update(tea.KeyPressMsg{Code: tea.KeyF3})
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "loading members…") {
		t.Fatalf("the panel does not say it is loading:\n%s", v)
	}
	do(t, m, tea.KeyPressMsg{Code: tea.KeyF3}) // closed
	do(t, m, tea.KeyPressMsg{Code: tea.KeyF3}) // open again, the first answer still out
	if n := be.n("ListMembers"); n != 0 {
		t.Fatalf("a second request while the first is out: %d calls", n)
	}
	settle(t, m, first)
	if n := be.n("ListMembers"); n != 1 {
		t.Fatalf("opening the panel fetched the list %d times, want once", n)
	}
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "Captain A") || !strings.Contains(v, "Members (50)") {
		t.Fatalf("the panel does not show the list:\n%s", v)
	}
	do(t, m, tea.KeyPressMsg{Code: tea.KeyF3})
	do(t, m, tea.KeyPressMsg{Code: tea.KeyF3})
	if n := be.n("ListMembers"); n != 1 {
		t.Fatalf("reopening the panel fetched the held list again: %d calls", n)
	}

	do(t, m, convlist.OpenMsg{Conversation: group("xmen", "X-Men")})
	if n := be.n("ListMembers"); n != 2 || len(m.st.members) == 0 || m.st.members[0].GUID != "xmen" {
		t.Fatalf("opening a group with the panel shown: %d calls, %d members held", n, len(m.st.members))
	}
}

// An @ in the composer (or a uid argument of /kick) fetches the member
// list once, and the completion fills in with it.
func TestMentionFetchesTheMemberList(t *testing.T) {
	m, be := countedModel(t)
	do(t, m, convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	if v := typeSettled(t, m, "hi "); be.n("ListMembers") != 0 {
		t.Fatalf("plain text fetched the members:\n%s", v)
	}
	v := typeSettled(t, m, "@cap")
	if n := be.n("ListMembers"); n != 1 {
		t.Fatalf("@ fetched the members %d times, want once", n)
	}
	if !strings.Contains(v, "@Captain America") {
		t.Fatalf("the completion did not fill in:\n%s", v)
	}
	clearComposer(m)
	typeSettled(t, m, "@u00")
	if n := be.n("ListMembers"); n != 1 {
		t.Fatalf("a second @ fetched the held list again: %d calls", n)
	}

	clearComposer(m)
	do(t, m, convlist.OpenMsg{Conversation: group("xmen", "X-Men")})
	if v := typeSettled(t, m, "/kick super"); be.n("ListMembers") != 2 || !strings.Contains(v, "superhero2") {
		t.Fatalf("/kick's uid: %d calls\n%s", be.n("ListMembers"), v)
	}
}

// A member joining or leaving while the list is not held changes the
// count only; once the list is held it is fetched again, and a change
// while it is on its way fetches it once more after the answer.
func TestMemberChangeFetchesOnlyAHeldList(t *testing.T) {
	m, be := countedModel(t)
	do(t, m, convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	joined := func(uid string, id chat.ID) tea.Msg {
		return eventMsg{ev: chat.GroupMemberChanged{Action: chat.ActionJoined, On: chat.User{UID: uid, Name: uid},
			Group: chat.Group{GUID: "avengers", Name: "Avengers HQ"},
			Message: chat.Message{ID: id, ConversationID: "group_avengers", Receiver: "avengers", ReceiverType: chat.ReceiverGroup,
				Category: chat.CategoryAction, Type: chat.TypeGroupMember, Data: chat.MessageData{Action: chat.ActionJoined}}}}
	}
	do(t, m, joined("hulk", 10))
	if n := be.n("ListMembers"); n != 0 {
		t.Fatalf("a join fetched a list nobody holds: %d calls", n)
	}
	if got := m.header.MembersCount(); got != 51 {
		t.Fatalf("header counts %d after a join, want 51", got)
	}

	_, out := m.Update(tea.KeyPressMsg{Code: tea.KeyF3})
	do(t, m, joined("thor", 11)) // while the list is on its way
	settle(t, m, out)
	if n := be.n("ListMembers"); n != 2 {
		t.Fatalf("a join while the list was on its way: %d calls, want 2", n)
	}
	do(t, m, joined("loki", 12))
	if n := be.n("ListMembers"); n != 3 {
		t.Fatalf("a join with the list held: %d calls, want 3", n)
	}
}

// The user directory is not fetched at start; the directory view fetches
// it, and so does the first completion of a uid beyond the conversation.
func TestUserDirectoryWaitsUntilNeeded(t *testing.T) {
	m, be := countedModel(t)
	do(t, m, conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	do(t, m, convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	if n := be.n("ListUsers"); n != 0 {
		t.Fatalf("the directory was fetched at start: %d calls", n)
	}
	v := typeSettled(t, m, "/msg fu")
	if n := be.n("ListUsers"); n != 1 || !strings.Contains(v, "Nick Fury") {
		t.Fatalf("/msg's uid: %d calls\n%s", n, v)
	}
	typeSettled(t, m, "r")
	if n := be.n("ListUsers"); n != 1 {
		t.Fatalf("the directory was fetched again: %d calls", n)
	}

	m2, be2 := countedModel(t)
	do(t, m2, conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	do(t, m2, tea.KeyPressMsg{Code: tea.KeyF2})
	if n := be2.n("ListUsers"); n != 1 || !m2.st.dirOpen {
		t.Fatalf("opening the directory: %d calls", n)
	}
}
