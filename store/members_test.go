package store_test

import (
	"context"
	"slices"
	"testing"

	"cometterm/chat"
)

func TestAddMemberActions(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	mustGroup(t, db, "g", "alice", chat.GroupPublic)

	gm, joined, err := db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "bob", t0+1)
	must(t, err)
	if gm.UID != "bob" || gm.Scope != chat.ScopeParticipant || gm.JoinedAt != t0+1 || gm.GUID != "g" {
		t.Fatalf("member %+v", gm)
	}
	if joined.ID == 0 || joined.Category != chat.CategoryAction || joined.Type != chat.TypeGroupMember ||
		joined.Data.Action != chat.ActionJoined || joined.Sender != "bob" || joined.Receiver != "g" ||
		joined.ReceiverType != chat.ReceiverGroup || joined.ConversationID != "group_g" {
		t.Fatalf("joined action %+v", joined)
	}
	e := joined.Data.Entities
	if e.By == nil || e.By.User.UID != "bob" || e.On != nil || e.For == nil || e.For.Group.GUID != "g" ||
		e.For.Group.MembersCount != 2 || !e.For.Group.HasJoined || e.Sender.User.UID != "bob" || e.Receiver.Group == nil {
		t.Fatalf("joined entities %+v", e)
	}

	_, added, err := db.AddMember(ctx, "g", "carol", chat.ScopeModerator, "", t0+2)
	must(t, err)
	e = added.Data.Entities
	if added.Data.Action != chat.ActionAdded || added.Sender != chat.SystemSender || e.By.User.Name != "System" ||
		e.On.User.UID != "carol" || e.For.Group.MembersCount != 3 {
		t.Fatalf("added action %+v", added)
	}
	stored, err := db.Message(ctx, added.ID, "")
	must(t, err)
	if stored.Data.Action != chat.ActionAdded || stored.Data.Entities.On.User.UID != "carol" {
		t.Fatalf("stored action %+v", stored)
	}

	_, _, err = db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "bob", t0)
	wantCode(t, err, chat.ErrAlreadyJoined)
	_, _, err = db.AddMember(ctx, "g", "ghost", chat.ScopeParticipant, "alice", t0)
	wantCode(t, err, chat.ErrUIDNotFound)
	_, _, err = db.AddMember(ctx, "nope", "bob", chat.ScopeParticipant, "alice", t0)
	wantCode(t, err, chat.ErrGUIDNotFound)
	_, _, err = db.AddMember(ctx, "g", "bob", "king", "alice", t0)
	wantCode(t, err, chat.ErrBadRequest)

	g, _ := db.Group(ctx, "g", "")
	if g.MembersCount != 3 {
		t.Fatalf("membersCount %d", g.MembersCount)
	}
	uids, err := db.MemberUIDs(ctx, "g")
	must(t, err)
	if !slices.Equal(uids, []string{"alice", "bob", "carol"}) {
		t.Fatalf("member uids %v", uids)
	}
	_, err = db.MemberUIDs(ctx, "nope")
	wantCode(t, err, chat.ErrGUIDNotFound)
}

func TestRemoveBanUnban(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol", "dave", "erin"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol", "dave")
	_, _, err := db.ChangeScope(ctx, "g", "carol", chat.ScopeModerator, "alice", t0)
	must(t, err)

	left, err := db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+1)
	must(t, err)
	if left.Data.Action != chat.ActionLeft || left.Sender != "bob" || left.Data.Entities.On != nil ||
		left.Data.Entities.For.Group.HasJoined {
		t.Fatalf("left %+v", left)
	}
	_, err = db.RemoveMember(ctx, "g", "bob", chat.RemovalKicked, "alice", t0)
	wantCode(t, err, chat.ErrNotAMember)

	kicked, err := db.RemoveMember(ctx, "g", "dave", chat.RemovalKicked, "alice", t0+2)
	must(t, err)
	if kicked.Data.Action != chat.ActionKicked || kicked.Data.Entities.By.User.UID != "alice" ||
		kicked.Data.Entities.On.User.UID != "dave" {
		t.Fatalf("kicked %+v", kicked)
	}
	// Kicked users may come back.
	_, _, err = db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "dave", t0+3)
	must(t, err)

	banned, err := db.RemoveMember(ctx, "g", "carol", chat.RemovalBanned, "alice", t0+4)
	must(t, err)
	if banned.Data.Action != chat.ActionBanned || banned.Data.Entities.On.User.UID != "carol" {
		t.Fatalf("banned %+v", banned)
	}
	if ok, _ := db.Banned(ctx, "g", "carol"); !ok {
		t.Fatal("carol not banned")
	}
	_, _, err = db.AddMember(ctx, "g", "carol", chat.ScopeParticipant, "carol", t0)
	wantCode(t, err, chat.ErrBannedGroupMember)
	_, err = db.RemoveMember(ctx, "g", "carol", chat.RemovalBanned, "alice", t0)
	wantCode(t, err, chat.ErrAlreadyBanned)

	// Banning someone who never joined records them as a participant.
	_, err = db.RemoveMember(ctx, "g", "erin", chat.RemovalBanned, "", t0+5)
	must(t, err)
	list, total, err := db.ListBanned(ctx, "g", chat.Page{})
	must(t, err)
	if total != 2 || list[0].UID != "erin" || list[1].UID != "carol" {
		t.Fatalf("banned list %+v", list)
	}

	g, _ := db.Group(ctx, "g", "carol")
	if g.MembersCount != 2 || !g.IsBanned || g.HasJoined {
		t.Fatalf("group after removals %+v", g)
	}

	unbanned, err := db.Unban(ctx, "g", "carol", "alice", t0+6)
	must(t, err)
	if unbanned.Data.Action != chat.ActionUnbanned || unbanned.Data.Entities.On.User.UID != "carol" {
		t.Fatalf("unbanned %+v", unbanned)
	}
	_, err = db.Unban(ctx, "g", "carol", "alice", t0)
	wantCode(t, err, chat.ErrNotBanned)
	_, err = db.Unban(ctx, "nope", "carol", "alice", t0)
	wantCode(t, err, chat.ErrGUIDNotFound)
	_, _, err = db.AddMember(ctx, "g", "carol", chat.ScopeParticipant, "carol", t0+7)
	must(t, err)

	_, err = db.RemoveMember(ctx, "g", "alice", "vanished", "alice", t0)
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.Banned(ctx, "nope", "carol")
	wantCode(t, err, chat.ErrGUIDNotFound)
}

func TestChangeScope(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	gm, action, err := db.ChangeScope(ctx, "g", "bob", chat.ScopeModerator, "alice", t0+1)
	must(t, err)
	if gm.Scope != chat.ScopeModerator {
		t.Fatalf("scope %q", gm.Scope)
	}
	x := action.Data.Extras
	if action.Data.Action != chat.ActionScopeChanged || x == nil || x.Scope.New != chat.ScopeModerator ||
		x.Scope.Old != chat.ScopeParticipant || action.Data.Entities.On.User.UID != "bob" {
		t.Fatalf("action %+v", action)
	}
	_, _, err = db.ChangeScope(ctx, "g", "bob", chat.ScopeModerator, "alice", t0)
	wantCode(t, err, chat.ErrSameScope)
	_, _, err = db.ChangeScope(ctx, "g", "ghost", chat.ScopeAdmin, "alice", t0)
	wantCode(t, err, chat.ErrNotAMember)
	_, _, err = db.ChangeScope(ctx, "g", "bob", "", "alice", t0)
	wantCode(t, err, chat.ErrBadRequest)
}

func TestMemberAndListMembers(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol")
	_, err := db.Member(ctx, "g", "ghost")
	wantCode(t, err, chat.ErrNotAMember)
	_, err = db.Member(ctx, "nope", "bob")
	wantCode(t, err, chat.ErrGUIDNotFound)
	m, err := db.Member(ctx, "g", "alice")
	must(t, err)
	if m.Scope != chat.ScopeAdmin || m.Name != "Alice" {
		t.Fatalf("member %+v", m)
	}
	list, total, err := db.ListMembers(ctx, "g", chat.MemberQuery{Scopes: []chat.Scope{chat.ScopeParticipant}})
	must(t, err)
	if total != 2 || len(list) != 2 {
		t.Fatalf("participants %+v", list)
	}
	list, total, err = db.ListMembers(ctx, "g", chat.MemberQuery{SearchKey: "car"})
	must(t, err)
	if total != 1 || list[0].UID != "carol" {
		t.Fatalf("search %+v", list)
	}
	list, total, err = db.ListMembers(ctx, "g", chat.MemberQuery{Page: chat.Page{PerPage: 1, Page: 3}})
	must(t, err)
	if total != 3 || len(list) != 1 || list[0].UID != "carol" {
		t.Fatalf("page 3 %+v", list)
	}
	_, _, err = db.ListMembers(ctx, "g", chat.MemberQuery{Scopes: []chat.Scope{"boss"}})
	wantCode(t, err, chat.ErrBadRequest)
	_, _, err = db.ListMembers(ctx, "nope", chat.MemberQuery{})
	wantCode(t, err, chat.ErrGUIDNotFound)
}
