package realtime

import (
	"testing"

	"cometterm/chat"
	"cometterm/chat/wire"
)

func sendReceipt(t *testing.T, c *client, m chat.Message, action string) {
	t.Helper()
	receiver, rt := m.Sender, "user"
	if m.ReceiverType == chat.ReceiverGroup {
		receiver, rt = m.Receiver, "group"
	}
	c.sendJSON(t, wire.Frame{AppID: testApp, Receiver: receiver, ReceiverType: rt, DeviceID: c.device,
		Type: wire.TypeReceipts, Sender: c.uid, MessageSender: m.Sender},
		wire.ReceiptBody{Action: action, MessageID: m.ID, User: &chat.User{UID: c.uid}})
}

// receipt waits for a receipts frame with action for message id.
func receipt(t *testing.T, c *client, action string, id chat.ID) (inFrame, wire.ReceiptBody) {
	t.Helper()
	var body wire.ReceiptBody
	f := c.next(t, action+" receipt", func(f inFrame) bool {
		if f.Type != wire.TypeReceipts {
			return false
		}
		var b wire.ReceiptBody
		f.body(&b)
		return b.Action == action && b.MessageID == id
	})
	f.body(&body)
	return f, body
}

func TestReceiptsOneToOne(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")
	b2 := e.connect("bob", "b2", "")
	m := e.text("alice", "bob", chat.ReceiverUser, "did you get this?")

	for _, action := range []string{"delivered", "read"} {
		sendReceipt(t, b1, m, action)
		for _, c := range []*client{a1, a2, b2} {
			f, body := receipt(t, c, action, m.ID)
			if f.Sender != "bob" || f.MessageSender != "alice" || f.Receiver != "alice" || f.ReceiverType != "user" ||
				f.DeviceID != "b1" || body.User == nil || body.User.UID != "bob" || body.User.Name != "Bob" || body.Timestamp == 0 {
				t.Fatalf("%s got %s", c.name(), f.raw)
			}
		}
	}
	// A repeated receipt changes nothing and is not relayed again.
	sendReceipt(t, b1, m, "read")
	b1.sync(t)
	e.noneBefore(a1, "repeated receipt", func(f inFrame) bool { return f.Type == wire.TypeReceipts })
	e.noneBefore(b1, "receipt echo to the reading device", func(f inFrame) bool { return f.Type == wire.TypeReceipts })

	rs, err := e.db.MessageReceipts(e.ctx(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].User.UID != "bob" || rs[0].ReadAt == 0 || rs[0].DeliveredAt == 0 {
		t.Fatalf("stored receipts: %+v", rs)
	}
}

func TestReceiptsGroupToAll(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")
	m := e.text("alice", "g1", chat.ReceiverGroup, "meeting at 3")

	for _, step := range []struct{ action, all string }{{"delivered", "deliveredToAll"}, {"read", "readByAll"}} {
		sendReceipt(t, b1, m, step.action)
		f, _ := receipt(t, a1, step.action, m.ID)
		if f.Sender != "bob" || f.Receiver != "g1" || f.ReceiverType != "group" || f.MessageSender != "alice" {
			t.Fatalf("alice got %s", f.raw)
		}
		b1.sync(t)
		e.noneBefore(a1, step.all+" before everyone", func(f inFrame) bool {
			var b wire.ReceiptBody
			if f.Type == wire.TypeReceipts {
				f.body(&b)
			}
			return b.Action == step.all
		})
		sendReceipt(t, c1, m, step.action)
		receipt(t, a1, step.action, m.ID)
		if f, body := receipt(t, a1, step.all, m.ID); f.Receiver != "g1" || body.Timestamp == 0 {
			t.Fatalf("alice got %s", f.raw)
		}
	}
	// Other members do not hear about each other's receipts.
	e.noneBefore(c1, "someone else's receipt", func(f inFrame) bool { return f.Type == wire.TypeReceipts })
}

func TestReceiptsInLargeGroupsAreStoredNotRelayed(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ReceiptMemberLimit = 2 })
	for _, u := range []string{"alice", "bob", "carol"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	b1 := e.connect("bob", "b1", "")
	m := e.text("alice", "g1", chat.ReceiverGroup, "big room")

	sendReceipt(t, b1, m, "read")
	b1.sync(t)
	e.noneBefore(a1, "receipt in a large group", func(f inFrame) bool { return f.Type == wire.TypeReceipts })
	rs, err := e.db.MessageReceipts(e.ctx(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rs {
		found = found || (r.User.UID == "bob" && r.ReadAt != 0)
	}
	if !found {
		t.Fatalf("bob's read receipt was not stored: %+v", rs)
	}
}

func TestReceiptsForInvisibleMessagesAreIgnored(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob")
	a1 := e.connect("alice", "a1", "")
	c1 := e.connect("carol", "c1", "")
	private := e.text("alice", "bob", chat.ReceiverUser, "for bob only")
	inGroup := e.text("alice", "g1", chat.ReceiverGroup, "members only")

	sendReceipt(t, c1, private, "read")
	sendReceipt(t, c1, inGroup, "read")
	sendReceipt(t, c1, chat.Message{ID: 999999, Sender: "alice", ReceiverType: chat.ReceiverUser}, "read")
	// The author marking their own message is not a receipt either.
	sendReceipt(t, a1, private, "read")
	c1.sync(t)
	a1.sync(t)
	e.noneBefore(a1, "receipt for an invisible message", func(f inFrame) bool { return f.Type == wire.TypeReceipts })
	for _, id := range []chat.ID{private.ID, inGroup.ID} {
		rs, err := e.db.MessageReceipts(e.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.DeliveredAt != 0 || r.ReadAt != 0 {
				t.Fatalf("message %d got a receipt: %+v", id, rs)
			}
		}
	}
	if !e.log.has("receipt for a message the reader cannot see") {
		t.Fatal("no warning logged")
	}
}
