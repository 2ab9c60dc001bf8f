package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server"
	"cometterm/server/realtime"
	"cometterm/store"
)

// hubEnv is the server with the real hub as its Publisher, mounted on the
// same listener, as main wires it.
func hubEnv(t *testing.T) *env {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	db, err := store.Open(filepath.Join(t.TempDir(), "chat.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, now: time.Now()}
	e.app, _, err = server.LoadOrCreateApp(context.Background(), db, testAppID, testAuthKey, testRESTKey, e.now)
	if err != nil {
		t.Fatal(err)
	}
	hub := realtime.New(db, realtime.Options{AppID: e.app.AppID, JWTSecret: e.app.JWTSecret})
	e.srv = server.New(db, e.app, hub, server.Options{WebSocket: hub, BcryptCost: 4})
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(func() {
		if err := hub.Close(); err != nil {
			t.Errorf("hub close: %v", err)
		}
		e.close()
	})
	return e
}

// socket is a logged-in client socket.
type socket struct {
	t  *testing.T
	ws *websocket.Conn
}

// connect logs uid in like the SDK (auth token, PUT /me) and opens the
// socket named in the settings with the JWT.
func connect(t *testing.T, e *env, uid, device string) (*socket, string) {
	t.Helper()
	tok := e.login(uid)
	var me wire.Me
	mustOK(t, e.do("PUT", "/v3.0/me", hdr{"appId": testAppID, "authToken": tok, "resource": device}, map[string]any{"platform": "WEB"})).data(t, &me)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+me.Settings.ChatHost+":"+me.Settings.ChatWSSPort+"/", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	s := &socket{t: t, ws: ws}
	t.Cleanup(func() { ws.CloseNow() })
	body, _ := json.Marshal(wire.AuthBody{Auth: me.JWT, DeviceID: device})
	frame, _ := json.Marshal(wire.Frame{AppID: testAppID, DeviceID: device, Type: wire.TypeAuth, Sender: uid, Body: body})
	if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
		t.Fatalf("auth write: %v", err)
	}
	f := s.next()
	var reply wire.AuthReply
	if f.Type != wire.TypeAuth || json.Unmarshal(f.Body, &reply) != nil || reply.Code != "200" {
		t.Fatalf("auth reply: %+v", f)
	}
	return s, tok
}

// next reads the next frame, failing after a deadline.
func (s *socket) next() wire.Frame {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := s.ws.Read(ctx)
	if err != nil {
		s.t.Fatalf("read frame: %v", err)
	}
	var f wire.Frame
	if err := json.Unmarshal(data, &f); err != nil {
		s.t.Fatalf("frame: %v", err)
	}
	return f
}

// nextMessage reads frames until a message frame and returns its body.
func (s *socket) nextMessage() chat.Message {
	s.t.Helper()
	for range 20 {
		f := s.next()
		if f.Type != wire.TypeMessage {
			continue
		}
		var m chat.Message
		if err := json.Unmarshal(f.Body, &m); err != nil {
			s.t.Fatalf("message body: %v", err)
		}
		return m
	}
	s.t.Fatal("no message frame among 20 frames")
	return chat.Message{}
}

func TestWithRealtimeHub(t *testing.T) {
	e := hubEnv(t)
	e.user("alice")
	e.user("bob")
	alice, tok := connect(t, e, "alice", "WEB-alice-1")

	// Presence from the hub fills REST user lists.
	var u chat.User
	mustOK(t, e.admin("GET", "/users/alice", nil)).data(t, &u)
	if u.Status != chat.StatusOnline {
		t.Fatalf("alice not online: %+v", u)
	}

	m := e.send("bob", "alice", chat.ReceiverUser, "over the socket")
	if got := alice.nextMessage(); got.ID != m.ID || got.Data.Text != "over the socket" {
		t.Fatalf("frame: %+v", got)
	}

	// A kicked member sees the kick, then nothing more from the group.
	e.group("g", "bob", chat.GroupPublic, "")
	e.addMember("g", "alice", chat.ScopeParticipant)
	if got := alice.nextMessage(); got.Data.Action != chat.ActionAdded {
		t.Fatalf("added: %+v", got)
	}
	mustOK(t, e.admin("DELETE", "/groups/g/members/alice", nil, "bob"))
	if got := alice.nextMessage(); got.Data.Action != chat.ActionKicked {
		t.Fatalf("kicked: %+v", got)
	}
	e.send("bob", "g", chat.ReceiverGroup, "after the kick")
	after := e.send("bob", "alice", chat.ReceiverUser, "direct after the kick")
	if got := alice.nextMessage(); got.ID != after.ID {
		t.Fatalf("a group message reached a kicked member: %+v", got)
	}

	// Logout closes the socket.
	mustOK(t, e.as(tok, "DELETE", "/me", nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 20 {
		if _, _, err := alice.ws.Read(ctx); err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "logged out") {
				t.Fatalf("closed with %v", err)
			}
			return
		}
	}
	t.Fatal("socket still open after logout")
}
