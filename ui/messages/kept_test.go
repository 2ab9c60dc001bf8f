package messages

import (
	"testing"

	"cometterm/chat"
)

// TestPaneDropsReceiverEntity: the pane keeps messages without the
// receiver entity (the conversation itself) from every way they arrive,
// and keeps the sender's.
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
		if s := e.msg.Data.Entities.Sender; s == nil || s.User == nil || s.User.UID != e.msg.Sender {
			t.Errorf("message %d lost its sender entity: %+v", e.msg.ID, s)
		}
	}
}
