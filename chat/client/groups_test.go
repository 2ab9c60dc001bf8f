package client_test

import (
	"errors"
	"slices"
	"testing"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

func memberScopes(ms []chat.GroupMember) map[string]chat.Scope {
	out := map[string]chat.Scope{}
	for _, m := range ms {
		out[m.UID] = m.Scope
	}
	return out
}

func TestGroupLifecycle(t *testing.T) {
	s := clienttest.Start(t)
	s.CreateUser(t, "dave", "Dave")
	alice, _ := login(t, s, "alice", manual)
	bob, br := login(t, s, "bob")
	carol, _ := login(t, s, "carol", manual)
	ctx := ctxT(t)
	connected(t, br)

	g, err := alice.CreateGroup(ctx, client.NewGroup{GUID: "team", Name: "Team", Type: chat.GroupPublic,
		Description: "d", Tags: []string{"x"}, Members: map[string]chat.Scope{"bob": chat.ScopeParticipant}})
	if err != nil {
		t.Fatal(err)
	}
	if g.GUID != "team" || g.Owner != "alice" || g.Scope != chat.ScopeAdmin || !g.HasJoined {
		t.Fatalf("created %+v", g)
	}
	if _, err := alice.CreateGroup(ctx, client.NewGroup{GUID: "team", Name: "Again", Type: chat.GroupPublic}); !chat.HasCode(err, chat.ErrGUIDAlreadyExists) {
		t.Fatalf("duplicate guid err = %v", err)
	}
	if _, err := alice.CreateGroup(ctx, client.NewGroup{GUID: "bad", Name: "B", Type: chat.GroupPublic, Members: map[string]chat.Scope{"bob": "boss"}}); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("bad scope err = %v", err)
	}
	if _, err := alice.CreateGroup(ctx, client.NewGroup{GUID: "locked", Name: "Locked", Type: chat.GroupPassword, Password: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.CreateGroup(ctx, client.NewGroup{GUID: "hidden", Name: "Hidden", Type: chat.GroupPrivate}); err != nil {
		t.Fatal(err)
	}

	got, err := bob.Group(ctx, "team")
	if err != nil || got.Name != "Team" || got.Scope != chat.ScopeParticipant {
		t.Fatalf("bob sees %+v %v", got, err)
	}
	if _, err := bob.Group(ctx, "nope"); !chat.HasCode(err, chat.ErrGUIDNotFound) {
		t.Fatalf("unknown group err = %v", err)
	}
	gs, err := carol.ListGroups(ctx, chat.GroupQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var guids []string
	for _, g := range gs {
		guids = append(guids, g.GUID)
	}
	slices.Sort(guids)
	if !slices.Equal(guids, []string{"locked", "team"}) {
		t.Fatalf("carol lists %v (private groups stay hidden)", guids)
	}

	// Joining: public, password (wrong, then right), private.
	joined, err := carol.JoinGroup(ctx, "team", "")
	if err != nil || joined.GUID != "team" || !joined.HasJoined {
		t.Fatalf("join: %+v %v", joined, err)
	}
	ev := first(t, br, func(e chat.GroupMemberChanged) bool { return e.Action == chat.ActionJoined })
	if ev.By.UID != "carol" || ev.On.UID != "carol" || ev.Group.GUID != "team" {
		t.Fatalf("joined event %+v", ev)
	}
	if _, err := carol.JoinGroup(ctx, "team", ""); !chat.HasCode(err, chat.ErrAlreadyJoined) {
		t.Fatalf("join twice err = %v", err)
	}
	if _, err := carol.JoinGroup(ctx, "locked", "wrong"); !chat.HasCode(err, chat.ErrWrongGroupPass) {
		t.Fatalf("wrong password err = %v", err)
	}
	if _, err := carol.JoinGroup(ctx, "locked", ""); !chat.HasCode(err, chat.ErrEmptyGroupPass) {
		t.Fatalf("no password err = %v", err)
	}
	if _, err := carol.JoinGroup(ctx, "locked", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if _, err := carol.JoinGroup(ctx, "hidden", ""); !chat.HasCode(err, chat.ErrGroupJoinNotAllowed) {
		t.Fatalf("private join err = %v", err)
	}
	if err := carol.LeaveGroup(ctx, "locked"); err != nil {
		t.Fatal(err)
	}
	if err := carol.LeaveGroup(ctx, "locked"); !chat.HasCode(err, chat.ErrNotAMember) && !chat.HasCode(err, chat.ErrGroupNotJoined) {
		t.Fatalf("leave twice err = %v", err)
	}

	// Members: add (one unknown uid fails alone), scopes, kick, ban.
	res, err := alice.AddMembers(ctx, "team", map[string]chat.Scope{"dave": chat.ScopeModerator, "ghost": chat.ScopeParticipant})
	if err != nil {
		t.Fatal(err)
	}
	if res["dave"] != nil || !chat.HasCode(res["ghost"], chat.ErrUIDNotFound) || len(res) != 2 {
		t.Fatalf("add results %v", res)
	}
	if _, err := bob.AddMembers(ctx, "team", map[string]chat.Scope{"dave": chat.ScopeParticipant}); !chat.HasCode(err, chat.ErrGroupNoClearance) {
		t.Fatalf("participant adds: err = %v", err)
	}
	ms, err := alice.ListMembers(ctx, "team", chat.MemberQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]chat.Scope{"alice": chat.ScopeAdmin, "bob": chat.ScopeParticipant, "carol": chat.ScopeParticipant, "dave": chat.ScopeModerator}
	if got := memberScopes(ms); !mapsEqual(got, want) {
		t.Fatalf("members %v", got)
	}
	mods, err := alice.ListMembers(ctx, "team", chat.MemberQuery{Scopes: []chat.Scope{chat.ScopeModerator}})
	if err != nil || len(mods) != 1 || mods[0].UID != "dave" {
		t.Fatalf("moderators %v %v", memberScopes(mods), err)
	}

	if err := alice.ChangeScope(ctx, "team", "bob", chat.ScopeModerator); err != nil {
		t.Fatal(err)
	}
	sc := first(t, br, func(e chat.GroupMemberChanged) bool { return e.Action == chat.ActionScopeChanged })
	if sc.On.UID != "bob" || sc.By.UID != "alice" || sc.NewScope != chat.ScopeModerator || sc.OldScope != chat.ScopeParticipant {
		t.Fatalf("scope event %+v", sc)
	}
	if err := alice.ChangeScope(ctx, "team", "bob", chat.ScopeModerator); !chat.HasCode(err, chat.ErrSameScope) {
		t.Fatalf("same scope err = %v", err)
	}
	if err := carol.Kick(ctx, "team", "bob"); !chat.HasCode(err, chat.ErrGroupNoClearance) {
		t.Fatalf("participant kicks: err = %v", err)
	}
	if err := alice.Kick(ctx, "team", "carol"); err != nil {
		t.Fatal(err)
	}
	first(t, br, func(e chat.GroupMemberChanged) bool { return e.Action == chat.ActionKicked && e.On.UID == "carol" })
	if err := alice.Ban(ctx, "team", "dave"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Ban(ctx, "team", "dave"); !chat.HasCode(err, chat.ErrAlreadyBanned) {
		t.Fatalf("ban twice err = %v", err)
	}
	banned, err := alice.ListBanned(ctx, "team", chat.Page{})
	if err != nil || !slices.Equal(uids(banned), []string{"dave"}) {
		t.Fatalf("banned %v %v", uids(banned), err)
	}
	if err := alice.Unban(ctx, "team", "dave"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Unban(ctx, "team", "dave"); !chat.HasCode(err, chat.ErrNotBanned) {
		t.Fatalf("unban twice err = %v", err)
	}

	// Update, transfer, delete.
	name, typ, pw := "Team 2", chat.GroupPassword, "pw2"
	up, err := alice.UpdateGroup(ctx, "team", client.GroupUpdate{Name: &name, Type: &typ, Password: &pw})
	if err != nil || up.Name != "Team 2" || up.Type != chat.GroupPassword {
		t.Fatalf("update %+v %v", up, err)
	}
	if _, err := carol.UpdateGroup(ctx, "team", client.GroupUpdate{Name: &name}); err == nil {
		t.Fatal("non-member updated the group")
	}
	if err := bob.TransferOwner(ctx, "team", "bob"); !chat.HasCode(err, chat.ErrGroupNoClearance) {
		t.Fatalf("non-owner transfer err = %v", err)
	}
	if err := alice.TransferOwner(ctx, "team", "bob"); err != nil {
		t.Fatal(err)
	}
	if g, err := alice.Group(ctx, "team"); err != nil || g.Owner != "bob" {
		t.Fatalf("after transfer %+v %v", g, err)
	}
	if err := carol.DeleteGroup(ctx, "team"); err == nil {
		t.Fatal("non-member deleted the group")
	}
	if err := alice.DeleteGroup(ctx, "team"); err != nil { // still an admin
		t.Fatal(err)
	}
	if _, err := bob.Group(ctx, "team"); !chat.HasCode(err, chat.ErrGUIDNotFound) {
		t.Fatalf("deleted group still there: %v", err)
	}
	if err := bob.DeleteGroup(ctx, "team"); !chat.HasCode(err, chat.ErrGUIDNotFound) {
		t.Fatalf("delete twice err = %v", err)
	}
	if _, err := alice.AddMembers(ctx, "team", nil); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("add nobody err = %v", err)
	}
	var ce *chat.Error
	if err := alice.Kick(ctx, "team", "bob"); !errors.As(err, &ce) {
		t.Fatalf("kick in deleted group: %v is not a *chat.Error", err)
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
