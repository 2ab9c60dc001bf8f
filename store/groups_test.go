package store_test

import (
	"context"
	"slices"
	"testing"

	"cometterm/chat"
)

func TestCreateGroup(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	g, err := db.CreateGroup(ctx, chat.Group{GUID: "pg", Name: "Secret", Type: chat.GroupPassword, Owner: "alice",
		Metadata: map[string]any{"x": "y"}, Tags: []string{"t"}, CreatedAt: t0}, "$2a$hash")
	must(t, err)
	if g.Owner != "alice" || g.Scope != chat.ScopeAdmin || !g.HasJoined || g.JoinedAt != t0 ||
		g.MembersCount != 1 || g.ConversationID != "group_pg" || g.Metadata["x"] != "y" {
		t.Fatalf("created %+v", g)
	}
	h, err := db.GroupPasswordHash(ctx, "pg")
	must(t, err)
	if h != "$2a$hash" {
		t.Fatalf("hash %q", h)
	}
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "pg", Name: "Again", Type: chat.GroupPublic}, "")
	wantCode(t, err, chat.ErrGUIDAlreadyExists)
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "x", Name: "X", Type: "weird"}, "")
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "x", Name: "X", Type: chat.GroupPublic, Owner: "ghost"}, "")
	wantCode(t, err, chat.ErrUIDNotFound)
	_, err = db.Group(ctx, "x", "")
	wantCode(t, err, chat.ErrGUIDNotFound)
	_, err = db.GroupPasswordHash(ctx, "x")
	wantCode(t, err, chat.ErrGUIDNotFound)

	other, err := db.Group(ctx, "pg", "bob")
	must(t, err)
	if other.HasJoined || other.Scope != "" || other.MembersCount != 1 {
		t.Fatalf("outsider view %+v", other)
	}
}

func TestUpdateGroup(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	_, err := db.CreateGroup(ctx, chat.Group{GUID: "g", Name: "G", Type: chat.GroupPassword, Owner: "alice",
		Icon: "https://i", Description: "d", CreatedAt: t0}, "h1")
	must(t, err)
	_, _, err = db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "alice", t0)
	must(t, err)

	name := "G2"
	pub := chat.GroupPublic
	g, err := db.UpdateGroup(ctx, "g", chat.GroupPatch{Name: &name, Type: &pub, Unset: []string{"icon"},
		Tags: []string{"a"}, SetTags: true}, "alice", t0+9)
	must(t, err)
	if g.Name != "G2" || g.Type != chat.GroupPublic || g.Icon != "" || g.Description != "d" ||
		g.UpdatedAt != t0+9 || g.UpdatedBy != "alice" || g.Scope != chat.ScopeAdmin {
		t.Fatalf("updated %+v", g)
	}
	if h, _ := db.GroupPasswordHash(ctx, "g"); h != "" {
		t.Fatalf("public group kept a password hash %q", h)
	}
	pw := chat.GroupPassword
	hash := "h2"
	_, err = db.UpdateGroup(ctx, "g", chat.GroupPatch{Type: &pw, PasswordHash: &hash}, "alice", t0+10)
	must(t, err)
	if h, _ := db.GroupPasswordHash(ctx, "g"); h != "h2" {
		t.Fatalf("hash %q", h)
	}

	carol := "carol"
	_, err = db.UpdateGroup(ctx, "g", chat.GroupPatch{Owner: &carol}, "alice", t0)
	wantCode(t, err, chat.ErrNotAMember)
	bob := "bob"
	g, err = db.UpdateGroup(ctx, "g", chat.GroupPatch{Owner: &bob}, "alice", t0)
	must(t, err)
	if g.Owner != "bob" {
		t.Fatalf("owner %q", g.Owner)
	}
	if m, _ := db.Member(ctx, "g", "bob"); m.Scope != chat.ScopeAdmin {
		t.Fatalf("new owner scope %q", m.Scope)
	}
	bad := chat.GroupType("nope")
	_, err = db.UpdateGroup(ctx, "g", chat.GroupPatch{Type: &bad}, "alice", t0)
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.UpdateGroup(ctx, "ghost", chat.GroupPatch{Name: &name}, "alice", t0)
	wantCode(t, err, chat.ErrGUIDNotFound)
}

func TestTransferOwner(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	_, err := db.TransferOwner(ctx, "g", "carol", "alice", t0)
	wantCode(t, err, chat.ErrNotAMember)
	_, err = db.TransferOwner(ctx, "g", "ghost", "alice", t0)
	wantCode(t, err, chat.ErrUIDNotFound)
	_, err = db.TransferOwner(ctx, "nope", "bob", "alice", t0)
	wantCode(t, err, chat.ErrGUIDNotFound)
	g, err := db.TransferOwner(ctx, "g", "bob", "alice", t0+3)
	must(t, err)
	if g.Owner != "bob" || g.UpdatedAt != t0+3 {
		t.Fatalf("%+v", g)
	}
	m, err := db.Member(ctx, "g", "bob")
	must(t, err)
	if m.Scope != chat.ScopeAdmin {
		t.Fatalf("scope %q", m.Scope)
	}
}

func TestListGroups(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	for _, g := range []chat.Group{
		{GUID: "pub", Name: "Apples", Type: chat.GroupPublic, Owner: "alice", Tags: []string{"fruit"}, CreatedAt: t0 + 2},
		{GUID: "pw", Name: "Bananas", Type: chat.GroupPassword, Owner: "alice", CreatedAt: t0 + 1},
		{GUID: "priv", Name: "Cherries", Type: chat.GroupPrivate, Owner: "alice", CreatedAt: t0 + 3},
		{GUID: "bobs", Name: "Dates", Type: chat.GroupPrivate, Owner: "bob", CreatedAt: t0},
	} {
		if _, err := db.CreateGroup(ctx, g, ""); err != nil {
			t.Fatal(err)
		}
	}
	guids := func(gs []chat.Group) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.GUID)
		}
		return out
	}
	cases := []struct {
		name string
		q    chat.GroupQuery
		want []string
	}{
		{"server view", chat.GroupQuery{}, []string{"pub", "pw", "priv", "bobs"}},
		{"bob does not see alice's private group", chat.GroupQuery{Asker: "bob"}, []string{"pub", "pw", "bobs"}},
		{"joined only", chat.GroupQuery{Asker: "bob", HasJoined: true}, []string{"bobs"}},
		{"types", chat.GroupQuery{Types: []chat.GroupType{chat.GroupPassword, chat.GroupPublic}}, []string{"pub", "pw"}},
		{"search", chat.GroupQuery{SearchKey: "ban"}, []string{"pw"}},
		{"tags", chat.GroupQuery{Tags: []string{"fruit"}}, []string{"pub"}},
		{"sort createdAt desc", chat.GroupQuery{SortBy: "createdAt", SortOrder: "desc"}, []string{"priv", "pub", "pw", "bobs"}},
		{"sort guid", chat.GroupQuery{SortBy: "guid"}, []string{"bobs", "priv", "pub", "pw"}},
	}
	for _, c := range cases {
		got, total, err := db.ListGroups(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(guids(got), c.want) || total != len(c.want) {
			t.Errorf("%s: got %v (total %d), want %v", c.name, guids(got), total, c.want)
		}
	}
	got, _, _ := db.ListGroups(ctx, chat.GroupQuery{Asker: "alice"})
	for _, g := range got {
		if g.GUID == "pub" && (!g.HasJoined || g.Scope != chat.ScopeAdmin || g.Tags != nil) {
			t.Errorf("alice's view of pub: %+v", g)
		}
	}
	_, _, err := db.ListGroups(ctx, chat.GroupQuery{SortBy: "members; DROP TABLE groups"})
	wantCode(t, err, chat.ErrBadRequest)
	_, _, err = db.ListGroups(ctx, chat.GroupQuery{SortOrder: "sideways"})
	wantCode(t, err, chat.ErrBadRequest)
}

func TestDeleteGroupRemovesItsConversation(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	m := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "hi all", t0+1))
	convs, _, err := db.ListConversations(ctx, "bob", chat.ConversationQuery{})
	must(t, err)
	if len(convs) != 1 {
		t.Fatalf("conversations before delete: %d", len(convs))
	}
	must(t, db.DeleteGroup(ctx, "g"))
	wantCode(t, db.DeleteGroup(ctx, "g"), chat.ErrGUIDNotFound)
	convs, total, err := db.ListConversations(ctx, "bob", chat.ConversationQuery{})
	must(t, err)
	if len(convs) != 0 || total != 0 {
		t.Fatalf("conversations after delete: %+v", convs)
	}
	_, err = db.Message(ctx, m.ID, "")
	wantCode(t, err, chat.ErrMessageIDNotFound)
	// The guid can be used again without the old history coming back.
	mustGroup(t, db, "g", "alice", chat.GroupPublic)
	ms, err := db.ListMessages(ctx, chat.MessageQuery{ConversationID: "group_g", Categories: []chat.Category{chat.CategoryMessage}})
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("old messages came back: %+v", ms)
	}
}
