package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// wantUnread checks the unread counts of several members in one
// conversation, both alone and as listed.
func wantUnread(t *testing.T, db *store.DB, cid string, want map[string]int) {
	t.Helper()
	ctx := context.Background()
	for uid, n := range want {
		if got := unread(t, db, uid, cid); got != n {
			t.Errorf("%s: %d unread in %s, want %d", uid, got, cid, n)
		}
		list, _, err := db.ListConversations(ctx, uid, chat.ConversationQuery{})
		must(t, err)
		listed := -1
		for _, c := range list {
			if c.ConversationID == cid {
				listed = int(c.UnreadMessageCount)
			}
		}
		if listed != n {
			t.Errorf("%s: %d unread in %s as listed, want %d", uid, listed, cid, n)
		}
		only, _, err := db.ListConversations(ctx, uid, chat.ConversationQuery{Unread: true})
		must(t, err)
		found := false
		for _, c := range only {
			found = found || c.ConversationID == cid
		}
		if found != (n > 0) {
			t.Errorf("%s: %s in the unread filter = %v with %d unread", uid, cid, found, n)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// order returns uid's conversation ids, most recent first.
func order(t *testing.T, db *store.DB, uid string) []string {
	t.Helper()
	list, _, err := db.ListConversations(context.Background(), uid, chat.ConversationQuery{})
	must(t, err)
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ConversationID)
	}
	return ids
}

func TestGroupUnreadCountsOverManyMessages(t *testing.T) {
	db := groupG(t, "dave")
	ctx := context.Background()
	const cid = "group_g"
	at := t0 + 10
	var sent []chat.Message
	for i := range 80 {
		from := "alice"
		if i%8 == 3 {
			from = "carol"
		}
		sent = append(sent, mustSend(t, db, text(from, "g", chat.ReceiverGroup, fmt.Sprint("m", i), at)))
		at++
		if i == 40 {
			// A direct message in between.
			mustSend(t, db, text("dave", "bob", chat.ReceiverUser, "psst", at))
			at++
		}
	}
	// 10 of the 80 are carol's: never unread for her.
	wantUnread(t, db, cid, map[string]int{"alice": 10, "bob": 80, "carol": 70})
	if got := order(t, db, "bob"); len(got) != 2 || got[0] != cid || got[1] != "bob_user_dave" {
		t.Fatalf("bob's conversations %v", got)
	}
	c, err := db.Conversation(ctx, "bob", cid)
	must(t, err)
	if last := sent[len(sent)-1]; c.LatestMessageID != last.ID || c.LastMessage.Data.Text != "m79" || c.UpdatedAt != last.SentAt {
		t.Fatalf("bob's group conversation: latest %d %q at %d", c.LatestMessageID, c.LastMessage.Data.Text, c.UpdatedAt)
	}
	// A newer direct message goes first.
	mustSend(t, db, text("dave", "bob", chat.ReceiverUser, "hello?", at))
	at++
	if got := order(t, db, "bob"); got[0] != "bob_user_dave" {
		t.Fatalf("bob's conversations after a newer direct message %v", got)
	}

	// Marks: read up to m39, a read receipt on m58, mark unread from m9.
	must(t, db.MarkRead(ctx, "bob", cid, sent[39].ID, at))
	_, err = db.Receipt(ctx, "carol", sent[58].ID, chat.ReceiptRead, at)
	must(t, err)
	wantUnread(t, db, cid, map[string]int{"bob": 40, "carol": 21 - 3})
	must(t, db.MarkUnread(ctx, "bob", cid, sent[9].ID))
	wantUnread(t, db, cid, map[string]int{"bob": 71})
	c, _ = db.Conversation(ctx, "bob", cid)
	if c.LastReadMessageID != sent[8].ID {
		t.Fatalf("bob's read mark %d, want %d", c.LastReadMessageID, sent[8].ID)
	}

	// Deleting: an unread message stops counting for whoever had not read
	// it; the author's own count does not move.
	_, _, err = db.DeleteMessage(ctx, sent[70].ID, "alice", at) // alice's, unread by bob and carol
	must(t, err)
	_, _, err = db.DeleteMessage(ctx, sent[5].ID, "alice", at) // read by bob (mark at m8) and carol
	must(t, err)
	_, _, err = db.DeleteMessage(ctx, sent[75].ID, "carol", at) // carol's
	must(t, err)
	wantUnread(t, db, cid, map[string]int{"alice": 9, "bob": 69, "carol": 17})

	// Replies and actions do not count; custom and system messages do.
	reply := text("alice", "g", chat.ReceiverGroup, "in a thread", at)
	reply.ParentID = sent[0].ID
	mustSend(t, db, reply)
	_, _, err = db.EditMessage(ctx, sent[1].ID, chat.MessageData{Text: "m1 again"}, nil, "alice", at)
	must(t, err)
	poll := text("alice", "g", chat.ReceiverGroup, "", at)
	poll.Category, poll.Type = chat.CategoryCustom, "poll"
	mustSend(t, db, poll)
	mustSend(t, db, text(chat.SystemSender, "g", chat.ReceiverGroup, "maintenance tonight", at))
	wantUnread(t, db, cid, map[string]int{"alice": 10, "bob": 71, "carol": 19})

	// Reading everything.
	for _, u := range []string{"alice", "bob", "carol"} {
		must(t, db.MarkRead(ctx, u, cid, 0, at))
	}
	wantUnread(t, db, cid, map[string]int{"alice": 0, "bob": 0, "carol": 0})
}

func TestGroupUnreadCountsAcrossMembership(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "dave", "erin"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	const cid = "group_g"
	first := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "before dave", t0+1))
	mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "before dave", t0+2))

	// A member who joins later has nothing unread from before; the join is
	// the last message (but not unread).
	_, joined, err := db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "dave", t0+3)
	must(t, err)
	c, err := db.Conversation(ctx, "dave", cid)
	must(t, err)
	if c.UnreadMessageCount != 0 || c.LatestMessageID != joined.ID || c.CreatedAt != t0+3 || c.UpdatedAt != t0+3 {
		t.Fatalf("dave after joining %+v", c)
	}
	wantUnread(t, db, cid, map[string]int{"alice": 0, "bob": 2})
	mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "welcome", t0+4))
	wantUnread(t, db, cid, map[string]int{"alice": 1, "bob": 2, "dave": 1})
	// Marking unread from before the join counts the earlier messages too.
	must(t, db.MarkUnread(ctx, "dave", cid, first.ID))
	wantUnread(t, db, cid, map[string]int{"dave": 3})

	// A member who leaves stops listing the group and gets nothing while
	// away; back, they start again from the newest message.
	_, _, err = db.AddMember(ctx, "g", "erin", chat.ScopeParticipant, "alice", t0+5)
	must(t, err)
	mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "hi erin", t0+6))
	wantUnread(t, db, cid, map[string]int{"erin": 1})
	_, err = db.RemoveMember(ctx, "g", "erin", chat.RemovalLeft, "erin", t0+7)
	must(t, err)
	if got := order(t, db, "erin"); len(got) != 0 {
		t.Fatalf("erin still lists %v", got)
	}
	_, err = db.Conversation(ctx, "erin", cid)
	wantCode(t, err, chat.ErrGroupNotJoined)
	mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "while erin is away", t0+8))
	_, _, err = db.AddMember(ctx, "g", "erin", chat.ScopeParticipant, "alice", t0+9)
	must(t, err)
	c, err = db.Conversation(ctx, "erin", cid)
	must(t, err)
	if c.UnreadMessageCount != 0 || c.LastMessage.Data.Action != chat.ActionAdded || c.CreatedAt != t0+5 || c.UpdatedAt != t0+9 {
		t.Fatalf("erin back %+v", c)
	}
	mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "welcome back", t0+10))
	wantUnread(t, db, cid, map[string]int{"alice": 2, "bob": 4, "dave": 6, "erin": 1})

	// Kicked and banned members lose the conversation the same way.
	_, err = db.RemoveMember(ctx, "g", "dave", chat.RemovalKicked, "alice", t0+11)
	must(t, err)
	_, err = db.RemoveMember(ctx, "g", "erin", chat.RemovalBanned, "alice", t0+11)
	must(t, err)
	for _, u := range []string{"dave", "erin"} {
		if got := order(t, db, u); len(got) != 0 {
			t.Fatalf("%s still lists %v", u, got)
		}
	}
	// The kick and the ban are the last message, and not unread.
	wantUnread(t, db, cid, map[string]int{"alice": 2, "bob": 4})
	c, _ = db.Conversation(ctx, "bob", cid)
	if c.LastMessage.Data.Action != chat.ActionBanned || c.UpdatedAt != t0+11 {
		t.Fatalf("bob's last message %+v", c.LastMessage)
	}
}

// A member who comes back while the clock is behind the group's last
// message gets the times of their own membership only, as before the
// group's part was kept once per group.
func TestGroupConversationTimeWhenTheClockGoesBack(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	_, err := db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+1)
	must(t, err)
	mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "late", t0+100))
	_, _, err = db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "bob", t0+50)
	must(t, err)
	c, err := db.Conversation(ctx, "bob", "group_g")
	must(t, err)
	if c.UpdatedAt != t0+50 {
		t.Fatalf("bob's conversation updated at %d, want %d", c.UpdatedAt-t0, 50)
	}
	c, err = db.Conversation(ctx, "alice", "group_g")
	must(t, err)
	if c.UpdatedAt != t0+100 {
		t.Fatalf("alice's conversation updated at %d, want %d", c.UpdatedAt-t0, 100)
	}
}

// Over chat.MaxConversationGroupMembers a group's messages leave the other
// members' counts and last message alone; back within the limit, the
// counts go on from where they stopped.
func TestGroupUnreadCountsAcrossTheSizeLimit(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"owner", "bob"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "owner", chat.GroupPublic, "bob")
	const cid = "group_g"
	mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "small 1", t0+1))
	small := mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "small 2", t0+2))
	fill := make([]string, chat.MaxConversationGroupMembers-1) // 301 members with owner and bob
	for i := range fill {
		fill[i] = fmt.Sprintf("f%03d", i)
		mustUser(t, db, fill[i], fill[i])
	}
	for _, uid := range fill[:len(fill)-1] {
		_, _, err := db.AddMember(ctx, "g", uid, chat.ScopeParticipant, uid, t0+3)
		must(t, err)
	}
	// The join that makes 301 no longer reaches bob.
	_, _, err := db.AddMember(ctx, "g", fill[len(fill)-1], chat.ScopeParticipant, fill[len(fill)-1], t0+4)
	must(t, err)
	c, err := db.Conversation(ctx, "bob", cid)
	must(t, err)
	if c.UnreadMessageCount != 2 || c.UpdatedAt != t0+3 {
		t.Fatalf("bob as the group reaches the limit: %d unread, updated %d", c.UnreadMessageCount, c.UpdatedAt-t0)
	}
	big := mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "big", t0+5))
	wantUnread(t, db, cid, map[string]int{"bob": 2, "f000": 0})
	c, _ = db.Conversation(ctx, "owner", cid)
	if c.LatestMessageID != big.ID {
		t.Fatalf("the sender's conversation did not move: %d", c.LatestMessageID)
	}
	// Reading recounts what is after the mark, over the limit too.
	must(t, db.MarkRead(ctx, "bob", cid, small.ID, t0+6))
	wantUnread(t, db, cid, map[string]int{"bob": 1})
	// Back within the limit, new messages count again.
	_, err = db.RemoveMember(ctx, "g", fill[0], chat.RemovalLeft, fill[0], t0+7)
	must(t, err)
	last := mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "small again", t0+8))
	wantUnread(t, db, cid, map[string]int{"bob": 2, "f001": 1})
	c, _ = db.Conversation(ctx, "bob", cid)
	if c.LatestMessageID != last.ID || c.UpdatedAt != t0+8 {
		t.Fatalf("bob back within the limit: latest %d, updated %d", c.LatestMessageID, c.UpdatedAt-t0)
	}
	// And over it again (from the join that makes 301 on), they stay.
	_, _, err = db.AddMember(ctx, "g", fill[0], chat.ScopeParticipant, fill[0], t0+9)
	must(t, err)
	mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "big again", t0+10))
	wantUnread(t, db, cid, map[string]int{"bob": 2, "f001": 1})
	c, _ = db.Conversation(ctx, "bob", cid)
	if c.LatestMessageID != last.ID || c.UpdatedAt != t0+8 {
		t.Fatalf("bob over the limit again: latest %d, updated %d", c.LatestMessageID, c.UpdatedAt-t0)
	}
}
