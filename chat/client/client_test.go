package client_test

import (
	"testing"

	"cometterm/chat"
	"cometterm/chat/client/clienttest"
)

func TestLoginAndLiveMessage(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	bob, br := login(t, s, "bob")
	connected(t, ar)
	connected(t, br)
	if alice.Me().UID != "alice" || alice.Status() != chat.ConnConnected {
		t.Fatalf("me=%+v status=%s", alice.Me(), alice.Status())
	}
	m, err := bob.SendText(ctxT(t), "alice", chat.ReceiverUser, "hello alice")
	if err != nil {
		t.Fatal(err)
	}
	got := first(t, ar, func(e chat.MessageReceived) bool { return e.Message.ID == m.ID })
	if got.Message.Data.Text != "hello alice" || got.CatchUp || got.Meta().Dir != chat.Inbound || len(got.Meta().Raw) == 0 {
		t.Fatalf("got %+v", got)
	}
}
