package convlist

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

var now = time.Date(2026, 11, 26, 10, 10, 0, 0, time.UTC)

func testCommon() *common.Common {
	return &common.Common{
		Theme: common.NewTheme(true, false),
		Now:   func() time.Time { return now },
		Me:    chat.User{UID: "superhero1", Name: "Iron Man"},
		Loc:   time.UTC,
	}
}

func ago(d time.Duration) int64 { return now.Add(-d).Unix() }

func user(uid, name string, online bool) *chat.User {
	u := &chat.User{UID: uid, Name: name, Status: chat.StatusOffline}
	if online {
		u.Status = chat.StatusOnline
	}
	return u
}

func text(id chat.ID, from *chat.User, to string, rt chat.ReceiverType, body string, at int64) *chat.Message {
	m := &chat.Message{
		ID: id, Sender: from.UID, Receiver: to, ReceiverType: rt,
		ConversationID: chat.ConversationIDFor(from.UID, to, rt),
		Category:       chat.CategoryMessage, Type: chat.TypeText, SentAt: at,
		Data: chat.MessageData{Text: body, Entities: chat.Entities{Sender: chat.UserEntity(*from)}},
	}
	return m
}

func fixtures() []chat.Conversation {
	me := user("superhero1", "Iron Man", true)
	cap := user("superhero2", "Captain America", true)
	spidey := user("superhero3", "Spiderman", true)
	wolv := user("superhero4", "Wolverine", false)
	yamada := user("yamada", "山田太郎", false)

	dm := func(peer *chat.User, last *chat.Message, unread int) chat.Conversation {
		return chat.Conversation{
			ConversationID: chat.UserConversationID(me.UID, peer.UID), ConversationType: chat.ReceiverUser,
			WithUser: peer, LastMessage: last, UnreadMessageCount: chat.Count(unread), UpdatedAt: last.SentAt,
		}
	}
	grp := func(guid, name string, typ chat.GroupType, last *chat.Message, unread int) chat.Conversation {
		return chat.Conversation{
			ConversationID: chat.GroupConversationID(guid), ConversationType: chat.ReceiverGroup,
			WithGroup: &chat.Group{GUID: guid, Name: name, Type: typ}, LastMessage: last,
			UnreadMessageCount: chat.Count(unread), UpdatedAt: last.SentAt,
		}
	}
	mine := text(10, me, cap.UID, chat.ReceiverUser, "sure, on my way", ago(2*time.Minute))
	mine.DeliveredAt = ago(time.Minute)
	read := text(5, me, wolv.UID, chat.ReceiverUser, "ok", ago(26*time.Hour))
	read.ReadAt = ago(25 * time.Hour)
	sent := text(4, me, yamada.UID, chat.ReceiverUser, "こんにちは、元気ですか？ 🍣🍣", ago(40*24*time.Hour))
	return []chat.Conversation{
		dm(wolv, read, 0),
		grp("avengers", "Avengers HQ", chat.GroupPublic, text(12, spidey, "avengers", chat.ReceiverGroup, "on my way! 🕷️", ago(10*time.Second)), 3),
		dm(cap, mine, 0),
		grp("shield", "Shield Ops", chat.GroupPassword, text(9, cap, "shield", chat.ReceiverGroup, "launch at 9", ago(time.Hour)), 0),
		grp("stark", "Stark Lab", chat.GroupPrivate, text(8, me, "stark", chat.ReceiverGroup, "prototype mk 42 ready for a very long test flight", ago(3*time.Hour)), 120),
		dm(yamada, sent, 0),
		grp("launch", "🚀 Launch Crew", chat.GroupPublic, text(3, spidey, "launch", chat.ReceiverGroup, "T-minus 10", ago(50*time.Hour)), 1),
	}
}

func newList(t *testing.T, w, h int) *Model {
	t.Helper()
	m := New(testCommon())
	m.SetSize(w, h)
	m.SetConversations(fixtures())
	m.SetFocused(true)
	return m
}

func plain(s string) string { return ansi.Strip(s) }

func TestGoldenWide(t *testing.T) {
	m := newList(t, 40, 16)
	m.SetActive(chat.GroupConversationID("avengers"))
	golden.RequireEqual(t, []byte(plain(m.View())))
}

func TestGoldenNarrow(t *testing.T) {
	m := newList(t, 24, 15)
	golden.RequireEqual(t, []byte(plain(m.View())))
}

func TestGoldenEmpty(t *testing.T) {
	m := New(testCommon())
	m.SetSize(24, 5)
	golden.RequireEqual(t, []byte(plain(m.View())))
}

func TestViewIsExactlySized(t *testing.T) {
	for _, size := range [][2]int{{24, 15}, {40, 16}, {13, 4}} {
		m := newList(t, size[0], size[1])
		lines := strings.Split(m.View(), "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%v: line %d is %d wide: %q", size, i, w, plain(l))
			}
		}
	}
}

func TestOrderedByActivity(t *testing.T) {
	m := newList(t, 40, 30)
	var got []string
	for _, i := range m.shown {
		got = append(got, m.all[i].Title())
	}
	want := "Avengers HQ,Captain America,Shield Ops,Stark Lab,Wolverine,🚀 Launch Crew,山田太郎"
	if strings.Join(got, ",") != want {
		t.Fatalf("order %v", got)
	}
}

func TestUnreadIsBold(t *testing.T) {
	m := newList(t, 40, 16)
	m.SetFocused(false)
	var avengers string
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "Shield Ops") && strings.Contains(l, "\x1b[1") {
			t.Errorf("read conversation drawn bold: %q", l)
		}
		if strings.Contains(l, "Stark Lab") {
			avengers = l
		}
	}
	if !strings.Contains(avengers, "\x1b[1") {
		t.Errorf("unread conversation not bold: %q", avengers)
	}
}

func TestApplyMessageBumpsAndCounts(t *testing.T) {
	m := newList(t, 40, 30)
	wolv := user("superhero4", "Wolverine", false)
	msg := text(20, wolv, "superhero1", chat.ReceiverUser, "bub", now.Unix())
	if !m.ApplyMessage(*msg, true) {
		t.Fatal("conversation not found")
	}
	first := m.all[m.shown[0]]
	if first.Title() != "Wolverine" || first.UnreadMessageCount != 1 || first.LastMessage.Data.Text != "bub" {
		t.Fatalf("not bumped: %+v", first)
	}
	if m.ApplyMessage(chat.Message{ConversationID: "nope"}, true) {
		t.Fatal("unknown conversation reported as applied")
	}
	// An older message (history) never replaces the preview.
	old := text(1, wolv, "superhero1", chat.ReceiverUser, "ancient", ago(1000*time.Hour))
	m.ApplyMessage(*old, false)
	if c, _ := m.Get(first.ConversationID); c.LastMessage.Data.Text != "bub" {
		t.Fatalf("older message replaced preview: %q", c.LastMessage.Data.Text)
	}
}

func TestCursorFollowsConversationAcrossResort(t *testing.T) {
	m := newList(t, 40, 30)
	m.SetActive(chat.GroupConversationID("shield"))
	wolv := user("superhero4", "Wolverine", false)
	m.ApplyMessage(*text(21, wolv, "superhero1", chat.ReceiverUser, "x", now.Unix()), true)
	if c, _ := m.Selected(); c.ConversationID != chat.GroupConversationID("shield") {
		t.Fatalf("cursor moved to %s", c.ConversationID)
	}
}

func TestReceiptMovesMark(t *testing.T) {
	m := newList(t, 40, 30)
	id := chat.UserConversationID("superhero1", "superhero2")
	m.ApplyReceipt(chat.Receipt{MessageID: 10, Type: chat.ReceiptRead, At: now.Unix()})
	c, _ := m.Get(id)
	if c.LastMessage.ReadAt == 0 {
		t.Fatal("read receipt not applied")
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func TestFilterAndOpen(t *testing.T) {
	m := newList(t, 40, 16)
	m.Update(press("/"))
	if !m.Filtering() {
		t.Fatal("/ did not start filtering")
	}
	for _, r := range "wlv" {
		m.Update(press(string(r)))
	}
	if len(m.shown) != 1 || m.all[m.shown[0]].Title() != "Wolverine" {
		t.Fatalf("fuzzy filter kept %d rows", len(m.shown))
	}
	golden.RequireEqual(t, []byte(plain(m.View())))
	_, cmd := m.Update(press("enter"))
	if cmd == nil {
		t.Fatal("enter gave no command")
	}
	open, ok := cmd().(OpenMsg)
	if !ok || open.Conversation.Title() != "Wolverine" {
		t.Fatalf("enter opened %#v", open)
	}
	m.Update(press("esc"))
	if len(m.shown) != len(m.all) {
		t.Fatal("esc did not clear the filter")
	}
}

func TestKeysMoveAndClick(t *testing.T) {
	m := newList(t, 40, 7) // title + 3 pairs
	for range 4 {
		m.Update(press("down"))
	}
	if m.cursor != 4 || m.offset != 2 {
		t.Fatalf("cursor %d offset %d", m.cursor, m.offset)
	}
	cmd := m.ClickRow(1) // first visible pair
	if open := cmd().(OpenMsg); open.Conversation.Title() != "Shield Ops" {
		t.Fatalf("click opened %s", open.Conversation.Title())
	}
	if m.ClickRow(0) != nil || m.ClickRow(40) != nil {
		t.Fatal("click outside rows opened something")
	}
}

func TestPresence(t *testing.T) {
	m := newList(t, 40, 16)
	m.SetPresence("superhero4", true, now.Unix())
	c, _ := m.Get(chat.UserConversationID("superhero1", "superhero4"))
	if !c.WithUser.Online() {
		t.Fatal("presence not applied")
	}
}

func TestActionPreview(t *testing.T) {
	m := chat.Message{Category: chat.CategoryAction, Type: chat.TypeGroupMember, Sender: "superhero1",
		ReceiverType: chat.ReceiverGroup,
		Data: chat.MessageData{Action: chat.ActionScopeChanged,
			Extras: &chat.ActionExtras{Scope: &chat.ScopeChange{New: chat.ScopeModerator, Old: chat.ScopeParticipant}},
			Entities: chat.Entities{By: chat.UserEntity(chat.User{UID: "superhero1", Name: "Iron Man"}),
				On: chat.UserEntity(chat.User{UID: "superhero3", Name: "Spiderman"})}}}
	if got := Preview(&m, "x"); got != "Iron Man made Spiderman a moderator" {
		t.Fatalf("got %q", got)
	}
	txt := chat.Message{Category: chat.CategoryMessage, Type: chat.TypeText, Sender: "a", ReceiverType: chat.ReceiverUser,
		Data: chat.MessageData{Text: "hi <@uid:superhero3>\nthere", Mentions: map[string]chat.User{"superhero3": {Name: "Spiderman"}}}}
	if got := Preview(&txt, "x"); got != "hi @Spiderman there" {
		t.Fatalf("got %q", got)
	}
}

func TestLeavingTheFilterKeepsItUntilEsc(t *testing.T) {
	m := newList(t, 40, 16)
	m.SetFocused(true)
	m.Update(press("/"))
	for _, r := range "wlv" {
		m.Update(press(string(r)))
	}
	m.SetFocused(false) // tab or a click elsewhere
	if m.Filtering() {
		t.Fatal("the filter input kept the keyboard after the list lost focus")
	}
	if !m.Filtered() || len(m.shown) != 1 || !strings.Contains(plain(m.View()), "wlv") {
		t.Fatal("leaving the list dropped the filter it shows")
	}
	m.SetFocused(true)
	m.Update(press("esc"))
	if m.Filtered() || len(m.shown) != len(m.all) || strings.Contains(plain(m.View()), "wlv") {
		t.Fatalf("esc did not clear the filter:\n%s", plain(m.View()))
	}

	// An empty filter input ends when the list loses focus.
	m.Update(press("/"))
	m.SetFocused(false)
	if m.Filtering() || m.Filtered() {
		t.Fatal("an empty filter outlived the focus")
	}
}
