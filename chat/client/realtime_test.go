package client_test

import (
	"encoding/json"
	"errors"
	"testing"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/chat/wire"
)

func TestConversationsReceiptsTypingTransient(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice", func(c *client.Config) { c.PresenceSubscription = wire.SubscribeAllUsers })
	bob, br := login(t, s, "bob")
	ctx := ctxT(t)
	connected(t, ar)
	connected(t, br)

	m1, err := alice.SendText(ctx, "bob", chat.ReceiverUser, "one")
	if err != nil {
		t.Fatal(err)
	}
	m2, err := alice.SendText(ctx, "bob", chat.ReceiverUser, "two")
	if err != nil {
		t.Fatal(err)
	}
	got := first(t, br, func(e chat.MessageReceived) bool { return e.Message.ID == m2.ID })

	cs, err := bob.Conversations(ctx, chat.ConversationQuery{})
	if err != nil || len(cs) != 1 || cs[0].ConversationID != "alice_user_bob" || cs[0].UnreadMessageCount != 2 ||
		cs[0].WithUser == nil || cs[0].WithUser.UID != "alice" || cs[0].LastMessage == nil || cs[0].LastMessage.ID != m2.ID {
		t.Fatalf("conversations %+v %v", cs, err)
	}
	cv, err := bob.Conversation(ctx, "alice_user_bob")
	if err != nil || cv.ConversationID != "alice_user_bob" {
		t.Fatalf("conversation %+v %v", cv, err)
	}
	if _, err := bob.Conversation(ctx, "group_nothing"); !chat.HasCode(err, chat.ErrGUIDNotFound) && !chat.HasCode(err, chat.ErrConversationNotAccess) {
		t.Fatalf("unknown conversation err = %v", err)
	}
	if _, err := bob.Conversation(ctx, "x"); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("malformed conversation id err = %v", err)
	}

	// Receipts go over the socket; alice hears about them.
	if err := bob.MarkDelivered(ctx, got.Message); err != nil {
		t.Fatal(err)
	}
	d := first(t, ar, func(e chat.ReceiptReceived) bool { return e.Receipt.Type == chat.ReceiptDelivered })
	if d.Receipt.MessageID != m2.ID || d.By == nil || d.By.UID != "bob" {
		t.Fatalf("delivered %+v", d)
	}
	if err := bob.MarkRead(ctx, got.Message); err != nil {
		t.Fatal(err)
	}
	first(t, ar, func(e chat.ReceiptReceived) bool {
		return e.Receipt.Type == chat.ReceiptRead && e.Receipt.MessageID == m2.ID
	})
	sent := first(t, br, func(e chat.FrameSent) bool { return e.FrameType == wire.TypeReceipts })
	var f wire.Frame
	if err := json.Unmarshal(sent.Raw, &f); err != nil || f.Receiver != "alice" || f.MessageSender != "alice" || f.DeviceID != bob.SessionID() || sent.Dir != chat.Outbound {
		t.Fatalf("receipt frame %s (%v)", sent.Raw, err)
	}
	rs, err := alice.MessageReceipts(ctx, m2.ID)
	if err != nil || len(rs) != 1 || rs[0].User.UID != "bob" || rs[0].ReadAt == 0 || rs[0].DeliveredAt == 0 {
		t.Fatalf("receipts %+v %v", rs, err)
	}
	if cv, err := bob.Conversation(ctx, "alice_user_bob"); err != nil || cv.UnreadMessageCount != 0 {
		t.Fatalf("after read: %+v %v", cv, err)
	}
	if err := bob.MarkUnread(ctx, m1); err != nil {
		t.Fatal(err)
	}
	if cv, err := bob.Conversation(ctx, "alice_user_bob"); err != nil || cv.UnreadMessageCount != 2 {
		t.Fatalf("after mark unread: unread %d %v", cv.UnreadMessageCount, err)
	}
	if _, err := alice.MessageReceipts(ctx, 999999); !chat.HasCode(err, chat.ErrMessageIDNotFound) {
		t.Fatalf("receipts of unknown err = %v", err)
	}

	// Typing and transient messages.
	if err := bob.StartTyping(ctx, "alice", chat.ReceiverUser); err != nil {
		t.Fatal(err)
	}
	ts := first(t, ar, func(chat.TypingStarted) bool { return true })
	if ts.Typing.Sender.UID != "bob" || ts.Typing.ConversationID("alice") != "alice_user_bob" {
		t.Fatalf("typing %+v", ts)
	}
	if err := bob.EndTyping(ctx, "alice", chat.ReceiverUser); err != nil {
		t.Fatal(err)
	}
	first(t, ar, func(chat.TypingEnded) bool { return true })
	if err := bob.SendTransient(ctx, "alice", chat.ReceiverUser, map[string]any{"live": "wave"}); err != nil {
		t.Fatal(err)
	}
	tr := first(t, ar, func(chat.TransientReceived) bool { return true })
	if tr.Sender.UID != "bob" || tr.Data["live"] != "wave" {
		t.Fatalf("transient %+v", tr)
	}

	// Presence: alice subscribed; bob going away is reported.
	if err := bob.Disconnect(); err != nil {
		t.Fatal(err)
	}
	off := first(t, ar, func(e chat.PresenceChanged) bool { return !e.Online })
	if off.User.UID != "bob" {
		t.Fatalf("presence %+v", off)
	}
	if err := bob.StartTyping(ctx, "alice", chat.ReceiverUser); !errors.Is(err, client.ErrNotConnected) || !chat.HasCode(err, client.CodeNotConnected) {
		t.Fatalf("typing while disconnected err = %v", err)
	}
	if err := bob.MarkRead(ctx, got.Message); !errors.Is(err, client.ErrNotConnected) {
		t.Fatalf("receipt while disconnected err = %v", err)
	}
}

func TestAuthFrameMasksJWT(t *testing.T) {
	s := clienttest.Start(t)
	_, ar := login(t, s, "alice", func(c *client.Config) {
		c.PresenceSubscription = wire.SubscribeRoles
		c.Roles = []string{"default"}
	})
	sent := first(t, ar, func(e chat.FrameSent) bool { return e.FrameType == wire.TypeAuth })
	var f wire.Frame
	var body wire.AuthBody
	if err := json.Unmarshal(sent.Raw, &f); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(f.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Auth != "…" || body.PresenceSubscription != wire.SubscribeRoles || len(body.Roles) != 1 || f.Sender != "alice" || f.AppID != clienttest.AppID {
		t.Fatalf("auth frame shown as %s", sent.Raw)
	}
	connected(t, ar)
}
