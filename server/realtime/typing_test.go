package realtime

import (
	"testing"

	"cometterm/chat/wire"
)

func typingFrame(uid, device, receiver, receiverType, action string) (wire.Frame, wire.TypingBody) {
	return wire.Frame{AppID: testApp, Receiver: receiver, ReceiverType: receiverType, DeviceID: device,
			Type: wire.TypeTyping, Sender: uid},
		wire.TypingBody{Action: action, Metadata: map[string]any{"k": "v"}}
}

func TestTypingOneToOne(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")

	// The TypingIndicator path says "user", endTyping({…}) says "chat".
	for _, tc := range []struct{ rt, action string }{{"user", wire.TypingStarted}, {"chat", wire.TypingEnded}} {
		f, body := typingFrame("alice", "a1", "bob", tc.rt, tc.action)
		a1.sendJSON(t, f, body)
		got := b1.nextType(t, wire.TypeTyping)
		var gb wire.TypingBody
		got.body(&gb)
		if gb.Action != tc.action || got.ReceiverType != "user" || got.Receiver != "bob" || got.Sender != "alice" ||
			got.DeviceID != "a1" || gb.User == nil || gb.User.UID != "alice" || gb.User.Name != "Alice" || gb.Metadata["k"] != "v" {
			t.Fatalf("bob got %s", got.raw)
		}
	}
	a1.sync(t)
	e.noneBefore(a2, "typing echo", func(f inFrame) bool { return f.Type == wire.TypeTyping })
	e.noneBefore(a1, "typing echo", func(f inFrame) bool { return f.Type == wire.TypeTyping })
}

func TestTypingGroup(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol", "mallory"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")
	m1 := e.connect("mallory", "m1", "")

	f, body := typingFrame("bob", "b1", "g1", "groupchat", wire.TypingStarted)
	b1.sendJSON(t, f, body)
	for _, c := range []*client{a1, c1} {
		got := c.nextType(t, wire.TypeTyping)
		var gb wire.TypingBody
		got.body(&gb)
		if got.ReceiverType != "group" || got.Receiver != "g1" || gb.User == nil || gb.User.UID != "bob" {
			t.Fatalf("%s got %s", c.name(), got.raw)
		}
	}

	// A non-member typing into the group is dropped with a warning.
	f, body = typingFrame("mallory", "m1", "g1", "group", wire.TypingStarted)
	m1.sendJSON(t, f, body)
	m1.sync(t)
	for _, c := range []*client{a1, b1, c1} {
		e.noneBefore(c, "non-member typing", func(f inFrame) bool { return f.Sender == "mallory" })
	}
	if !e.log.has("not a member of the group") {
		t.Fatal("no warning for a non-member typing")
	}
}

func TestTypingSkippedInGroupsOverTheLimit(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.TypingMemberLimit = 1 })
	for _, u := range []string{"alice", "bob", "carol"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")

	f, body := typingFrame("alice", "a1", "g1", "group", wire.TypingStarted)
	a1.sendJSON(t, f, body)
	a1.sync(t)
	e.noneBefore(c1, "typing in a group over the limit", func(f inFrame) bool { return f.Type == wire.TypeTyping })
}
