package directory

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

func newDirectory(t *testing.T) *Model {
	t.Helper()
	c := &common.Common{Theme: common.NewTheme(true, false), Now: time.Now,
		Me: chat.User{UID: "superhero1", Name: "Iron Man"}, Loc: time.UTC}
	m := New(c)
	m.SetSize(60, 12)
	m.Reset()
	m.SetUsers([]chat.User{
		{UID: "superhero1", Name: "Iron Man", Status: chat.StatusOnline},
		{UID: "superhero2", Name: "Captain America", Status: chat.StatusOnline},
		{UID: "superhero4", Name: "Wolverine", Status: chat.StatusOffline, BlockedByMe: true},
		{UID: "yamada", Name: "山田太郎"},
	}, nil)
	m.SetGroups([]chat.Group{
		{GUID: "avengers", Name: "Avengers HQ", Type: chat.GroupPublic, MembersCount: 5, HasJoined: true},
		{GUID: "shield", Name: "Shield Ops", Type: chat.GroupPassword, MembersCount: 3},
		{GUID: "stark", Name: "Stark Lab", Type: chat.GroupPrivate, MembersCount: 2},
		{GUID: "xmen", Name: "X-Men", Type: chat.GroupPublic, MembersCount: 1},
	}, nil)
	return m
}

func send(m *Model, k tea.KeyPressMsg) tea.Msg {
	_, cmd := m.Update(k)
	if cmd == nil {
		return nil
	}
	return cmd()
}

var (
	enter = tea.KeyPressMsg{Code: tea.KeyEnter}
	tab   = tea.KeyPressMsg{Code: tea.KeyTab}
	down  = tea.KeyPressMsg{Code: tea.KeyDown}
	esc   = tea.KeyPressMsg{Code: tea.KeyEscape}
)

func typeIn(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func TestGoldenUsers(t *testing.T) {
	m := newDirectory(t)
	golden.RequireEqual(t, []byte(view(m)))
}

func TestGoldenGroups(t *testing.T) {
	m := newDirectory(t)
	send(m, tab)
	golden.RequireEqual(t, []byte(view(m)))
}

func TestStartChat(t *testing.T) {
	m := newDirectory(t)
	typeIn(m, "wolv")
	got, ok := send(m, enter).(StartChatMsg)
	if !ok || got.User.UID != "superhero4" {
		t.Fatalf("got %#v", got)
	}
}

func TestPrivateGroupSaidPlainly(t *testing.T) {
	m := newDirectory(t)
	send(m, tab)
	typeIn(m, "stark")
	if msg := send(m, enter); msg != nil {
		t.Fatalf("private group sent %#v", msg)
	}
	if !strings.Contains(strings.Join(strings.Fields(view(m)), " "), "cannot be joined — a member has to add you") {
		t.Fatalf("no explanation:\n%s", view(m))
	}
}

func TestPublicJoinAndOpenJoined(t *testing.T) {
	m := newDirectory(t)
	send(m, tab)
	if got, ok := send(m, enter).(OpenGroupMsg); !ok || got.Group.GUID != "avengers" {
		t.Fatalf("joined group: %#v", got)
	}
	typeIn(m, "x-men")
	if got, ok := send(m, enter).(JoinMsg); !ok || got.Group.GUID != "xmen" || got.Password != "" {
		t.Fatalf("public group: %#v", got)
	}
}

func TestPasswordPromptWrongThenRight(t *testing.T) {
	m := newDirectory(t)
	send(m, tab)
	send(m, down)
	if send(m, enter) != nil && !m.Prompting() {
		t.Fatal("no prompt")
	}
	if !m.Prompting() {
		t.Fatal("password group did not prompt")
	}
	if send(m, enter) != nil {
		t.Fatal("empty password sent")
	}
	typeIn(m, "wrong")
	got, ok := send(m, enter).(JoinMsg)
	if !ok || got.Password != "wrong" || got.Group.GUID != "shield" {
		t.Fatalf("join %#v", got)
	}
	if strings.Contains(view(m), "wrong") {
		t.Fatal("password shown in clear")
	}
	m.JoinFailed(&chat.Error{Code: chat.ErrWrongGroupPass, Message: "The group password is wrong."})
	if !m.Prompting() {
		t.Fatal("wrong password closed the prompt")
	}
	golden.RequireEqual(t, []byte(view(m)))
	typeIn(m, "s3cret")
	if got := send(m, enter).(JoinMsg); got.Password != "s3cret" {
		t.Fatalf("retry sent %q", got.Password)
	}
	send(m, esc)
	if m.Prompting() {
		t.Fatal("esc kept the prompt")
	}
	if _, ok := send(m, esc).(CloseMsg); !ok {
		t.Fatal("esc did not close the directory")
	}
}

func TestLoadErrorShown(t *testing.T) {
	m := newDirectory(t)
	m.SetUsers(nil, &chat.Error{Code: chat.ErrInternal, Message: "database is locked"})
	if !strings.Contains(view(m), "could not load users: database is locked") {
		t.Fatalf("error not shown:\n%s", view(m))
	}
}
