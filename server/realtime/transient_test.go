package realtime

import (
	"testing"

	"cometterm/chat/wire"
)

func TestTransientMessages(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carol", "mallory"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "bob", "carol")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")
	c1 := e.connect("carol", "c1", "")
	m1 := e.connect("mallory", "m1", "")

	send := func(c *client, receiver, rt, data string) {
		c.sendJSON(t, wire.Frame{AppID: testApp, Receiver: receiver, ReceiverType: rt, DeviceID: c.device,
			Type: wire.TypeTransient, Sender: c.uid}, wire.TransientBody{Data: map[string]any{"live": data}})
	}
	check := func(c *client, sender, receiver, rt, data string) {
		t.Helper()
		f := c.nextType(t, wire.TypeTransient)
		var body wire.TransientBody
		f.body(&body)
		if f.Sender != sender || f.Receiver != receiver || f.ReceiverType != rt || body.Data["live"] != data ||
			body.User == nil || body.User.UID != sender {
			t.Fatalf("%s got %s", c.name(), f.raw)
		}
	}

	send(a1, "bob", "user", "reaction:🎉")
	check(b1, "alice", "bob", "user", "reaction:🎉")
	check(a2, "alice", "bob", "user", "reaction:🎉")

	send(b1, "g1", "group", "live location")
	for _, c := range []*client{a1, a2, c1} {
		check(c, "bob", "g1", "group", "live location")
	}

	send(m1, "g1", "group", "intrusion")
	m1.sync(t)
	a1.sync(t)
	for _, c := range []*client{a1, b1} {
		e.noneBefore(c, "transient from a non-member", func(f inFrame) bool { return f.Sender == "mallory" })
	}
	e.noneBefore(a1, "transient echo to the sending device", func(f inFrame) bool {
		return f.Type == wire.TypeTransient && f.Sender == "alice"
	})
}
