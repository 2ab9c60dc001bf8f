package server_test

import (
	"net/http"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/server"
)

func TestUsersCRUD(t *testing.T) {
	e := newEnv(t)
	var u chat.User
	mustOK(t, e.admin("POST", "/users", map[string]any{
		"uid": "Alice", "name": "Alice A", "avatar": "https://example.com/a.png", "role": "staff",
		"metadata": map[string]any{"team": "x"}, "tags": []string{"t1"}, "withAuthToken": true,
	})).data(t, &u)
	if u.UID != "alice" || u.Role != "staff" || u.AuthToken == "" || u.CreatedAt != e.now.Unix() {
		t.Fatalf("created: %+v", u)
	}
	if got, err := e.db.AuthTokenUID(e.ctx(), u.AuthToken); err != nil || got != "alice" {
		t.Fatalf("token stored: %q %v", got, err)
	}
	e.user("bob")
	e.pub.setOnline("bob", true)

	var list []chat.User
	r := mustOK(t, e.admin("GET", "/users?perPage=1&page=2", nil))
	r.data(t, &list)
	if len(list) != 1 || list[0].UID != "bob" || list[0].Status != chat.StatusOnline {
		t.Fatalf("page 2: %s", r.Body)
	}
	if p := r.meta(t).Pagination; p == nil || p.Total != 2 || p.TotalPages != 2 || p.CurrentPage != 2 {
		t.Fatalf("pagination: %s", r.Body)
	}
	mustOK(t, e.admin("GET", "/users?status=available", nil)).data(t, &list)
	if len(list) != 1 || list[0].UID != "bob" {
		t.Fatalf("online filter: %+v", list)
	}
	mustOK(t, e.admin("GET", "/users?status=offline", nil)).data(t, &list)
	if len(list) != 1 || list[0].UID != "alice" {
		t.Fatalf("offline filter: %+v", list)
	}

	mustOK(t, e.admin("GET", "/users/alice", nil)).data(t, &u)
	if u.Name != "Alice A" || u.Status != chat.StatusOffline {
		t.Fatalf("get: %+v", u)
	}
	mustOK(t, e.admin("PUT", "/users/alice", map[string]any{"name": "Al", "unset": []string{"avatar"}})).data(t, &u)
	if u.Name != "Al" || u.Avatar != "" {
		t.Fatalf("update: %+v", u)
	}
	stored, err := e.db.User(e.ctx(), "alice", false)
	if err != nil || stored.Name != "Al" || stored.Avatar != "" {
		t.Fatalf("update stored: %+v %v", stored, err)
	}

	var deact map[string][]string
	mustOK(t, e.admin("DELETE", "/users", map[string]any{"uidsToDeactivate": []string{"bob"}})).data(t, &deact)
	if len(deact["deactivatedUids"]) != 1 {
		t.Fatalf("deactivate: %+v", deact)
	}
	if _, err := e.db.User(e.ctx(), "bob", false); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("bob still active: %v", err)
	}
	if c := e.pub.closes(); len(c) != 1 || !strings.HasPrefix(c[0], "bob:") {
		t.Fatalf("sockets of bob not closed: %v", c)
	}
	mustOK(t, e.admin("PUT", "/users", map[string]any{"uidsToActivate": []string{"bob"}})).data(t, &deact)
	if len(deact["nonDeactivatedUids"]) != 1 {
		t.Fatalf("reactivate: %+v", deact)
	}
	if _, err := e.db.User(e.ctx(), "bob", false); err != nil {
		t.Fatalf("bob not back: %v", err)
	}

	mustOK(t, e.admin("DELETE", "/users/bob", nil))
	if _, err := e.db.User(e.ctx(), "bob", true); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("bob not deleted: %v", err)
	}
}

func TestUsersBadInput(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	long := strings.Repeat("a", 101)
	cases := []struct {
		name string
		body any
		code string
	}{
		{"missing uid", map[string]any{"name": "X"}, chat.ErrBadRequest},
		{"missing name", map[string]any{"uid": "x"}, chat.ErrBadRequest},
		{"bad uid chars", map[string]any{"uid": "a b!", "name": "X"}, chat.ErrBadRequest},
		{"uid too long", map[string]any{"uid": long, "name": "X"}, chat.ErrBadRequest},
		{"name too long", map[string]any{"uid": "x", "name": long}, chat.ErrBadRequest},
		{"bad avatar", map[string]any{"uid": "x", "name": "X", "avatar": "not a url"}, chat.ErrBadRequest},
		{"too many tags", map[string]any{"uid": "x", "name": "X", "tags": make([]string, 26)}, chat.ErrBadRequest},
		{"metadata too big", map[string]any{"uid": "x", "name": "X", "metadata": map[string]any{"k": strings.Repeat("m", 6000)}}, chat.ErrBadRequest},
		{"malformed json", `{"uid":`, chat.ErrBadRequest},
		{"wrong type", `{"uid": 5, "name": "X"}`, chat.ErrBadRequest},
		{"exists", map[string]any{"uid": "ALICE", "name": "X"}, chat.ErrUIDAlreadyExists},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, e.admin("POST", "/users", c.body), c.code)
			_, total, err := e.db.ListUsers(e.ctx(), chat.UserQuery{Page: chat.Page{PerPage: 10, Page: 1}, WithDeactivated: true})
			if err != nil || total != 1 {
				t.Fatalf("users changed: %d %v", total, err)
			}
		})
	}
	big := `{"uid":"x","name":"` + strings.Repeat("n", 90<<10) + `"}`
	wantCode(t, e.admin("POST", "/users", big), chat.ErrBadRequest)

	wantCode(t, e.admin("GET", "/users/nobody", nil), chat.ErrUIDNotFound)
	wantCode(t, e.admin("PUT", "/users/nobody", map[string]any{"name": "N"}), chat.ErrUIDNotFound)
	wantCode(t, e.admin("PUT", "/users/alice", map[string]any{"name": ""}), chat.ErrBadRequest)
	wantCode(t, e.admin("PUT", "/users/alice", map[string]any{"unset": []string{"name"}}), chat.ErrBadRequest)
	wantCode(t, e.admin("DELETE", "/users/nobody", nil), chat.ErrUIDNotFound)
	wantCode(t, e.admin("GET", "/users?perPage=0", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/users?perPage=1001", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/users?status=away", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("DELETE", "/users", map[string]any{"uidsToDeactivate": []string{}}), chat.ErrBadRequest)
	if u, _ := e.db.User(e.ctx(), "alice", false); u.Name != "Alice" {
		t.Fatalf("alice changed: %+v", u)
	}
}

func TestAuthKeysAndAccess(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	tok := e.login("alice")

	// The Auth Key may create users and tokens only.
	mustOK(t, e.do("POST", "/v3/users", hdr{"apikey": testAuthKey}, map[string]any{"uid": "carol", "name": "Carol"}))
	mustOK(t, e.do("POST", "/v3/users/carol/auth_tokens", hdr{"apikey": testAuthKey}, nil))
	wantCode(t, e.do("GET", "/v3/users", hdr{"apikey": testAuthKey}, nil), chat.ErrNoAccess)
	wantCode(t, e.do("DELETE", "/v3/users/bob", hdr{"apikey": testAuthKey}, nil), chat.ErrNoAccess)
	wantCode(t, e.do("POST", "/v3/messages", hdr{"apikey": testAuthKey, "onBehalfOf": "alice"},
		map[string]any{"receiver": "bob", "receiverType": "user", "data": map[string]any{"text": "x"}}), chat.ErrNoAccess)
	if _, err := e.db.User(e.ctx(), "bob", false); err != nil {
		t.Fatalf("bob gone: %v", err)
	}

	wantCode(t, e.do("GET", "/v3/users", nil, nil), chat.ErrAPIKeyNotFound)
	wantCode(t, e.do("GET", "/v3/users", hdr{"apikey": "wrong-key-0123456789"}, nil), chat.ErrAPIKeyNotFound)
	wantCode(t, e.do("GET", "/v3.0/users", hdr{"appId": testAppID}, nil), chat.ErrAuthTokenNotFound)
	wantCode(t, e.do("GET", "/v3.0/users", hdr{"appId": testAppID, "authToken": "alice_bogus"}, nil), chat.ErrAuthTokenNotFound)
	wantCode(t, e.do("GET", "/v3.0/users", hdr{"appId": "otherapp", "authToken": tok}, nil), chat.ErrAppIDMismatch)
	wantCode(t, e.admin("GET", "/users", nil, "nobody"), chat.ErrUIDNotFound)
	wantCode(t, e.admin("GET", "/users", nil, "bad uid"), chat.ErrBadRequest)

	// A user may change themself, never others, and never admin-only calls.
	mustOK(t, e.as(tok, "PUT", "/users/alice", map[string]any{"statusMessage": "busy"}))
	wantCode(t, e.as(tok, "PUT", "/users/bob", map[string]any{"name": "Hacked"}), chat.ErrNoAccess)
	wantCode(t, e.as(tok, "DELETE", "/users/bob", nil), chat.ErrNoAccess)
	wantCode(t, e.as(tok, "POST", "/users", map[string]any{"uid": "eve", "name": "Eve"}), chat.ErrNoAccess)
	wantCode(t, e.as(tok, "GET", "/users/bob/auth_tokens", nil), chat.ErrNoAccess)
	if u, _ := e.db.User(e.ctx(), "bob", false); u.Name != "Bob" {
		t.Fatalf("bob changed: %+v", u)
	}
	if _, err := e.db.User(e.ctx(), "eve", true); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("eve created: %v", err)
	}

	// Unknown routes answer with a CometChat error, not a bare 404.
	r := e.admin("GET", "/nothing/here", nil)
	wantCode(t, r, chat.ErrAPINotFound)
	if r.Status != http.StatusNotFound {
		t.Fatalf("status %d", r.Status)
	}
}

func TestAuthTokens(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	var tok chat.AuthToken
	mustOK(t, e.admin("POST", "/users/alice/auth_tokens", map[string]any{"platform": "WEB", "userAgent": "ua"})).data(t, &tok)
	if !strings.HasPrefix(tok.Token, "alice_") || tok.CreatedAt != e.now.Unix() {
		t.Fatalf("token: %+v", tok)
	}
	second := e.login("alice")

	var list []chat.AuthToken
	r := mustOK(t, e.admin("GET", "/users/alice/auth_tokens", nil))
	r.data(t, &list)
	if len(list) != 2 || r.meta(t).Pagination.Total != 2 {
		t.Fatalf("list: %s", r.Body)
	}
	var got chat.AuthToken
	mustOK(t, e.admin("GET", "/users/alice/auth_tokens/"+tok.Token, nil)).data(t, &got)
	if got.Platform != "WEB" {
		t.Fatalf("get: %+v", got)
	}
	mustOK(t, e.admin("PUT", "/users/alice/auth_tokens/"+tok.Token, map[string]any{"platform": "CLI"})).data(t, &got)
	if got.Platform != "CLI" {
		t.Fatalf("update: %+v", got)
	}
	wantCode(t, e.admin("GET", "/users/alice/auth_tokens/alice_nope", nil), chat.ErrAuthTokenNotFoundUser)
	wantCode(t, e.admin("POST", "/users/nobody/auth_tokens", nil), chat.ErrUIDNotFound)
	wantCode(t, e.admin("POST", "/users/a%20b/auth_tokens", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/users/"+strings.Repeat("a", 101)+"/auth_tokens", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("POST", "/users/alice/auth_tokens", `{"platform":`), chat.ErrBadRequest)
	wantCode(t, e.admin("POST", "/users/alice/auth_tokens", map[string]any{"platform": strings.Repeat("p", 300)}), chat.ErrBadRequest)

	// Deleting one token revokes it alone; the sockets are closed so the
	// revoked device cannot stay connected.
	mustOK(t, e.admin("DELETE", "/users/alice/auth_tokens/"+tok.Token, nil))
	if _, err := e.db.AuthTokenUID(e.ctx(), tok.Token); err == nil {
		t.Fatal("deleted token still resolves")
	}
	if c := e.pub.closes(); len(c) != 1 || !strings.HasPrefix(c[0], "alice/"+server.HashKey(tok.Token)[:8]+":") {
		t.Fatalf("the revoked token's sockets not closed: %v", c)
	}
	mustOK(t, e.as(second, "GET", "/users/alice", nil))
	wantCode(t, e.admin("DELETE", "/users/alice/auth_tokens/"+tok.Token, nil), chat.ErrAuthTokenNotFoundUser)
	mustOK(t, e.admin("DELETE", "/users/alice/auth_tokens", nil))
	wantCode(t, e.as(second, "GET", "/users/alice", nil), chat.ErrAuthTokenNotFound)
	if c := e.pub.closes(); len(c) != 2 || !strings.HasPrefix(c[1], "alice:") {
		t.Fatalf("flush did not close sockets: %v", c)
	}
}
