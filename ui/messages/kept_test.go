package messages

import (
	"testing"

	"cometterm/chat"
)

// TestPaneDropsReceiverEntity: the pane keeps messages without the
// receiver entity (the conversation itself) from every way they arrive,
// and with the sender's name, shared by the messages of one sender.
func TestPaneDropsReceiverEntity(t *testing.T) {
	withEntities := func(m chat.Message) chat.Message {
		m.Data.Entities.Sender = chat.UserEntity(users[m.Sender])
		m.Data.Entities.Receiver = chat.GroupEntity(chat.Group{GUID: "avengers", Name: "Avengers"})
		return m
	}
	m := newPane(80, 20, []chat.Message{withEntities(text(1001, "superhero2", at(9, 0), "page"))}, true)
	m.Upsert(withEntities(text(1003, "superhero3", at(9, 2), "live")))
	m.Upsert(withEntities(text(1003, "superhero3", at(9, 2), "live, edited")))
	m.Prepend([]chat.Message{withEntities(text(999, "superhero4", at(8, 0), "older"))}, false)
	if m.st.len() != 3 {
		t.Fatalf("pane holds %d messages, want 3", m.st.len())
	}
	for _, e := range m.st.items {
		if e.msg.Data.Entities.Receiver != nil {
			t.Errorf("message %d keeps its receiver entity", e.msg.ID)
		}
		s := e.msg.Data.Entities.Sender
		if s == nil || s.User == nil || s.User.UID != e.msg.Sender || s.User.Name != users[e.msg.Sender].Name {
			t.Errorf("message %d lost its sender's name: %+v", e.msg.ID, s)
		}
	}
	// Two messages of one sender share the entity; a new name gets its own.
	m.Upsert(withEntities(text(1004, "superhero3", at(9, 3), "again")))
	renamed := withEntities(text(1005, "superhero3", at(9, 4), "renamed"))
	renamed.Data.Entities.Sender.User.Name = "Spidey"
	m.Upsert(renamed)
	a, b, c := m.st.get(1003), m.st.get(1004), m.st.get(1005)
	if a.msg.Data.Entities.Sender != b.msg.Data.Entities.Sender {
		t.Error("two messages of one sender keep two entities")
	}
	if got := c.msg.Data.Entities.Sender.User.Name; got != "Spidey" {
		t.Errorf("a renamed sender's message shows %q", got)
	}
	if got := m.r.Name(a.msg.Sender, a.msg.Data.Entities.Sender); got != "Spiderman" {
		t.Errorf("older message's sender drawn as %q", got)
	}
}
