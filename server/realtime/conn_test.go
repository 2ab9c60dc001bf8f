package realtime

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

func TestPingPong(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	c := e.connect("alice", "a1", "")
	c.sendRaw(t, []byte(`{"action":"ping","ack":"true"}`))
	f := c.next(t, "pong", func(inFrame) bool { return true })
	if string(f.raw) != `{"action":"pong"}` {
		t.Fatalf("got %s", f.raw)
	}
}

func TestIdleTimeoutAfterAuth(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.IdleTimeout = 300 * time.Millisecond })
	e.user("alice", "default")
	c := e.connect("alice", "a1", "")
	if code, reason := c.closed(t); code != websocket.StatusPolicyViolation || reason != "idle timeout" {
		t.Fatalf("closed with %v %q", code, reason)
	}
	e.waitDevices("alice", 0)
}

func TestKeepalivesHoldOffIdleTimeout(t *testing.T) {
	idle := 600 * time.Millisecond
	e := newEnv(t, func(o *Options) { o.IdleTimeout = idle })
	e.user("alice", "default")
	c := e.connect("alice", "a1", "")
	start := time.Now()
	for time.Since(start) < 3*idle {
		c.sync(t)
		time.Sleep(idle / 4) // pacing the keepalives, not synchronisation
	}
	if !e.hub.Online("alice") {
		t.Fatal("a socket that keeps pinging was closed")
	}
}

func TestBadInputClosesWithReason(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ReadLimit = 1024 })
	e.user("alice", "default")
	cases := []struct {
		name   string
		send   func(c *client)
		code   websocket.StatusCode
		reason string
	}{
		{"malformed JSON", func(c *client) { c.sendRaw(t, []byte(`{"type":`)) }, websocket.StatusInvalidFramePayloadData, "malformed JSON"},
		{"binary frame", func(c *client) {
			if err := c.ws.Write(context.Background(), websocket.MessageBinary, []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
		}, websocket.StatusUnsupportedData, "text frames only"},
		{"frame over the read limit", func(c *client) {
			c.sendRaw(t, []byte(`{"type":"transient_message","body":{"data":{"x":"`+strings.Repeat("a", 2048)+`"}}}`))
		}, websocket.StatusMessageTooBig, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.connect("alice", "a1", "")
			tc.send(c)
			code, reason := c.closed(t)
			if code != tc.code || (tc.reason != "" && reason != tc.reason) {
				t.Fatalf("closed with %v %q, want %v %q", code, reason, tc.code, tc.reason)
			}
			e.waitDevices("alice", 0)
		})
	}
}

func TestBadInputIsIgnoredWithWarning(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	a := e.connect("alice", "a1", "")
	b := e.connect("bob", "b1", "")
	m := e.text("bob", "alice", chat.ReceiverUser, "hi")
	frames := []struct{ raw, warning string }{
		{`{"type":"no_such_type","body":{}}`, "unsupported frame type"},
		{`{"action":"dance"}`, "frame without type"},
		{`{"type":"typing_indicator","receiver":"bob","receiverType":"user","body":{"action":"dancing"}}`, "unknown typing action"},
		{`{"type":"typing_indicator","receiver":"bob","receiverType":"channel","body":{"action":"started"}}`, "missing or invalid receiver"},
		{`{"type":"typing_indicator","receiverType":"user","body":{"action":"started"}}`, "missing or invalid receiver"},
		{`{"type":"typing_indicator","receiver":"alice","receiverType":"user","body":{"action":"started"}}`, "receiver is the sender"},
		{`{"type":"typing_indicator","receiver":"bob","receiverType":"user","body":"started"}`, "malformed typing body"},
		{`{"type":"receipts","receiver":"bob","receiverType":"user","body":{"action":"read","messageId":"abc"}}`, "malformed receipt body"},
		{`{"type":"receipts","receiver":"bob","receiverType":"user","body":{"action":"seen","messageId":"` + m.ID.String() + `"}}`, "unknown receipt action"},
		{`{"type":"receipts","receiver":"bob","receiverType":"user","body":{"action":"read"}}`, "receipt without messageId"},
		{`{"type":"transient_message","receiver":"nogroup","receiverType":"group","body":{"data":{}}}`, "not a member of the group"},
		{`{"type":"auth","body":{"auth":"x"}}`, "repeated auth"},
	}
	for _, f := range frames {
		a.sendRaw(t, []byte(f.raw))
	}
	a.sync(t) // still open, and every frame above has been handled
	for _, f := range frames {
		if !e.log.has(f.warning) {
			t.Errorf("no warning %q for %s", f.warning, f.raw)
		}
	}
	e.noneBefore(b, "relay of bad input", func(f inFrame) bool { return f.Type == wire.TypeTyping || f.Type == wire.TypeReceipts })
	rs, err := e.db.MessageReceipts(e.ctx(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ReadAt != 0 || r.DeliveredAt != 0 {
			t.Fatalf("bad receipts changed state: %+v", rs)
		}
	}
}

func TestCloseUser(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	a1 := e.connect("alice", "a1", "")
	a2 := e.connect("alice", "a2", "")
	b1 := e.connect("bob", "b1", "")
	e.hub.CloseUser("alice", "User logged out")
	for _, c := range []*client{a1, a2} {
		if code, reason := c.closed(t); code != websocket.StatusPolicyViolation || reason != "User logged out" {
			t.Fatalf("%s closed with %v %q", c.name(), code, reason)
		}
	}
	e.waitDevices("alice", 0)
	b1.sync(t)
}

func TestHubCloseEndsEverything(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	a1 := e.connect("alice", "a1", "")
	pending := e.open("alice", "p1") // never authenticates
	if err := e.hub.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{a1, pending} {
		if code, reason := c.closed(t); code != websocket.StatusGoingAway || reason != "server shutting down" {
			t.Fatalf("%s closed with %v %q", c.name(), code, reason)
		}
	}
	resp, err := http.Get(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("after Close: HTTP %d", resp.StatusCode)
	}
	// Publishing to a closed hub is a no-op, not a panic.
	e.hub.PublishMessage(chat.Message{ReceiverType: chat.ReceiverGroup, Receiver: "g"}, "")
}
