package convlist

import (
	"strings"
	"testing"
	"time"

	"cometterm/chat"
)

// TestLastMessageHandedOutStays: a conversation taken from the list keeps
// the latest message it had, though the list rewrites its own copy in
// place for every new message.
func TestLastMessageHandedOutStays(t *testing.T) {
	m := newList(t, 40, 16)
	spidey := user("superhero3", "Spiderman", true)
	id := chat.GroupConversationID("avengers")
	m.ApplyMessage(*text(20, spidey, "avengers", chat.ReceiverGroup, "first", now.Unix()), true)
	got, ok := m.Get(id)
	if !ok || got.LastMessage == nil || got.LastMessage.Data.Text != "first" {
		t.Fatalf("Get after the first message: %+v", got.LastMessage)
	}
	m.SetActive(id)
	sel, ok := m.Selected()
	if !ok || sel.ConversationID != id {
		t.Fatalf("selected %q, want %q", sel.ConversationID, id)
	}
	m.ApplyMessage(*text(21, spidey, "avengers", chat.ReceiverGroup, "second", now.Unix()), true)
	m.ApplyReceipt(chat.Receipt{MessageID: 21, Type: chat.ReceiptRead, At: now.Unix()})
	m.ApplyEdit(*text(21, spidey, "avengers", chat.ReceiverGroup, "second, edited", now.Unix()))
	if got.LastMessage.Data.Text != "first" || sel.LastMessage.Data.Text != "first" {
		t.Fatalf("handed-out conversations changed: Get %q, Selected %q", got.LastMessage.Data.Text, sel.LastMessage.Data.Text)
	}
	cur, _ := m.Get(id)
	if cur.LastMessage.ID != 21 || cur.LastMessage.Data.Text != "second, edited" {
		t.Fatalf("latest message %d %q, want 21 %q", cur.LastMessage.ID, cur.LastMessage.Data.Text, "second, edited")
	}
	if !plainContains(m.View(), "second, edited") {
		t.Fatalf("the list does not show the edit:\n%s", plain(m.View()))
	}
}

// TestApplyMessageReusesStorage: once a conversation's latest message is
// in the list's own storage, a newer one costs no allocation for it.
func TestApplyMessageReusesStorage(t *testing.T) {
	m := newList(t, 40, 16)
	spidey := user("superhero3", "Spiderman", true)
	msg := *text(30, spidey, "avengers", chat.ReceiverGroup, "hello", now.Add(time.Second).Unix())
	m.ApplyMessage(msg, true) // the first one moves it into the list's storage
	allocs := testing.AllocsPerRun(100, func() {
		msg.ID++
		m.ApplyMessage(msg, true)
	})
	if allocs > 0 {
		t.Fatalf("ApplyMessage allocates %.1f times per message of an open group", allocs)
	}
}

func plainContains(view, s string) bool { return strings.Contains(plain(view), s) }
