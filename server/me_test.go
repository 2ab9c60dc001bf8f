package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server/token"
)

// TestSDKLoginSequence replays what the official JavaScript SDK sends, in
// its order, with its headers and bodies.
func TestSDKLoginSequence(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	e.group("pg1", "bob", chat.GroupPassword, "secret")
	sdkBody := map[string]any{"platform": "WEB", "deviceId": "testapp_5b1c_1700000000000",
		"appInfo": map[string]any{"version": "v4.2.0", "apiVersion": "v3.0", "userAgent": "Mozilla/5.0"}}

	// 1. Auth token with the Auth Key, on the admin host under /v3.0.
	var tok chat.AuthToken
	mustOK(t, e.do("POST", "/v3.0/users/alice/auth_tokens", hdr{"appId": testAppID, "apiKey": testAuthKey, "sdk": "javascript@4.2.0"}, sdkBody)).data(t, &tok)
	if tok.Token == "" {
		t.Fatal("no authToken")
	}
	sdk := hdr{"appId": testAppID, "authToken": tok.Token, "resource": "WEB-4_2_0-uuid-1", "sdk": "javascript@4.2.0"}

	// 2. PUT /me: user + jwt + settings naming this listener.
	var me wire.Me
	mustOK(t, e.do("PUT", "/v3.0/me", sdk, sdkBody)).data(t, &me)
	u, _ := url.Parse(e.ts.URL)
	host, port, _ := net.SplitHostPort(u.Host)
	st := me.Settings
	if me.UID != "alice" || me.Name == "" || st.ClientAPIHost != u.Host || st.AdminAPIHost != u.Host ||
		st.ChatAPIVersion != "v3.0" || st.ChatHost != host || st.ChatWSSPort != port || !st.AnalyticsPingDisabled || st.Mode != "DEFAULT" {
		t.Fatalf("me: %+v", me)
	}
	claims, err := token.Verify(e.app.JWTSecret, testAppID, me.JWT, e.now)
	sum := sha256.Sum256([]byte(tok.Token))
	if err != nil || claims.Subject != "alice" || claims.TokenHash != hex.EncodeToString(sum[:]) ||
		claims.ExpiresAt.Sub(e.now) != token.DefaultTTL {
		t.Fatalf("jwt: %+v %v", claims, err)
	}
	stored, err := e.db.AuthToken(e.ctx(), "alice", tok.Token)
	if err != nil || stored.Platform != "WEB" || stored.UserAgent != "Mozilla/5.0" {
		t.Fatalf("device not recorded on the token: %+v %v", stored, err)
	}

	// 3. History with the SDK's query, then conversations.
	e.send("bob", "alice", chat.ReceiverUser, "hello alice")
	r := mustOK(t, e.do("GET", "/v3.0/users/bob/messages?per_page=30&affix=prepend&withThreadSubscribed=true", sdk, nil))
	var ms []chat.Message
	r.data(t, &ms)
	if len(ms) != 1 || ms[0].Data.Entities.Sender == nil || r.meta(t).Cursor == nil || r.meta(t).Pagination.TotalPages != 1 {
		t.Fatalf("messages: %s", r.Body)
	}
	r = mustOK(t, e.do("GET", "/v3.0/conversations?per_page=30&page=1", sdk, nil))
	var cs []chat.Conversation
	r.data(t, &cs)
	if len(cs) != 1 || r.meta(t).Pagination == nil || !strings.Contains(r.String(), `"conversationWith":{"uid":"bob"`) {
		t.Fatalf("conversations: %s", r.Body)
	}

	// 4. Send as the SDK does (text duplicated, no muid).
	var m chat.Message
	mustOK(t, e.do("POST", "/v3.0/messages", sdk, map[string]any{"type": "text", "receiverType": "user", "category": "message",
		"data": map[string]any{"text": "hello bob"}, "text": "hello bob", "receiver": "bob"})).data(t, &m)
	if m.Sender != "alice" || m.Category != "message" || m.Data.Entities.Sender == nil {
		t.Fatalf("send: %+v", m)
	}

	// 5. Join a password group with the SDK's serialized Group.
	r = mustOK(t, e.do("POST", "/v3.0/groups/pg1/members", sdk, sdkJoinBody("pg1", chat.GroupPassword, "secret")))
	var joined struct {
		Data struct {
			Data struct {
				Entities struct {
					For struct {
						Entity chat.Group `json:"entity"`
					} `json:"for"`
				} `json:"entities"`
			} `json:"data"`
		} `json:"data"`
	}
	if err := jsonUnmarshal(r.Body, &joined); err != nil || joined.Data.Data.Entities.For.Entity.GUID != "pg1" || !joined.Data.Data.Entities.For.Entity.HasJoined {
		t.Fatalf("join: %s", r.Body)
	}

	// 6. Timers: refresh, settings, user_sessions.
	var again wire.Me
	mustOK(t, e.do("GET", "/v3.0/me", sdk, nil)).data(t, &again)
	if again.JWT == "" || again.UID != "alice" {
		t.Fatalf("refresh: %+v", again)
	}
	var settings wire.Settings
	mustOK(t, e.do("GET", "/v3.0/settings", sdk, nil)).data(t, &settings)
	if settings.ChatHost != host {
		t.Fatalf("settings: %+v", settings)
	}
	var sess map[string]string
	mustOK(t, e.do("POST", "/v3.0/user_sessions", sdk, map[string]any{"sessionId": "abc123", "data": map[string]any{}})).data(t, &sess)
	if sess["sessionId"] != "abc123" {
		t.Fatalf("user_sessions: %+v", sess)
	}

	// 7. Logout: the token stops working and the sockets are closed.
	mustOK(t, e.do("DELETE", "/v3.0/me", sdk, nil))
	wantCode(t, e.do("GET", "/v3.0/me", sdk, nil), chat.ErrAuthTokenNotFound)
	wantCode(t, e.do("GET", "/v3.0/conversations?per_page=30&page=1", sdk, nil), chat.ErrAuthTokenNotFound)
	// Only this session's sockets close; alice's other devices stay.
	if c := e.pub.closes(); len(c) != 1 || !strings.HasPrefix(c[0], "alice/") || !strings.HasSuffix(c[0], ": User logged out") {
		t.Fatalf("closes: %v", c)
	}
}

func TestMeUpdateAndAccess(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	tok := e.login("alice")
	var me wire.Me
	mustOK(t, e.as(tok, "PUT", "/me", map[string]any{"name": "Alice Liddell", "role": "admin"})).data(t, &me)
	if me.Name != "Alice Liddell" || me.Role != chat.DefaultRole {
		t.Fatalf("update my details: %+v", me.User)
	}
	if me.Status != chat.StatusOnline {
		t.Fatalf("the user logging in is shown as %q", me.Status)
	}
	wantCode(t, e.as(tok, "PUT", "/me", map[string]any{"name": strings.Repeat("n", 101)}), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "PUT", "/me", map[string]any{"appInfo": "x"}), chat.ErrBadRequest)
	if u, _ := e.db.User(e.ctx(), "alice", false); u.Name != "Alice Liddell" {
		t.Fatalf("name: %q", u.Name)
	}
	// /me exists only in the client API, and only for a logged-in user.
	wantCode(t, e.admin("PUT", "/me", nil, "alice"), chat.ErrAPINotFound)
	wantCode(t, e.do("PUT", "/v3.0/me", hdr{"apiKey": testRESTKey}, nil), chat.ErrNoAccess)
	wantCode(t, e.as(tok, "POST", "/user_sessions", map[string]any{"sessionId": strings.Repeat("s", 300)}), chat.ErrBadRequest)

	// A deactivated user's token stops working.
	mustOK(t, e.admin("DELETE", "/users", map[string]any{"uidsToDeactivate": []string{"alice"}}))
	wantCode(t, e.as(tok, "GET", "/me", nil), chat.ErrAuthTokenNotFound)
}
