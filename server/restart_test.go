package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/server"
	"cometterm/store"
)

func TestLoadOrCreateApp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chat.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	app, gen, err := server.LoadOrCreateApp(ctx, db, "", "", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if !gen.Created || !gen.RESTKeyGenerated || !gen.AuthKeyGenerated || len(gen.RESTAPIKey) < 32 ||
		len(app.AuthKey) < 32 || len(app.JWTSecret) != 32 || app.AppID == "" {
		t.Fatalf("generated: %+v %+v", gen, app)
	}
	if app.RESTKeyHash != server.HashKey(gen.RESTAPIKey) || app.RESTKeyHash == gen.RESTAPIKey {
		t.Fatal("REST key not kept as its hash")
	}
	db.Close()

	// Reopened: same app, and the REST key can no longer be shown.
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, gen2, err := server.LoadOrCreateApp(ctx, db, "", "", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if gen2.Created || gen2.RESTAPIKey != "" || again.AppID != app.AppID || again.AuthKey != app.AuthKey ||
		again.RESTKeyHash != app.RESTKeyHash || string(again.JWTSecret) != string(app.JWTSecret) {
		t.Fatalf("reloaded: %+v %+v", gen2, again)
	}
	// Keys given later replace the stored ones; the app id cannot change.
	rotated, gen3, err := server.LoadOrCreateApp(ctx, db, app.AppID, "new-auth-key-0123456789", "new-rest-key-0123456789", now)
	if err != nil || rotated.AuthKey != "new-auth-key-0123456789" || rotated.RESTKeyHash != server.HashKey("new-rest-key-0123456789") ||
		gen3.RESTAPIKey != "new-rest-key-0123456789" || gen3.RESTKeyGenerated {
		t.Fatalf("rotate: %+v %+v %v", rotated, gen3, err)
	}
	if _, _, err := server.LoadOrCreateApp(ctx, db, "otherapp", "", "", now); err == nil {
		t.Fatal("app id changed")
	}
	if _, _, err := server.LoadOrCreateApp(ctx, db, "", "short", "", now); err == nil {
		t.Fatal("weak auth key accepted")
	}
	if _, _, err := server.LoadOrCreateApp(ctx, db, "bad id!", "", "", now); err == nil {
		t.Fatal("bad app id accepted")
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	e := openEnv(t, dir)
	e.user("alice")
	e.user("bob")
	tok := e.login("alice")
	e.group("pg", "bob", chat.GroupPassword, "pw")
	e.addMember("pg", "alice", chat.ScopeModerator)
	m := e.send("bob", "alice", chat.ReceiverUser, "before restart")
	mustOK(t, e.admin("POST", "/users/alice/blockedusers", map[string]any{"blockedUids": []string{"bob"}}))
	e.close()

	e = openEnv(t, dir)
	var u chat.User
	mustOK(t, e.as(tok, "GET", "/users/bob", nil)).data(t, &u)
	if u.Name != "Bob" {
		t.Fatalf("bob: %+v", u)
	}
	var got chat.Message
	mustOK(t, e.as(tok, "GET", "/messages/"+m.ID.String(), nil)).data(t, &got)
	if got.Data.Text != "before restart" {
		t.Fatalf("message: %+v", got)
	}
	if e.scopeOf("pg", "alice") != chat.ScopeModerator {
		t.Fatal("membership lost")
	}
	wantCode(t, e.admin("POST", "/messages", map[string]any{"receiver": "alice", "receiverType": "user", "data": map[string]any{"text": "x"}}, "bob"), chat.ErrBlockedReceiver)
	// The password hash survived: the right password still joins.
	mustOK(t, e.admin("DELETE", "/groups/pg/members/alice", nil, "bob"))
	mustOK(t, e.as(tok, "POST", "/groups/pg/members", sdkJoinBody("pg", chat.GroupPassword, "pw")))
}
