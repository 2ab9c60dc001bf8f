package realtime

import (
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat/wire"
	"cometterm/server/token"
)

func TestAuthSucceedsAndRepliesWithStrings(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	c := e.open("alice", "s1")
	c.sendJSON(t, wire.Frame{AppID: testApp, DeviceID: "s1", Type: wire.TypeAuth, Sender: "alice"},
		wire.AuthBody{Auth: e.jwt("alice"), DeviceID: "s1", PresenceSubscription: wire.SubscribeAllUsers})
	f := c.nextType(t, wire.TypeAuth)
	// The SDK starts pinging only on the string "200".
	want := `{"appId":"testapp","deviceId":"s1","type":"auth","sender":"alice","body":{"code":"200","status":"OK"}}`
	if string(f.raw) != want {
		t.Fatalf("auth reply\n got %s\nwant %s", f.raw, want)
	}
	if !e.hub.Online("alice") {
		t.Fatal("alice not online after auth")
	}
}

func TestAuthFailures(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("gone", "default")
	if _, err := e.db.SetDeactivated(e.ctx(), []string{"gone"}, true, time.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	mint := func(secret []byte, app, uid string, at time.Time, ttl time.Duration) string {
		s, err := token.Mint(secret, app, uid, "", at, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	authFrame := func(app, sender string) wire.Frame {
		return wire.Frame{AppID: app, DeviceID: "s1", Type: wire.TypeAuth, Sender: sender}
	}
	cases := []struct {
		name   string
		frame  wire.Frame
		jwt    string
		reason string
		reply  bool // an auth error body comes before the close
	}{
		{"garbage jwt", authFrame(testApp, "alice"), "not.a.jwt", "invalid or expired token", true},
		{"wrong secret", authFrame(testApp, "alice"), mint([]byte("other-secret"), testApp, "alice", time.Now(), time.Hour), "invalid or expired token", true},
		{"expired", authFrame(testApp, "alice"), mint(testSecret, testApp, "alice", time.Now().Add(-48*time.Hour), time.Hour), "invalid or expired token", true},
		{"frame for another app", authFrame("otherapp", "alice"), mint(testSecret, testApp, "alice", time.Now(), time.Hour), "app id mismatch", true},
		{"jwt of another app", authFrame(testApp, "alice"), mint(testSecret, "otherapp", "alice", time.Now(), time.Hour), "invalid or expired token", true},
		{"sender is not the subject", authFrame(testApp, "bob"), mint(testSecret, testApp, "alice", time.Now(), time.Hour), "sender mismatch", true},
		{"unknown user", authFrame(testApp, "nobody"), mint(testSecret, testApp, "nobody", time.Now(), time.Hour), "unknown user", true},
		{"deactivated user", authFrame(testApp, "gone"), mint(testSecret, testApp, "gone", time.Now(), time.Hour), "unknown user", true},
		{"typing before auth", wire.Frame{AppID: testApp, Type: wire.TypeTyping, Receiver: "bob", ReceiverType: "user"}, "", "auth must be the first frame", false},
		{"ping before auth", wire.Frame{Action: wire.ActionPing, Ack: "true"}, "", "auth must be the first frame", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.open("alice", "s1")
			var body any
			if tc.frame.Type == wire.TypeAuth {
				body = wire.AuthBody{Auth: tc.jwt, DeviceID: "s1"}
			}
			c.sendJSON(t, tc.frame, body)
			if tc.reply {
				f := c.nextType(t, wire.TypeAuth)
				var r wire.AuthReply
				f.body(&r)
				if r.Code != "401" || r.Status != "ERROR" || r.Message == "" {
					t.Fatalf("reply %s", f.raw)
				}
			}
			code, reason := c.closed(t)
			if code != websocket.StatusPolicyViolation || reason != tc.reason {
				t.Fatalf("closed with %v %q, want 1008 %q", code, reason, tc.reason)
			}
			if len(c.backlog) > 0 || len(c.frames) > 0 {
				t.Fatalf("unexpected frames: %v", c.backlog)
			}
		})
	}
	if e.hub.Online("alice") || e.hub.Online("gone") {
		t.Fatal("a refused socket counts as online")
	}
}

func TestMalformedFirstFrame(t *testing.T) {
	e := newEnv(t)
	c := e.open("x", "s1")
	c.sendRaw(t, []byte(`{"type":"auth",`))
	if code, reason := c.closed(t); code != websocket.StatusInvalidFramePayloadData || reason != "malformed JSON" {
		t.Fatalf("closed with %v %q", code, reason)
	}
}

func TestNoAuthWithinIdleTimeout(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.IdleTimeout = 200 * time.Millisecond })
	c := e.open("x", "s1")
	if code, reason := c.closed(t); code != websocket.StatusPolicyViolation || reason != "idle timeout" {
		t.Fatalf("closed with %v %q", code, reason)
	}
}
