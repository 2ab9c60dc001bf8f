package realtime

import (
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/chat/wire"
)

func TestPublishMessageUserReachesBothPartiesAndAllDevices(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	e.user("carol", "default")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")

	m := e.text("alice", "bob", chat.ReceiverUser, "hello bob")
	e.hub.PublishMessage(m, "a1")

	for _, c := range []*client{a1, a2, b1} {
		f := c.nextType(t, wire.TypeMessage)
		got := f.message()
		if got.ID != m.ID || got.Data.Text != "hello bob" || got.Data.Entities.Sender == nil {
			t.Fatalf("%s got body %s", c.name(), f.raw)
		}
		if f.DeviceID != "a1" || f.Sender != "alice" || f.Receiver != "bob" || f.ReceiverType != "user" || f.AppID != testApp {
			t.Fatalf("%s got envelope %s", c.name(), f.raw)
		}
	}
	e.noneBefore(c1, "1:1 message", func(f inFrame) bool { return f.message().ID == m.ID })
}

func TestPublishMessageGroupReachesMembersOnly(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol", "dave"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")
	d1 := e.connect("dave", "d1", "")

	m := e.text("bob", "g1", chat.ReceiverGroup, "hi all")
	e.hub.PublishMessage(m, "b1")
	for _, c := range []*client{a1, a2, b1, c1} {
		f := c.nextType(t, wire.TypeMessage)
		if f.message().ID != m.ID || f.DeviceID != "b1" || f.Receiver != "g1" || f.ReceiverType != "group" {
			t.Fatalf("%s got %s", c.name(), f.raw)
		}
	}
	e.noneBefore(d1, "group message to a non-member", func(f inFrame) bool { return f.Type == wire.TypeMessage })
}

func TestKickedAndBannedMembersStopReceiving(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")
	now := time.Now().Unix()

	kick, err := e.db.RemoveMember(e.ctx(), "g1", "bob", chat.RemovalKicked, "alice", now)
	if err != nil {
		t.Fatal(err)
	}
	e.hub.PublishMessage(kick, "a1", "bob")
	ban, err := e.db.RemoveMember(e.ctx(), "g1", "carol", chat.RemovalBanned, "alice", now)
	if err != nil {
		t.Fatal(err)
	}
	e.hub.PublishMessage(ban, "a1", "carol")

	// The removed members see their own removal (alsoTo)…
	if f := b1.nextType(t, wire.TypeMessage); f.message().Data.Action != chat.ActionKicked {
		t.Fatalf("bob got %s", f.raw)
	}
	c1.next(t, "her ban", func(f inFrame) bool { return f.message().Data.Action == chat.ActionBanned })
	// …and nothing said in the group afterwards.
	m := e.text("alice", "g1", chat.ReceiverGroup, "after the purge")
	e.hub.PublishMessage(m, "a1")
	if f := a1.next(t, "alice's message", func(f inFrame) bool { return f.message().ID == m.ID }); f.DeviceID != "a1" {
		t.Fatalf("alice got %s", f.raw)
	}
	for _, c := range []*client{b1, c1} {
		e.noneBefore(c, "message after removal", func(f inFrame) bool { return f.message().ID == m.ID })
	}
}

func TestPublishReaction(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob"} {
		e.user(u, "default")
	}
	a1 := e.connect("alice", "a1", "")
	b1 := e.connect("bob", "b1", "")
	m := e.text("alice", "bob", chat.ReceiverUser, "react to me")
	r, m2, err := e.db.AddReaction(e.ctx(), m.ID, "bob", "👍", time.Now().Unix())
	if err != nil {
		t.Fatal(err)
	}
	e.hub.PublishReaction(r, m2, true, "b1")
	for _, c := range []*client{a1, b1} {
		f := c.nextType(t, wire.TypeReaction)
		var body wire.ReactionBody
		f.body(&body)
		if body.Action != wire.ReactionAdded || body.MessageID != m.ID || body.UID != "bob" || body.Reaction != "👍" ||
			body.ConversationID != m.ConversationID || f.DeviceID != "b1" || f.Sender != "bob" {
			t.Fatalf("%s got %s", c.name(), f.raw)
		}
	}
	e.hub.PublishReaction(r, m2, false, "b1")
	var body wire.ReactionBody
	a1.nextType(t, wire.TypeReaction).body(&body)
	if body.Action != wire.ReactionRemoved {
		t.Fatalf("removal came as %q", body.Action)
	}
}

func TestPublishKeepsCallOrder(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	e.group("g1", "alice", "bob")
	b1 := e.connect("bob", "b1", "")
	const n = 200 // below the default queue of 256
	for i := 1; i <= n; i++ {
		rt, to := chat.ReceiverGroup, "g1"
		if i%3 == 0 {
			rt, to = chat.ReceiverUser, "bob" // interleave both kinds of fan-out
		}
		e.hub.PublishMessage(chat.Message{ID: chat.ID(i), Sender: "alice", Receiver: to, ReceiverType: rt,
			Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "m"}}, "a1")
	}
	for want := chat.ID(1); want <= n; want++ {
		if got := b1.nextType(t, wire.TypeMessage).message().ID; got != want {
			t.Fatalf("message %d arrived where %d was due", got, want)
		}
	}
}
