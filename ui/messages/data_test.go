package messages

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

func userPane(msgs []chat.Message) *Model {
	m := New(testCommon())
	m.SetNames(names)
	m.SetConversation("superhero1_user_superhero2", chat.ReceiverUser, "Captain America", "")
	m.SetSize(80, 10)
	m.SetMessages(msgs, false)
	return m
}

func marks(m *Model) string {
	var b strings.Builder
	for _, l := range screen(m) {
		switch {
		case strings.Contains(l, "✓✓ read"):
			b.WriteString("R")
		case strings.Contains(l, "✓✓ delivered"):
			b.WriteString("D")
		case strings.Contains(l, "✓ sent"):
			b.WriteString("S")
		}
	}
	return b.String()
}

func TestReceiptsMoveMarksLive(t *testing.T) {
	ms := []chat.Message{
		text(1, "superhero1", at(10, 0), "a"), text(2, "superhero2", at(10, 1), "b"),
		text(3, "superhero1", at(10, 2), "c"), text(4, "superhero1", at(10, 3), "d"),
	}
	for i := range ms {
		ms[i].ConversationID, ms[i].ReceiverType = "superhero1_user_superhero2", chat.ReceiverUser
	}
	m := userPane(ms)
	if got := marks(m); got != "SSS" {
		t.Fatalf("marks %q, want SSS", got)
	}
	m.ApplyReceipt(chat.Receipt{MessageID: 3, Sender: "superhero2", Type: chat.ReceiptDelivered, At: at(10, 4)})
	if got := marks(m); got != "DDS" {
		t.Fatalf("after delivered #3: %q, want DDS", got)
	}
	// My own read receipt from another device moves nothing.
	m.ApplyReceipt(chat.Receipt{MessageID: 4, Sender: "superhero1", Type: chat.ReceiptRead, At: at(10, 5)})
	if got := marks(m); got != "DDS" {
		t.Fatalf("my own receipt moved marks: %q", got)
	}
	m.ApplyReceipt(chat.Receipt{MessageID: 4, Sender: "superhero2", Type: chat.ReceiptRead, At: at(10, 6)})
	if got := marks(m); got != "RRR" {
		t.Fatalf("after read #4: %q, want RRR", got)
	}
}

func TestGroupMarksCountMembersThenAll(t *testing.T) {
	m := newPane(80, 10, []chat.Message{
		text(1, "superhero1", at(10, 0), "a"), text(2, "superhero1", at(10, 1), "b"),
	}, false)
	guid, _, _ := chat.SplitConversationID(conv, "")
	markOf := func(id int) string {
		for _, l := range screen(m) {
			if strings.Contains(l, map[int]string{1: " a ", 2: " b "}[id]) {
				for _, w := range []string{"read by 2", "read by 1", "2 delivered", "1 delivered", "✓✓ read", "✓ sent"} {
					if strings.Contains(l, w) {
						return w
					}
				}
			}
		}
		return "?"
	}
	// A receipt from another group says nothing about this one.
	m.ApplyReceipt(chat.Receipt{MessageID: 9, Sender: "superhero4", Receiver: "elsewhere", ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead, At: at(10, 2)})
	if a, b := markOf(1), markOf(2); a != "✓ sent" || b != "✓ sent" {
		t.Fatalf("a receipt of another group counted: %q %q", a, b)
	}
	m.ApplyReceipt(chat.Receipt{MessageID: 2, Sender: "superhero2", Receiver: guid, ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptDelivered, At: at(10, 2)})
	if a, b := markOf(1), markOf(2); a != "1 delivered" || b != "1 delivered" {
		t.Fatalf("after one delivery of #2: %q %q", a, b)
	}
	// A read covers the earlier message and implies delivery.
	m.ApplyReceipt(chat.Receipt{MessageID: 1, Sender: "superhero3", Receiver: guid, ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead, At: at(10, 3)})
	if a, b := markOf(1), markOf(2); a != "read by 1" || b != "1 delivered" {
		t.Fatalf("after superhero3 read #1: %q %q", a, b)
	}
	m.ApplyReceipt(chat.Receipt{MessageID: 2, Sender: "superhero2", Receiver: guid, ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead, At: at(10, 4)})
	if a, b := markOf(1), markOf(2); a != "read by 2" || b != "read by 1" {
		t.Fatalf("after superhero2 read #2: %q %q", a, b)
	}
	// Receipts never move backwards; my own receipts do not count.
	m.ApplyReceipt(chat.Receipt{MessageID: 1, Sender: "superhero2", Receiver: guid, ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead, At: at(10, 5)})
	m.ApplyReceipt(chat.Receipt{MessageID: 2, Sender: "superhero1", Receiver: guid, ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead, At: at(10, 5)})
	if a, b := markOf(1), markOf(2); a != "read by 2" || b != "read by 1" {
		t.Fatalf("stale or own receipts changed counts: %q %q", a, b)
	}
	m.ApplyReceipt(chat.Receipt{MessageID: 2, Type: chat.ReceiptReadByAll, At: at(10, 6)})
	if a, b := markOf(1), markOf(2); a != "✓✓ read" || b != "✓✓ read" {
		t.Fatalf("readByAll: %q %q", a, b)
	}
}

func TestReactionsApplyAndToggle(t *testing.T) {
	m := newPane(80, 10, []chat.Message{text(1, "superhero2", at(10, 0), "hi")}, false)
	add := func(uid, r string, added bool) {
		m.ApplyReaction(chat.Reaction{MessageID: 1, Reaction: r, UID: uid}, added)
	}
	add("superhero3", "👍", true)
	add("superhero1", "👍", true)
	add("superhero1", "👍", true) // echo of my own
	add("superhero4", "❤️", true)
	got, _ := m.Message(1)
	rs := got.Data.Reactions
	if len(rs) != 2 || rs[0].Count != 2 || !rs[0].ReactedByMe || rs[1].Count != 1 {
		t.Fatalf("reactions %+v", rs)
	}
	if !strings.Contains(ansi.Strip(m.View()), "👍 2  ❤️ 1") {
		t.Fatalf("summary not shown:\n%s", ansi.Strip(m.View()))
	}
	if !strings.Contains(m.View(), m.c.Theme.ReactionMine.Render("👍 2")) {
		t.Fatal("my reaction is not highlighted")
	}
	add("superhero1", "👍", false)
	add("superhero4", "❤️", false)
	got, _ = m.Message(1)
	if rs := got.Data.Reactions; len(rs) != 1 || rs[0].Count != 1 || rs[0].ReactedByMe {
		t.Fatalf("after removal %+v", rs)
	}
}

func TestEditAndDeleteReplaceByID(t *testing.T) {
	m := newPane(80, 10, []chat.Message{text(1, "superhero2", at(10, 0), "helo")}, false)
	m.ApplyReaction(chat.Reaction{MessageID: 1, Reaction: "👍", UID: "superhero3"}, true)
	ed := text(1, "superhero2", at(10, 0), "hello")
	ed.EditedAt = at(10, 1)
	m.Upsert(ed)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "hello (edited)") || !strings.Contains(v, "👍 1") || m.Len() != 1 {
		t.Fatalf("edit not applied in place (reactions kept):\n%s", v)
	}
	del := ed
	del.DeletedAt = at(10, 2)
	m.Upsert(del)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "This message was deleted") || strings.Contains(v, "hello") {
		t.Fatalf("delete not shown:\n%s", v)
	}
}

func TestRepliesCountOnParentNotListed(t *testing.T) {
	m := newPane(80, 10, []chat.Message{text(1, "superhero2", at(10, 0), "parent")}, false)
	r := text(2, "superhero3", at(10, 1), "a reply")
	r.ParentID = 1
	m.Upsert(r)
	m.Upsert(r) // the same reply again (an edit) counts once
	if m.Len() != 1 || !strings.Contains(ansi.Strip(m.View()), "↳ 1 reply") {
		t.Fatalf("reply listed or not counted:\n%s", ansi.Strip(m.View()))
	}
	other := text(3, "superhero3", at(10, 1), "elsewhere")
	other.ConversationID = "group_other"
	m.Upsert(other)
	if m.Len() != 1 {
		t.Fatal("a message of another conversation was added")
	}
}

// A page that already counted a reply, then the reply's live event:
// the count goes one too high until the server's figure settles it.
func TestServerReplyCountSettlesALiveCount(t *testing.T) {
	parent := text(1, "superhero2", at(10, 0), "parent")
	parent.ReplyCount = 1 // the page counted the reply already
	m := newPane(80, 10, []chat.Message{parent}, false)
	r := text(2, "superhero3", at(10, 1), "a reply")
	r.ParentID = 1
	m.Upsert(r)
	if !strings.Contains(ansi.Strip(m.View()), "↳ 2 replies") {
		t.Fatalf("live reply not counted at once:\n%s", ansi.Strip(m.View()))
	}
	m.SetReplyCount(1, 1)
	if got, _ := m.Message(1); got.ReplyCount != 1 || !strings.Contains(ansi.Strip(m.View()), "↳ 1 reply") {
		t.Fatalf("server count not applied: %d\n%s", got.ReplyCount, ansi.Strip(m.View()))
	}
	m.SetReplyCount(99, 5) // an unknown parent changes nothing
}

// menuFor focuses the pane, selects message id and opens its menu.
func menuFor(t *testing.T, m *Model, id chat.ID) []string {
	t.Helper()
	m.SetFocused(true)
	for range m.Len() + 1 {
		if sel, _ := m.Selected(); sel.ID == id {
			break
		}
		press(m, "up")
	}
	if sel, _ := m.Selected(); sel.ID != id {
		t.Fatalf("could not select %d", id)
	}
	press(m, "enter")
	if !m.MenuOpen() {
		return nil
	}
	var keys []string
	for _, it := range m.menu.items {
		keys = append(keys, it.key)
	}
	return keys
}

func TestMenuOffersOnlyWhatIsAllowed(t *testing.T) {
	msgs := []chat.Message{
		text(1, "superhero2", at(10, 0), "theirs"),
		text(2, "superhero1", at(10, 1), "mine"),
	}
	cases := []struct {
		scope chat.Scope
		id    chat.ID
		want  string
	}{
		{chat.ScopeParticipant, 1, "t r y"},
		{chat.ScopeModerator, 1, "t r d y"},
		{chat.ScopeAdmin, 1, "t r d y"},
		{chat.ScopeParticipant, 2, "t r e d y i"},
	}
	for _, c := range cases {
		m := newPane(80, 10, msgs, false)
		m.SetConversation(conv, chat.ReceiverGroup, "Avengers HQ", c.scope)
		if got := strings.Join(menuFor(t, m, c.id), " "); got != c.want {
			t.Errorf("%s on #%d: %q, want %q", c.scope, c.id, got, c.want)
		}
	}
}

func TestMenuIntents(t *testing.T) {
	msgs := []chat.Message{text(1, "superhero1", at(10, 1), "see <@uid:superhero3>")}
	msgs[0].Data.Reactions = []chat.ReactionCount{{Reaction: "❤️", Count: 1, ReactedByMe: true}}
	m := newPane(80, 12, msgs, false)
	menuFor(t, m, 1)
	if got, ok := press(m, "e").(common.EditRequest); !ok || got.Message.ID != 1 {
		t.Fatalf("edit gave %#v", got)
	}
	menuFor(t, m, 1)
	if got := press(m, "d"); got != nil || !m.MenuOpen() {
		t.Fatalf("delete without confirmation: %#v", got)
	}
	if got, ok := press(m, "d").(common.DeleteMessage); !ok || got.ID != 1 {
		t.Fatalf("confirmed delete gave %#v", got)
	}
	menuFor(t, m, 1)
	if got, ok := press(m, "y").(common.Copy); !ok || got.Text != "see @Spiderman" {
		t.Fatalf("copy gave %#v", got)
	}
	menuFor(t, m, 1)
	press(m, "r")
	if got, ok := press(m, "2").(common.React); !ok || got.Reaction != "❤️" || !got.Remove {
		t.Fatalf("reacting again with my ❤️ gave %#v, want a removal", got)
	}
	menuFor(t, m, 1)
	press(m, "r")
	press(m, "right")
	if got, ok := press(m, "enter").(common.React); !ok || got.Reaction != "❤️" {
		t.Fatalf("picker gave %#v", got)
	}
	menuFor(t, m, 1)
	if got, ok := press(m, "t").(common.OpenThread); !ok || got.Parent.ID != 1 {
		t.Fatalf("thread gave %#v", got)
	}
	menuFor(t, m, 1)
	if got, ok := press(m, "i").(common.ShowMessageInfo); !ok || got.Message.ID != 1 {
		t.Fatalf("info gave %#v", got)
	}
	menuFor(t, m, 1)
	press(m, "esc")
	if m.MenuOpen() {
		t.Fatal("esc did not close the menu")
	}
}

func TestSelectionSkipsActionsAndScrolls(t *testing.T) {
	m := newPane(80, 10, showcase(), false)
	m.SetFocused(true)
	if sel, _ := m.Selected(); sel.ID != 1015 {
		t.Fatalf("focus selected %d, want the newest 1015", sel.ID)
	}
	seen := map[chat.ID]bool{}
	for range 20 {
		press(m, "up")
		sel, _ := m.Selected()
		seen[sel.ID] = true
		if sel.IsAction() {
			t.Fatalf("selected an action message %d", sel.ID)
		}
		if lineOfID := strings.Index(m.View(), "▌"); lineOfID < 0 {
			t.Fatalf("selected %d is not on screen:\n%s", sel.ID, ansi.Strip(m.View()))
		}
	}
	if !seen[1001] || seen[1005] {
		t.Fatalf("walk did not reach the oldest or stopped on an action: %v", seen)
	}
}

func TestLastOwnAndUnsentIgnored(t *testing.T) {
	m := newPane(80, 10, showcase(), false)
	if got, ok := m.LastOwn(); !ok || got.ID != 1015 {
		t.Fatalf("LastOwn = %d, %v", got.ID, ok)
	}
	m.Upsert(text(0, "superhero1", at(10, 29), "not acknowledged"))
	if m.Len() != len(showcase()) || strings.Contains(ansi.Strip(m.View()), "not acknowledged") {
		t.Fatal("a message without an id was listed")
	}
	empty := newPane(80, 10, nil, false)
	if _, ok := empty.LastOwn(); ok {
		t.Fatal("LastOwn on an empty pane")
	}
	if v := ansi.Strip(empty.View()); !strings.Contains(v, "No messages yet") {
		t.Fatalf("empty view:\n%s", v)
	}
	empty.SetLoading(true)
	if v := ansi.Strip(empty.View()); !strings.Contains(v, "Loading messages…") {
		t.Fatalf("loading view:\n%s", v)
	}
}
