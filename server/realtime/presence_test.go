package realtime

import (
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat/wire"
)

func presenceOf(t *testing.T, c *client, uid, action string) wire.PresenceBody {
	t.Helper()
	var body wire.PresenceBody
	c.next(t, action+" of "+uid, func(f inFrame) bool {
		if f.Type != wire.TypePresence {
			return false
		}
		var b wire.PresenceBody
		f.body(&b)
		return b.Action == action && b.User != nil && b.User.UID == uid
	}).body(&body)
	return body
}

func anyPresenceOf(uid string) func(inFrame) bool {
	return func(f inFrame) bool {
		if f.Type != wire.TypePresence {
			return false
		}
		var b wire.PresenceBody
		f.body(&b)
		return b.User != nil && b.User.UID == uid
	}
}

func TestPresenceBySubscription(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"sall", "sroles", "sfriends", "snone", "y"} {
		e.user(u, "default")
	}
	e.user("x", "admin")
	if _, err := e.db.AddFriends(e.ctx(), "x", []string{"sfriends"}, time.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	sall := e.connect("sall", "d", wire.SubscribeAllUsers)
	sroles := e.connect("sroles", "d", wire.SubscribeRoles, "admin", "moderator")
	sfriends := e.connect("sfriends", "d", wire.SubscribeFriends)
	snone := e.connect("snone", "d", "")

	x1 := e.connect("x", "x1", wire.SubscribeAllUsers)
	for _, c := range []*client{sall, sroles, sfriends} {
		if b := presenceOf(t, c, "x", wire.PresenceOnline); b.Timestamp == 0 || b.User.Role != "admin" || b.User.Status != "online" {
			t.Fatalf("%s got %+v", c.name(), b)
		}
	}
	e.noneBefore(snone, "presence without a subscription", anyPresenceOf("x"))
	e.noneBefore(x1, "own presence", anyPresenceOf("x"))

	// A second device is not news.
	x2 := e.connect("x", "x2", "")
	e.noneBefore(sall, "second device online", anyPresenceOf("x"))

	// y has neither the role nor the friendship.
	e.connect("y", "y1", "")
	presenceOf(t, sall, "y", wire.PresenceOnline)
	presenceOf(t, x1, "y", wire.PresenceOnline)
	for _, c := range []*client{sroles, sfriends, snone} {
		e.noneBefore(c, "presence outside the subscription", anyPresenceOf("y"))
	}

	// Offline only when the last device goes.
	if err := x1.ws.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	e.waitDevices("x", 1)
	e.noneBefore(sall, "offline while a device remains", anyPresenceOf("x"))
	if !e.hub.Online("x") {
		t.Fatal("x is offline with a device connected")
	}
	if err := x2.ws.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	var at int64
	for _, c := range []*client{sall, sroles, sfriends} {
		b := presenceOf(t, c, "x", wire.PresenceOffline)
		if b.Timestamp == 0 || b.User.LastActiveAt != b.Timestamp || b.User.Status != "offline" {
			t.Fatalf("%s got %+v", c.name(), b)
		}
		at = b.Timestamp
	}
	e.noneBefore(snone, "offline without a subscription", anyPresenceOf("x"))
	u, err := e.db.User(e.ctx(), "x", false)
	if err != nil {
		t.Fatal(err)
	}
	if u.LastActiveAt != at {
		t.Fatalf("lastActiveAt stored %d, announced %d", u.LastActiveAt, at)
	}
	if e.hub.Online("x") {
		t.Fatal("x still online")
	}
}

func TestPresenceNotDeliveredOverTheUserLimit(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.PresenceUserLimit = 2 })
	for _, u := range []string{"a", "b", "c"} {
		e.user(u, "default")
	}
	a := e.connect("a", "d", wire.SubscribeAllUsers)
	e.connect("b", "d", "")
	presenceOf(t, a, "b", wire.PresenceOnline)
	e.connect("c", "d", "")
	e.noneBefore(a, "presence over the user limit", anyPresenceOf("c"))
}
