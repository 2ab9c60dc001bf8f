package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

func TestAuthTokens(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	wantCode(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "ghost", Token: "x"}), chat.ErrUIDNotFound)
	wantCode(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice"}), chat.ErrBadRequest)
	must(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: "alice_tok1", CreatedAt: t0, Platform: "WEB"}))
	must(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: "alice_tok2", CreatedAt: t0 + 1}))
	wantCode(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "bob", Token: "alice_tok1"}), chat.ErrBadRequest)

	uid, err := db.AuthTokenUID(ctx, "alice_tok1")
	must(t, err)
	if uid != "alice" {
		t.Fatalf("uid %q", uid)
	}
	_, err = db.AuthTokenUID(ctx, "nope")
	wantCode(t, err, chat.ErrAuthTokenNotFound)

	tok, err := db.AuthToken(ctx, "alice", "alice_tok1")
	must(t, err)
	if tok.Token != "alice_tok1" || tok.Platform != "WEB" || tok.CreatedAt != t0 {
		t.Fatalf("token %+v", tok)
	}
	_, err = db.AuthToken(ctx, "bob", "alice_tok1")
	wantCode(t, err, chat.ErrAuthTokenNotFoundUser)

	up, err := db.UpdateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: "alice_tok1", Platform: "TUI",
		UserAgent: "cometterm", AppInfo: map[string]any{"version": "1"}})
	must(t, err)
	if up.Platform != "TUI" || up.UserAgent != "cometterm" || up.AppInfo["version"] != "1" || up.CreatedAt != t0 {
		t.Fatalf("updated %+v", up)
	}
	_, err = db.UpdateAuthToken(ctx, chat.AuthToken{UID: "bob", Token: "alice_tok1"})
	wantCode(t, err, chat.ErrAuthTokenNotFoundUser)

	list, total, err := db.ListAuthTokens(ctx, "alice", chat.Page{})
	must(t, err)
	if total != 2 || len(list) != 2 || list[0].CreatedAt != t0+1 {
		t.Fatalf("list %+v total %d", list, total)
	}
	for _, l := range list {
		if l.Token != "" {
			t.Fatalf("list leaks a token: %+v", l)
		}
	}
	_, _, err = db.ListAuthTokens(ctx, "ghost", chat.Page{})
	wantCode(t, err, chat.ErrUIDNotFound)

	must(t, db.DeleteAuthToken(ctx, "alice", "alice_tok1"))
	wantCode(t, db.DeleteAuthToken(ctx, "alice", "alice_tok1"), chat.ErrAuthTokenNotFoundUser)
	must(t, db.FlushAuthTokens(ctx, "alice"))
	_, err = db.AuthTokenUID(ctx, "alice_tok2")
	wantCode(t, err, chat.ErrAuthTokenNotFound)
	wantCode(t, db.FlushAuthTokens(ctx, "ghost"), chat.ErrUIDNotFound)
}

func TestAuthTokenOfDeactivatedUserDoesNotResolve(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	must(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: "t", CreatedAt: t0}))
	_, err := db.SetDeactivated(ctx, []string{"alice"}, true, t0)
	must(t, err)
	_, err = db.AuthTokenUID(ctx, "t")
	wantCode(t, err, chat.ErrAuthTokenNotFound)
}

func TestAuthTokensKeepTheNewestHundred(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	for i := range 103 {
		must(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: fmt.Sprintf("tok%d", i), CreatedAt: t0 + int64(i)}))
	}
	_, total, err := db.ListAuthTokens(ctx, "alice", chat.Page{})
	must(t, err)
	if total != 100 {
		t.Fatalf("total %d, want 100", total)
	}
	if _, err := db.AuthTokenUID(ctx, "tok2"); !chat.HasCode(err, chat.ErrAuthTokenNotFound) {
		t.Fatalf("oldest token still valid: %v", err)
	}
	if _, err := db.AuthTokenUID(ctx, "tok3"); err != nil {
		t.Fatalf("fourth token retired: %v", err)
	}
}
