package realtime

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server/token"
)

// connectWithToken authenticates uid with a JWT minted from the auth token
// tok, as PUT /v3.0/me does.
func (e *env) connectWithToken(uid, device, tok string) *client {
	e.t.Helper()
	sum := sha256.Sum256([]byte(tok))
	jwt, err := token.Mint(testSecret, testApp, uid, hex.EncodeToString(sum[:]), time.Now(), time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.open(uid, device)
	c.sendJSON(e.t, wire.Frame{AppID: testApp, DeviceID: device, Type: wire.TypeAuth, Sender: uid}, wire.AuthBody{Auth: jwt, DeviceID: device})
	return c
}

func hashOf(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// Logging out one device closes that session's sockets with a normal
// closure and leaves the user's other devices connected; a JWT minted from
// the revoked token no longer opens a socket.
func TestCloseSessionAndRevokedTokens(t *testing.T) {
	e := newEnv(t)
	e.user("alice", "default")
	e.user("bob", "default")
	for _, tok := range []string{"alice-laptop-token", "alice-phone-token"} {
		if err := e.db.CreateAuthToken(e.ctx(), chat.AuthToken{UID: "alice", Token: tok, CreatedAt: time.Now().Unix()}); err != nil {
			t.Fatal(err)
		}
	}
	laptop := e.connectWithToken("alice", "laptop", "alice-laptop-token")
	laptop.nextType(t, wire.TypeAuth)
	phone := e.connectWithToken("alice", "phone", "alice-phone-token")
	phone.nextType(t, wire.TypeAuth)
	e.waitDevices("alice", 2)

	if err := e.db.DeleteAuthToken(e.ctx(), "alice", "alice-laptop-token"); err != nil {
		t.Fatal(err)
	}
	e.hub.CloseSession("alice", hashOf("alice-laptop-token"), "User logged out")
	code, reason := laptop.closed(t)
	if code != websocket.StatusNormalClosure || reason != "User logged out" {
		t.Fatalf("laptop closed with %d %q", code, reason)
	}
	// The phone still gets frames.
	m := e.text("bob", "alice", chat.ReceiverUser, "still there?")
	e.hub.PublishMessage(m, "")
	phone.next(t, "message on the phone", func(f inFrame) bool { return f.Type == wire.TypeMessage && f.message().ID == m.ID })

	// The laptop's JWT is still unexpired, but its token is gone.
	again := e.connectWithToken("alice", "laptop", "alice-laptop-token")
	f := again.nextType(t, wire.TypeAuth)
	var r wire.AuthReply
	f.body(&r)
	if r.Code != "401" {
		t.Fatalf("revoked token's JWT got %s", f.raw)
	}
	if code, reason := again.closed(t); code != websocket.StatusPolicyViolation || reason != "auth token revoked" {
		t.Fatalf("revoked token closed with %d %q", code, reason)
	}
}
