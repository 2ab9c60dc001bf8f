package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

func unread(t *testing.T, db interface {
	Conversation(context.Context, string, string) (chat.Conversation, error)
}, uid, cid string) int {
	t.Helper()
	c, err := db.Conversation(context.Background(), uid, cid)
	must(t, err)
	return int(c.UnreadMessageCount)
}

func TestUnreadCountsAndLastMessage(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	const dm = "alice_user_bob"
	mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "1", t0+1))
	mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "2", t0+2))
	last := mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "3", t0+3))
	if n := unread(t, db, "bob", dm); n != 2 {
		t.Fatalf("bob unread %d, want 2", n)
	}
	if n := unread(t, db, "alice", dm); n != 1 {
		t.Fatalf("alice unread %d, want 1 (own messages never unread)", n)
	}
	c, err := db.Conversation(ctx, "alice", dm)
	must(t, err)
	if c.LatestMessageID != last.ID || c.LastMessage.ID != last.ID || c.LastMessage.Data.Entities.Sender.User.UID != "bob" ||
		c.WithUser == nil || c.WithUser.UID != "bob" || c.ConversationType != chat.ReceiverUser || c.UpdatedAt != t0+3 {
		t.Fatalf("alice's conversation %+v", c)
	}
	must(t, db.MarkRead(ctx, "bob", dm, 0, t0+4))
	if n := unread(t, db, "bob", dm); n != 0 {
		t.Fatalf("bob unread after read %d", n)
	}
	c, _ = db.Conversation(ctx, "bob", dm)
	if c.LastReadMessageID != last.ID {
		t.Fatalf("last read %d", c.LastReadMessageID)
	}

	// Group: every member but the sender gets the unread message.
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol")
	g1 := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "g1", t0+5))
	mustSend(t, db, text("carol", "g", chat.ReceiverGroup, "g2", t0+6))
	for uid, want := range map[string]int{"alice": 2, "bob": 1, "carol": 1} {
		if n := unread(t, db, uid, "group_g"); n != want {
			t.Errorf("%s group unread %d, want %d", uid, n, want)
		}
	}
	must(t, db.MarkRead(ctx, "alice", "group_g", g1.ID, t0+7))
	if n := unread(t, db, "alice", "group_g"); n != 1 {
		t.Fatalf("alice after reading g1: %d", n)
	}
	must(t, db.MarkUnread(ctx, "bob", dm, last.ID-1))
	if n := unread(t, db, "bob", dm); n != 1 {
		t.Fatalf("bob after mark unread: %d", n)
	}
	c, _ = db.Conversation(ctx, "bob", dm)
	if c.LastReadMessageID != last.ID-2 {
		t.Fatalf("bob's read mark %d", c.LastReadMessageID)
	}

	// Newest first: the group conversation is the most recent for alice.
	list, total, err := db.ListConversations(ctx, "alice", chat.ConversationQuery{})
	must(t, err)
	if total != 2 || list[0].ConversationID != "group_g" || list[1].ConversationID != dm {
		t.Fatalf("alice's list %+v", list)
	}
	if list[0].WithGroup == nil || list[0].WithGroup.Scope != chat.ScopeAdmin || !list[0].WithGroup.HasJoined {
		t.Fatalf("group side %+v", list[0].WithGroup)
	}
	list, _, _ = db.ListConversations(ctx, "alice", chat.ConversationQuery{Type: chat.ReceiverUser})
	if len(list) != 1 || list[0].ConversationID != dm {
		t.Fatalf("user conversations %+v", list)
	}
	list, _, _ = db.ListConversations(ctx, "bob", chat.ConversationQuery{Unread: true})
	if len(list) != 2 {
		t.Fatalf("bob's unread conversations %+v", list)
	}
	list, _, _ = db.ListConversations(ctx, "alice", chat.ConversationQuery{SearchKey: "Group"})
	if len(list) != 1 || list[0].ConversationID != "group_g" {
		t.Fatalf("search %+v", list)
	}
	list, _, _ = db.ListConversations(ctx, "alice", chat.ConversationQuery{Page: chat.Page{PerPage: 1, Page: 2}})
	if len(list) != 1 || list[0].ConversationID != dm {
		t.Fatalf("page 2 %+v", list)
	}
	list, _, _ = db.ListConversations(ctx, "alice", chat.ConversationQuery{Tags: []string{"x"}})
	if len(list) != 0 {
		t.Fatalf("tag filter matched %+v", list)
	}
	_, _, err = db.ListConversations(ctx, "alice", chat.ConversationQuery{Type: "channel"})
	wantCode(t, err, chat.ErrBadRequest)
}

func TestNewMemberStartsWithNothingUnread(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic)
	for i := range 5 {
		mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "old", t0+int64(i)))
	}
	_, joined, err := db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "bob", t0+10)
	must(t, err)
	c, err := db.Conversation(ctx, "bob", "group_g")
	must(t, err)
	if c.UnreadMessageCount != 0 || c.LatestMessageID != joined.ID {
		t.Fatalf("after join %+v", c)
	}
	mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "new", t0+11))
	must(t, db.MarkUnread(ctx, "bob", "group_g", joined.ID))
	if n := unread(t, db, "bob", "group_g"); n != 1 {
		t.Fatalf("unread %d", n)
	}
	// A member who leaves no longer lists the group.
	_, err = db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+12)
	must(t, err)
	list, _, err := db.ListConversations(ctx, "bob", chat.ConversationQuery{})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("former member lists %+v", list)
	}
	_, err = db.Conversation(ctx, "bob", "group_g")
	wantCode(t, err, chat.ErrGroupNotJoined)
}

func TestConversationErrors(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	_, err := db.Conversation(ctx, "alice", "alice_user_bob")
	wantCode(t, err, chat.ErrConversationNotAccess)
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "x", t0))
	_, err = db.Conversation(ctx, "carol", "alice_user_bob")
	wantCode(t, err, chat.ErrConversationNotAccess)
	wantCode(t, db.MarkRead(ctx, "carol", "alice_user_bob", m.ID, t0), chat.ErrConversationNotAccess)
	wantCode(t, db.MarkRead(ctx, "bob", "alice_user_bob", m.ID+100, t0), chat.ErrMessageIDNotFound)
	wantCode(t, db.MarkDelivered(ctx, "bob", "alice_user_bob", -1, t0), chat.ErrBadRequest)
	wantCode(t, db.MarkUnread(ctx, "bob", "alice_user_bob", 0), chat.ErrBadRequest)
	wantCode(t, db.MarkUnread(ctx, "bob", "bob_user_carol", m.ID), chat.ErrMessageIDNotFound)
	// Marking an empty conversation is a no-op.
	must(t, db.MarkRead(ctx, "bob", "bob_user_carol", 0, t0))
}

func TestConversationWithDeletedUser(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "bye", t0))
	must(t, db.DeleteUser(ctx, "bob"))
	list, _, err := db.ListConversations(ctx, "alice", chat.ConversationQuery{})
	must(t, err)
	if len(list) != 1 || list[0].WithUser.UID != "bob" || list[0].LastMessage.Data.Entities.Sender.User.Name != "Bob" {
		t.Fatalf("after delete %+v", list)
	}
}

func TestUnreadMentions(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "hey <@uid:alice>", t0))
	mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "hey <@uid:{alice}>", t0+1))
	mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "no mention", t0+2))
	c, err := db.Conversation(ctx, "alice", "alice_user_bob")
	must(t, err)
	if c.UnreadMentionsCount != 2 || c.UnreadMessageCount != 3 {
		t.Fatalf("%+v", c)
	}
}

// Groups over chat.MaxConversationGroupMembers get no per-member unread
// counts: a message updates the sender's conversation only.
func TestLargeGroupsSkipPerMemberConversations(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "owner", "Owner")
	for _, guid := range []string{"small", "large"} {
		if _, err := db.CreateGroup(ctx, chat.Group{GUID: guid, Name: guid, Type: chat.GroupPublic, Owner: "owner", CreatedAt: t0}, ""); err != nil {
			t.Fatal(err)
		}
	}
	for i := range chat.MaxConversationGroupMembers {
		uid := fmt.Sprintf("m%03d", i)
		mustUser(t, db, uid, uid)
		if _, _, err := db.AddMember(ctx, "large", uid, chat.ScopeParticipant, uid, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.AddMember(ctx, "small", "m000", chat.ScopeParticipant, "m000", t0); err != nil {
		t.Fatal(err)
	}
	mustSend(t, db, text("owner", "large", chat.ReceiverGroup, "to the many", t0+5))
	mustSend(t, db, text("owner", "small", chat.ReceiverGroup, "to the few", t0+5))

	if n := unread(t, db, "m000", "group_small"); n != 1 {
		t.Fatalf("small group unread = %d, want 1", n)
	}
	if n := unread(t, db, "m000", "group_large"); n != 0 {
		t.Fatalf("large group (%d members) unread = %d, want 0", chat.MaxConversationGroupMembers+1, n)
	}
	c, err := db.Conversation(ctx, "owner", "group_large")
	must(t, err)
	if c.LastMessage == nil || c.LastMessage.Data.Text != "to the many" {
		t.Fatalf("the sender's conversation did not move: %+v", c.LastMessage)
	}
}
