package store_test

import (
	"context"
	"testing"

	"cometterm/chat"
)

func TestSmoke(t *testing.T) {
	db := newDB(t)
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "hello bob", t0))
	if m.ID == 0 || m.ConversationID != "alice_user_bob" {
		t.Fatalf("%+v", m)
	}
	ms, err := db.ListMessages(context.Background(), chat.MessageQuery{Asker: "bob", SearchKey: "hel"})
	must(t, err)
	if len(ms) != 1 {
		t.Fatalf("got %d", len(ms))
	}
}
