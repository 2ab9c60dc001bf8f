package store_test

import (
	"context"
	"slices"
	"testing"

	"cometterm/chat"
)

func TestAppRoundTrip(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	if _, ok, err := db.App(ctx); err != nil || ok {
		t.Fatalf("fresh db: ok=%v err=%v", ok, err)
	}
	app := chat.App{AppID: "cometterm", AuthKey: "ak", RESTKeyHash: "ab12", JWTSecret: []byte{1, 2, 3}, CreatedAt: t0}
	must(t, db.SaveApp(ctx, app))
	got, ok, err := db.App(ctx)
	must(t, err)
	if !ok || got.AppID != app.AppID || got.RESTKeyHash != "ab12" || string(got.JWTSecret) != "\x01\x02\x03" {
		t.Fatalf("got %+v", got)
	}
	app.AuthKey = "ak2"
	must(t, db.SaveApp(ctx, app))
	if got, _, _ := db.App(ctx); got.AuthKey != "ak2" {
		t.Fatalf("save did not replace: %+v", got)
	}
	wantCode(t, db.SaveApp(ctx, chat.App{}), chat.ErrBadRequest)
}

func TestCreateAndGetUser(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, chat.User{UID: "alice", Name: "Alice", Metadata: map[string]any{"k": "v"},
		Tags: []string{"staff"}, CreatedAt: t0})
	must(t, err)
	if u.Role != chat.DefaultRole || u.Status != chat.StatusOffline || u.Metadata["k"] != "v" || u.Tags[0] != "staff" {
		t.Fatalf("created %+v", u)
	}
	_, err = db.CreateUser(ctx, chat.User{UID: "alice", Name: "Other"})
	wantCode(t, err, chat.ErrUIDAlreadyExists)
	_, err = db.CreateUser(ctx, chat.User{Name: "No uid"})
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.User(ctx, "nobody", false)
	wantCode(t, err, chat.ErrUIDNotFound)
	got, err := db.User(ctx, "alice", false)
	must(t, err)
	if got.Name != "Alice" || got.CreatedAt != t0 {
		t.Fatalf("got %+v", got)
	}
}

func TestUpdateUser(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	_, err := db.CreateUser(ctx, chat.User{UID: "alice", Name: "Alice", Avatar: "https://a/x.png",
		Link: "https://a", Metadata: map[string]any{"a": 1.0}, CreatedAt: t0})
	must(t, err)
	name, role := "Alice B", "admin"
	u, err := db.UpdateUser(ctx, "alice", chat.UserPatch{Name: &name, Role: &role, Tags: []string{"x"}, SetTags: true,
		Unset: []string{"avatar", "metadata"}}, t0+5)
	must(t, err)
	if u.Name != name || u.Role != role || u.Avatar != "" || u.Metadata != nil || u.Link != "https://a" ||
		!slices.Equal(u.Tags, []string{"x"}) || u.UpdatedAt != t0+5 {
		t.Fatalf("updated %+v", u)
	}
	again, err := db.User(ctx, "alice", false)
	must(t, err)
	if again.Name != name || again.Avatar != "" || again.UpdatedAt != t0+5 {
		t.Fatalf("not stored: %+v", again)
	}
	_, err = db.UpdateUser(ctx, "ghost", chat.UserPatch{Name: &name}, t0)
	wantCode(t, err, chat.ErrUIDNotFound)
}

func TestDeactivateAndDelete(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	changed, err := db.SetDeactivated(ctx, []string{"alice", "ghost", "alice"}, true, t0+1)
	must(t, err)
	if !slices.Equal(changed, []string{"alice"}) {
		t.Fatalf("deactivated %v", changed)
	}
	_, err = db.User(ctx, "alice", false)
	wantCode(t, err, chat.ErrUIDNotFound)
	u, err := db.User(ctx, "alice", true)
	must(t, err)
	if u.DeactivatedAt != t0+1 {
		t.Fatalf("deactivatedAt %d", u.DeactivatedAt)
	}
	list, total, err := db.ListUsers(ctx, chat.UserQuery{})
	must(t, err)
	if total != 1 || list[0].UID != "bob" {
		t.Fatalf("active list %v (%d)", list, total)
	}
	_, total, _ = db.ListUsers(ctx, chat.UserQuery{OnlyDeactivated: true})
	if total != 1 {
		t.Fatalf("only deactivated total %d", total)
	}
	_, total, _ = db.ListUsers(ctx, chat.UserQuery{WithDeactivated: true})
	if total != 2 {
		t.Fatalf("with deactivated total %d", total)
	}
	changed, err = db.SetDeactivated(ctx, []string{"alice"}, false, t0+2)
	must(t, err)
	if len(changed) != 1 {
		t.Fatalf("reactivated %v", changed)
	}
	if _, err := db.User(ctx, "alice", false); err != nil {
		t.Fatal(err)
	}
	must(t, db.DeleteUser(ctx, "alice"))
	wantCode(t, db.DeleteUser(ctx, "alice"), chat.ErrUIDNotFound)
	_, err = db.User(ctx, "alice", true)
	wantCode(t, err, chat.ErrUIDNotFound)
}

func TestSetLastActive(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	must(t, db.SetLastActive(ctx, "alice", t0+10))
	must(t, db.SetLastActive(ctx, "alice", t0+5)) // older news does not win
	u, _ := db.User(ctx, "alice", false)
	if u.LastActiveAt != t0+10 {
		t.Fatalf("lastActiveAt %d", u.LastActiveAt)
	}
	wantCode(t, db.SetLastActive(ctx, "ghost", t0), chat.ErrUIDNotFound)
}

func TestListUsersFilters(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []chat.User{
		{UID: "alice", Name: "Alice", Role: "admin", Tags: []string{"red"}},
		{UID: "albert", Name: "Bert", Tags: []string{"blue"}},
		{UID: "carol", Name: "Alma"},
		{UID: "dave_1", Name: "Dave"},
		{UID: "dave%", Name: "Percent"},
	} {
		u.CreatedAt = t0
		if _, err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	uids := func(us []chat.User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.UID)
		}
		return out
	}
	cases := []struct {
		name string
		q    chat.UserQuery
		want []string
	}{
		{"all by name", chat.UserQuery{}, []string{"alice", "carol", "albert", "dave_1", "dave%"}},
		{"prefix uid or name", chat.UserQuery{SearchKey: "al"}, []string{"alice", "carol", "albert"}},
		{"prefix name only", chat.UserQuery{SearchKey: "al", SearchIn: []string{"name"}}, []string{"alice", "carol"}},
		{"prefix uid only", chat.UserQuery{SearchKey: "al", SearchIn: []string{"uid"}}, []string{"alice", "albert"}},
		{"like wildcards are literal", chat.UserQuery{SearchKey: "dave_"}, []string{"dave_1"}},
		{"percent literal", chat.UserQuery{SearchKey: "dave%"}, []string{"dave%"}},
		{"roles", chat.UserQuery{Roles: []string{"admin"}}, []string{"alice"}},
		{"tags", chat.UserQuery{Tags: []string{"blue", "green"}}, []string{"albert"}},
		{"uids", chat.UserQuery{UIDs: []string{"carol", "dave_1"}}, []string{"carol", "dave_1"}},
		{"paging", chat.UserQuery{Page: chat.Page{PerPage: 2, Page: 2}}, []string{"albert", "dave_1"}},
	}
	for _, c := range cases {
		got, total, err := db.ListUsers(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(uids(got), c.want) {
			t.Errorf("%s: got %v, want %v", c.name, uids(got), c.want)
		}
		if c.q.PerPage == 0 && total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, total, len(c.want))
		}
		if c.q.PerPage == 2 && total != 5 {
			t.Errorf("%s: total %d, want 5", c.name, total)
		}
	}
	got, _, _ := db.ListUsers(ctx, chat.UserQuery{UIDs: []string{"alice"}})
	if got[0].Tags != nil {
		t.Errorf("tags without withTags: %v", got[0].Tags)
	}
	got, _, _ = db.ListUsers(ctx, chat.UserQuery{UIDs: []string{"alice"}, WithTags: true})
	if len(got[0].Tags) != 1 {
		t.Errorf("tags with withTags: %v", got[0].Tags)
	}
	_, _, err := db.ListUsers(ctx, chat.UserQuery{SearchKey: "a", SearchIn: []string{"email"}})
	wantCode(t, err, chat.ErrBadRequest)
	_, _, err = db.ListUsers(ctx, chat.UserQuery{Page: chat.Page{PerPage: 1001}})
	wantCode(t, err, chat.ErrBadRequest)
	_, _, err = db.ListUsers(ctx, chat.UserQuery{Page: chat.Page{Page: -1}})
	wantCode(t, err, chat.ErrBadRequest)
}

func TestListUsersAskerRelative(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	res, err := db.Block(ctx, "alice", []string{"bob"}, t0+1)
	must(t, err)
	must(t, res["bob"])
	_, err = db.Block(ctx, "carol", []string{"alice"}, t0+2)
	must(t, err)
	got, _, err := db.ListUsers(ctx, chat.UserQuery{Asker: "alice"})
	must(t, err)
	byUID := map[string]chat.User{}
	for _, u := range got {
		byUID[u.UID] = u
	}
	if b := byUID["bob"]; !b.BlockedByMe || b.BlockedByMeAt != t0+1 || b.HasBlockedMe || b.ConversationID != "alice_user_bob" {
		t.Errorf("bob as alice sees him: %+v", b)
	}
	if c := byUID["carol"]; c.BlockedByMe || !c.HasBlockedMe || c.BlockedAt != t0+2 {
		t.Errorf("carol as alice sees her: %+v", c)
	}
	if a := byUID["alice"]; a.ConversationID != "" {
		t.Errorf("alice has a conversation with herself: %+v", a)
	}
}
