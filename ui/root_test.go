package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/ui/convlist"
)

// rootModel is the TUI of a real, logged-in client (its events are not
// pumped: these tests drive Update by hand and never run Cmds).
func rootModel(t *testing.T, w, h int) Model {
	t.Helper()
	s := clienttest.Start(t)
	s.CreateUser(t, "superhero1", "Iron Man")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Login(ctx, s.Config("superhero1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		for range c.Events() {
		}
	}()
	m := New(c, Options{Now: func() time.Time { return time.Date(2026, 11, 26, 10, 10, 0, 0, time.UTC) }, Loc: time.UTC})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func group(guid, name string) chat.Conversation {
	g := chat.Group{GUID: guid, Name: name, Type: chat.GroupPublic, Scope: chat.ScopeAdmin, MembersCount: 2}
	return chat.Conversation{ConversationID: chat.GroupConversationID(guid), ConversationType: chat.ReceiverGroup, WithGroup: &g}
}

func text(id chat.ID, conv, from, body string) chat.Message {
	guid := strings.TrimPrefix(conv, "group_")
	return chat.Message{ID: id, ConversationID: conv, Sender: from, Receiver: guid, ReceiverType: chat.ReceiverGroup,
		Category: chat.CategoryMessage, Type: chat.TypeText, SentAt: 1795000000 + int64(id), Data: chat.MessageData{Text: body}}
}

func TestFrameIsExactlyTheTerminal(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}, {50, 16}} {
		m := rootModel(t, size[0], size[1])
		m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
		m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
		m.Update(historyMsg{conv: "group_avengers", msgs: []chat.Message{text(1, "group_avengers", "superhero2", "Morning team 🕷️ 山田")}})
		lines := strings.Split(m.View().Content, "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%v: line %d is %d wide: %q", size, i, w, ansi.Strip(l))
			}
		}
		if size[0] < 60 && strings.Contains(ansi.Strip(m.View().Content), "Conversations") {
			t.Errorf("%v: the list did not fold away", size)
		}
	}
}

func TestHistoryOfAnotherConversationIsDropped(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.Update(convlist.OpenMsg{Conversation: group("xmen", "X-Men")})
	// The avengers page arrives late, after the switch.
	m.Update(historyMsg{conv: "group_avengers", msgs: []chat.Message{text(1, "group_avengers", "superhero2", "late page")}})
	if m.pane.Len() != 0 {
		t.Fatal("a page for avengers landed in xmen")
	}
	m.Update(historyMsg{conv: "group_xmen", msgs: []chat.Message{text(2, "group_xmen", "superhero2", "right page")}})
	if m.pane.Len() != 1 {
		t.Fatalf("xmen page not applied: %d", m.pane.Len())
	}
	// Members of the group left behind are not applied either.
	m.Update(membersMsg{guid: "avengers", members: []chat.GroupMember{{User: chat.User{UID: "x", Name: "Stray"}}}})
	if _, ok := m.st.names["x"]; ok {
		t.Fatal("members of another group applied")
	}
}

func TestIncomingElsewhereCountsUnreadAndOpenDoesNot(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.Update(eventMsg{ev: chat.MessageReceived{Message: text(5, "group_xmen", "superhero2", "over here")}})
	m.Update(eventMsg{ev: chat.MessageReceived{Message: text(6, "group_avengers", "superhero2", "in the open one")}})
	x, _ := m.list.Get("group_xmen")
	a, _ := m.list.Get("group_avengers")
	if x.UnreadMessageCount != 1 || a.UnreadMessageCount != 0 {
		t.Fatalf("unread xmen=%d avengers=%d", x.UnreadMessageCount, a.UnreadMessageCount)
	}
	if m.pane.Len() != 1 {
		t.Fatalf("pane holds %d", m.pane.Len())
	}
	if c, _ := m.list.Selected(); c.ConversationID != "group_avengers" {
		t.Fatal("the cursor left the open conversation when the list re-sorted")
	}
}

func TestTypingShownOnlyForTheOpenConversation(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	spidey := chat.User{UID: "superhero3", Name: "Spiderman"}
	m.Update(eventMsg{ev: chat.TypingStarted{Typing: chat.Typing{Sender: spidey, Receiver: "xmen", ReceiverType: chat.ReceiverGroup}}})
	if m.header.Typers() != 0 {
		t.Fatal("typing in xmen shown in avengers")
	}
	m.Update(eventMsg{ev: chat.TypingStarted{Typing: chat.Typing{Sender: spidey, Receiver: "avengers", ReceiverType: chat.ReceiverGroup}}})
	if !strings.Contains(ansi.Strip(m.View().Content), "Spiderman is typing…") {
		t.Fatal("typing line missing")
	}
	// Their message ends the indicator at once.
	m.Update(eventMsg{ev: chat.MessageReceived{Message: text(7, "group_avengers", "superhero3", "done")}})
	if m.header.Typers() != 0 {
		t.Fatal("typing line outlived the message")
	}
}

func TestKickedFromOpenGroupClosesIt(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.Update(eventMsg{ev: chat.GroupMemberChanged{Action: chat.ActionKicked,
		By: chat.User{UID: "superhero2", Name: "Captain America"}, On: m.c.Me,
		Group:   chat.Group{GUID: "avengers", Name: "Avengers HQ"},
		Message: chat.Message{ID: 9, Category: chat.CategoryAction, Type: chat.TypeGroupMember, Data: chat.MessageData{Action: chat.ActionKicked}}}})
	if m.st.open != "" || m.list.Len() != 0 {
		t.Fatalf("still open %q, list %d", m.st.open, m.list.Len())
	}
	if !strings.Contains(m.status.NoticeText(), "Captain America kicked you from Avengers HQ") {
		t.Fatalf("notice %q", m.status.NoticeText())
	}
}

func TestComposerKeysLeaveLettersAlone(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	for _, r := range "n?m" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if m.st.dirOpen || m.st.showHelp || m.composer.Value() != "n?m" {
		t.Fatalf("letters taken as keys: dir=%v help=%v value=%q", m.st.dirOpen, m.st.showHelp, m.composer.Value())
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab}) // to the list
	m.Update(tea.KeyPressMsg{Code: '?', Text: "?"})
	if !m.st.showHelp || !strings.Contains(ansi.Strip(m.View().Content), "/create <guid> <name>") {
		t.Fatal("? outside the composer did not show help with the commands")
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	m.Update(tea.KeyPressMsg{Code: 'n', Text: "n"})
	if !m.st.dirOpen {
		t.Fatal("n in the list did not open the directory")
	}
}

func TestThemeFollowsTheTerminal(t *testing.T) {
	m := rootModel(t, 80, 24)
	if !m.c.Theme.IsDark {
		t.Fatal("not dark by default")
	}
	m.Update(tea.BackgroundColorMsg{Color: lightGrey{}})
	if m.c.Theme.IsDark {
		t.Fatal("a light background kept the dark theme")
	}
}

type lightGrey struct{}

func (lightGrey) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

func TestMouseClickOpensAndWheelScrollsList(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
	// Row pairs start under the status bar (y=1) and the list title (y=2).
	_, cmd := m.Update(tea.MouseClickMsg{X: 5, Y: 5, Button: tea.MouseLeft})
	if cmd == nil {
		t.Fatal("click on the second row opened nothing")
	}
	open, ok := cmd().(convlist.OpenMsg)
	if !ok {
		t.Fatalf("click gave %T", cmd())
	}
	m.Update(open)
	if m.st.open != open.Conversation.ConversationID {
		t.Fatal("clicked conversation not open")
	}
	if _, cmd := m.Update(tea.MouseClickMsg{X: 60, Y: 34, Button: tea.MouseLeft}); cmd != nil {
		cmd()
	}
	if m.st.focus != focusComposer {
		t.Fatal("click on the composer did not focus it")
	}
	m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelUp})
	if c, _ := m.list.Selected(); c.ConversationID == open.Conversation.ConversationID && m.list.Len() > 1 {
		// the cursor moved up off the opened row
		t.Fatal("wheel over the list did not move it")
	}
}

func TestWheelScrollsTheSidePanelsUnderThePointer(t *testing.T) {
	m := screenFixture(t, 100, 30)
	m.Update(tea.KeyPressMsg{Code: tea.KeyF3}) // members on the right
	m.Update(tea.KeyPressMsg{Code: tea.KeyF4}) // events at the bottom
	for i := range 40 {
		uid := fmt.Sprintf("presence%02d", i)
		m.Update(eventMsg{ev: chat.PresenceChanged{User: chat.User{UID: uid, Name: uid}, Online: true}})
	}
	g := m.st.geo
	wheel := func(x, y int, b tea.MouseButton) { m.Update(tea.MouseWheelMsg{X: x, Y: y, Button: b}) }

	// Over the message pane the members panel stays put.
	wheel(g.mainX+2, g.paneY+1, tea.MouseWheelDown)
	if sel, _ := m.members.Selected(); sel.UID != "superhero1" {
		t.Fatalf("wheel over the pane moved the members cursor to %s", sel.UID)
	}
	// Over the members panel it moves its cursor (owner first, then by scope).
	wheel(g.sideX+3, g.bodyY+4, tea.MouseWheelDown)
	if sel, _ := m.members.Selected(); sel.UID != "superhero3" {
		t.Fatalf("wheel down over the members panel selected %s, want superhero3", sel.UID)
	}
	wheel(g.sideX+3, g.bodyY+4, tea.MouseWheelUp)
	if sel, _ := m.members.Selected(); sel.UID != "superhero1" {
		t.Fatalf("wheel up over the members panel selected %s, want superhero1", sel.UID)
	}

	// Over the inspector it scrolls back through the events.
	if !strings.Contains(ansi.Strip(m.View().Content), "presence39") {
		t.Fatal("the newest event is not shown")
	}
	eventsY := g.bodyY + g.bodyH + 2
	for range 20 {
		wheel(10, eventsY, tea.MouseWheelUp)
	}
	if scr := ansi.Strip(m.View().Content); strings.Contains(scr, "presence39") || !strings.Contains(scr, "presence19") {
		t.Fatalf("wheel up over the inspector did not scroll it back:\n%s", scr)
	}
}

func TestEscInTheListClearsTheFilterBeforeLeaving(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab}) // composer → list
	if m.st.focus != focusList {
		t.Fatalf("tab focused %v, want the list", m.st.focus)
	}
	for _, k := range []string{"/", "x", "m"} {
		m.Update(tea.KeyPressMsg{Code: rune(k[0]), Text: k})
	}
	scr := ansi.Strip(m.View().Content)
	if strings.Contains(scr, "Avengers HQ") || !strings.Contains(scr, "X-Men") {
		t.Fatalf("the filter did not narrow the list:\n%s", scr)
	}
	// Away and back: the filter stays applied, and esc clears it.
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	if m.st.focus != focusList || m.list.Filtering() {
		t.Fatalf("focus %v, filtering %v", m.st.focus, m.list.Filtering())
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if scr := ansi.Strip(m.View().Content); !strings.Contains(scr, "Avengers HQ") || strings.Contains(scr, "/ xm") {
		t.Fatalf("esc left the filter in place:\n%s", scr)
	}
	if m.st.focus != focusList {
		t.Fatal("the esc that cleared the filter also left the list")
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if m.st.focus != focusComposer {
		t.Fatal("esc in an unfiltered list did not go to the composer")
	}
}

// A burst of messages is acknowledged once per conversation, for its
// newest message, after a short wait: one flush for the whole burst.
func TestReceiptsOfABurstAreCoalesced(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	if cmd := m.queueReceipt(text(5, "group_avengers", "superhero2", "a"), true); cmd == nil {
		t.Fatal("the first receipt of a burst did not arm a flush")
	}
	for _, msg := range []chat.Message{
		text(7, "group_avengers", "superhero2", "c"),
		text(6, "group_avengers", "superhero3", "b"),
		text(8, "group_xmen", "superhero4", "elsewhere"),
	} {
		if cmd := m.queueReceipt(msg, msg.ConversationID == "group_avengers"); cmd != nil {
			t.Fatalf("message %d armed a second flush", msg.ID)
		}
	}
	p := m.st.receipts
	if len(p.read) != 1 || p.read[receiptKey(text(7, "group_avengers", "", ""))].ID != 7 {
		t.Fatalf("read receipts waiting: %+v", p.read)
	}
	if len(p.delivered) != 1 || p.delivered[receiptKey(text(8, "group_xmen", "", ""))].ID != 8 {
		t.Fatalf("delivered receipts waiting: %+v", p.delivered)
	}
	if cmd := m.flushReceipts(); cmd == nil {
		t.Fatal("flush sent nothing")
	}
	if p := m.st.receipts; p.armed || len(p.read)+len(p.delivered) != 0 {
		t.Fatalf("flush left %+v", p)
	}
	if cmd := m.queueReceipt(text(9, "group_avengers", "superhero2", "d"), true); cmd == nil {
		t.Fatal("a receipt after the flush did not arm a new one")
	}
}

// Noting a receipt while a flush is armed costs nothing: every session
// of a busy server does it for every message that arrives.
func TestQueuedReceiptAllocatesNothing(t *testing.T) {
	m := rootModel(t, 120, 36)
	msg := text(5, "group_avengers", "superhero2", "a")
	m.queueReceipt(msg, true)
	reply := text(6, "group_avengers", "superhero3", "b")
	reply.ParentID = 5
	m.queueReceipt(reply, false)
	if n := testing.AllocsPerRun(100, func() {
		msg.ID++
		reply.ID++
		m.queueReceipt(msg, true)
		m.queueReceipt(reply, false)
	}); n != 0 {
		t.Fatalf("queueing a receipt made %v allocations", n)
	}
	if p := m.st.receipts; len(p.read) != 1 || len(p.delivered) != 1 {
		t.Fatalf("a thread and its conversation share a slot: %+v", p)
	}
}

// A live reply in the open conversation asks the server for its parent;
// the parent's replyCount from the answer replaces the local count.
func TestLiveReplyFetchesItsParentsCount(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	parent := text(1, "group_avengers", "superhero2", "parent")
	parent.ReplyCount = 1
	m.Update(historyMsg{conv: "group_avengers", msgs: []chat.Message{parent}})
	reply := text(2, "group_avengers", "superhero3", "reply")
	reply.ParentID = 1
	if cmd := m.incoming(reply, false); cmd == nil {
		t.Fatal("a live reply asked for nothing")
	}
	if got, _ := m.pane.Message(1); got.ReplyCount != 2 {
		t.Fatalf("live count = %d, want 2 until the server answers", got.ReplyCount)
	}
	parent.ReplyCount = 1
	m.Update(parentMsg{parent: parent})
	if got, _ := m.pane.Message(1); got.ReplyCount != 1 {
		t.Fatalf("count after the server's answer = %d, want 1", got.ReplyCount)
	}
	// An answer about another conversation is not applied here.
	stray := parent
	stray.ConversationID, stray.ReplyCount = "group_xmen", 7
	m.Update(parentMsg{parent: stray})
	if got, _ := m.pane.Message(1); got.ReplyCount != 1 {
		t.Fatalf("a parent of another conversation changed the count to %d", got.ReplyCount)
	}
}
