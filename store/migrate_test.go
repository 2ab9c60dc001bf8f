package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// The conversation fixtures in testdata were recorded with the store at
// schema version 2 (commit 2db0021), when every group message still
// updated every member's conversation row:
//   - conversations_v2.sql.gz: the rows (users, groups, members, messages,
//     conversations, receipts, …) that convScenario left in a version 2
//     database, dumped as INSERT statements;
//   - conversations_v2.views: every watched user's conversations after
//     convScenario, as convViews prints them;
//   - conversations_v2_after.views: the same after convAfter.
//
// A later schema must show the same conversations, both when it migrates
// that database and when it runs the scenario from scratch.

// convWatched are the users whose conversations the fixtures record.
var convWatched = []string{"alice", "bob", "carol", "dave", "erin", "frank", "f000", "f001", "f298", "f299"}

// convScenario builds conversations of every kind: a direct one with read
// marks, a group with replies, edits, deletions, custom and system
// messages, marks, late joiners and a member who left, a group without
// messages, and a group that grew over chat.MaxConversationGroupMembers.
func convScenario(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		mustUser(t, db, u, strings.ToUpper(u[:1])+u[1:])
	}
	for i := range chat.MaxConversationGroupMembers {
		uid := fmt.Sprintf("f%03d", i)
		mustUser(t, db, uid, uid)
	}
	send := func(m chat.Message) chat.Message { return mustSend(t, db, m) }
	group := func(from, guid, body string, at int64) chat.Message {
		return send(text(from, guid, chat.ReceiverGroup, body, at))
	}

	// Direct messages.
	a1 := send(text("alice", "bob", chat.ReceiverUser, "a1", t0+1))
	send(text("alice", "bob", chat.ReceiverUser, "a2", t0+2))
	send(text("bob", "alice", chat.ReceiverUser, "b1 <@uid:alice>", t0+3))
	must(t, db.MarkRead(ctx, "bob", "alice_user_bob", a1.ID, t0+4))

	// A small group.
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol")
	g1 := group("alice", "g", "g1", t0+10)
	g2 := group("bob", "g", "g2 <@uid:carol>", t0+11)
	g3 := group("carol", "g", "g3", t0+12)
	reply := text("bob", "g", chat.ReceiverGroup, "in thread", t0+13)
	reply.ParentID = g1.ID
	send(reply)
	custom := text("alice", "g", chat.ReceiverGroup, "", t0+14)
	custom.Category, custom.Type = chat.CategoryCustom, "poll"
	send(custom)
	_, _, err := db.EditMessage(ctx, g2.ID, chat.MessageData{Text: "g2 edited <@uid:{carol}>"}, nil, "bob", t0+15)
	must(t, err)
	_, _, err = db.DeleteMessage(ctx, g3.ID, "carol", t0+16)
	must(t, err)
	group(chat.SystemSender, "g", "from the system", t0+17)
	must(t, db.MarkRead(ctx, "bob", "group_g", g2.ID, t0+18))
	must(t, db.MarkRead(ctx, "carol", "group_g", 0, t0+19))
	must(t, db.MarkUnread(ctx, "carol", "group_g", g1.ID))
	_, _, err = db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "dave", t0+21)
	must(t, err)
	g4 := group("alice", "g", "g4", t0+22)
	_, _, err = db.AddMember(ctx, "g", "erin", chat.ScopeParticipant, "alice", t0+23)
	must(t, err)
	_, err = db.RemoveMember(ctx, "g", "erin", chat.RemovalLeft, "erin", t0+24)
	must(t, err)
	group("alice", "g", "g5", t0+25)
	_, err = db.Receipt(ctx, "dave", g4.ID, chat.ReceiptDelivered, t0+26)
	must(t, err)

	// A group without messages, and one whose owner talks alone.
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "quiet", Name: "Quiet", Type: chat.GroupPublic, Owner: "erin", CreatedAt: t0 + 30}, "")
	must(t, err)
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "solo", Name: "Solo", Type: chat.GroupPrivate, Owner: "frank", CreatedAt: t0 + 31}, "")
	must(t, err)
	group("frank", "solo", "note to self", t0+32)

	// A group that grows one over the limit (bob, carol and f000…f298):
	// carol's count stops at what it was while the group was small.
	_, err = db.CreateGroup(ctx, chat.Group{GUID: "big", Name: "Big", Type: chat.GroupPublic, Owner: "bob", CreatedAt: t0 + 40}, "")
	must(t, err)
	_, _, err = db.AddMember(ctx, "big", "carol", chat.ScopeParticipant, "carol", t0+41)
	must(t, err)
	big1 := group("bob", "big", "big1", t0+42)
	group("bob", "big", "big2 <@uid:carol>", t0+43)
	for i := range chat.MaxConversationGroupMembers - 1 {
		uid := fmt.Sprintf("f%03d", i)
		_, _, err := db.AddMember(ctx, "big", uid, chat.ScopeParticipant, uid, t0+44)
		must(t, err)
	}
	group("bob", "big", "big3", t0+45)
	group("carol", "big", "big4", t0+46)
	_, _, err = db.DeleteMessage(ctx, big1.ID, "bob", t0+47)
	must(t, err)
}

// convAfter goes on from convScenario: new messages, marks, deletions and
// membership changes, including the big group shrinking to the limit and
// growing over it again.
func convAfter(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	group := func(from, guid, body string, at int64) chat.Message {
		return mustSend(t, db, text(from, guid, chat.ReceiverGroup, body, at))
	}
	g6 := group("alice", "g", "g6", t0+60)
	must(t, db.MarkRead(ctx, "dave", "group_g", 0, t0+61))
	group("bob", "big", "big5", t0+62)
	big2 := findText(t, db, "group_big", "big2 <@uid:carol>")
	must(t, db.MarkRead(ctx, "carol", "group_big", big2, t0+63))
	_, err := db.RemoveMember(ctx, "big", "f000", chat.RemovalLeft, "f000", t0+64)
	must(t, err)
	group("bob", "big", "big6 <@uid:carol>", t0+65)
	group("erin", "quiet", "first words", t0+66)
	_, _, err = db.AddMember(ctx, "g", "erin", chat.ScopeParticipant, "bob", t0+67)
	must(t, err)
	group("alice", "g", "g7", t0+68)
	_, _, err = db.DeleteMessage(ctx, g6.ID, "alice", t0+69)
	must(t, err)
	a1 := findText(t, db, "alice_user_bob", "a1")
	must(t, db.MarkUnread(ctx, "bob", "alice_user_bob", a1))
	_, _, err = db.AddMember(ctx, "big", "f000", chat.ScopeParticipant, "f000", t0+71)
	must(t, err)
	group("bob", "big", "big7", t0+72)
	group("f001", "big", "big8", t0+72)
	must(t, db.MarkRead(ctx, "f298", "group_big", 0, t0+73))
	_, err = db.Receipt(ctx, "f001", big2, chat.ReceiptRead, t0+74)
	must(t, err)
}

// findText returns the id of the message with text body in a conversation.
func findText(t testing.TB, db *store.DB, conversationID, body string) chat.ID {
	t.Helper()
	list, err := db.ListMessages(context.Background(), chat.MessageQuery{ConversationID: conversationID, Limit: 1000})
	must(t, err)
	for _, m := range list {
		if m.Data.Text == body {
			return m.ID
		}
	}
	t.Fatalf("no message %q in %s", body, conversationID)
	return 0
}

// convViews prints what the watched users see of their conversations: the
// list (order, counts, marks, last message, times), the unread filter,
// the group filter and each group conversation on its own.
func convViews(t testing.TB, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	code := func(err error) string {
		if err == nil {
			return "ok"
		}
		var e *chat.Error
		if ce, ok := err.(*chat.Error); ok {
			e = ce
		}
		if e == nil {
			t.Fatalf("unexpected error %v", err)
		}
		return e.Code
	}
	for _, u := range convWatched {
		list, total, err := db.ListConversations(ctx, u, chat.ConversationQuery{})
		must(t, err)
		fmt.Fprintf(&b, "%s: %d conversations\n", u, total)
		for _, c := range list {
			last := ""
			if c.LastMessage != nil {
				last = c.LastMessage.Data.Text + c.LastMessage.Data.Action
			}
			fmt.Fprintf(&b, "  %s unread=%d mentions=%d read=%d latest=%d %q created=%d updated=%d\n",
				c.ConversationID, c.UnreadMessageCount, c.UnreadMentionsCount, c.LastReadMessageID,
				c.LatestMessageID, last, c.CreatedAt-t0, c.UpdatedAt-t0)
		}
		unread, total, err := db.ListConversations(ctx, u, chat.ConversationQuery{Unread: true})
		must(t, err)
		fmt.Fprintf(&b, "  unread filter: %d", total)
		for _, c := range unread {
			fmt.Fprintf(&b, " %s", c.ConversationID)
		}
		groups, total, err := db.ListConversations(ctx, u, chat.ConversationQuery{Type: chat.ReceiverGroup, Page: chat.Page{PerPage: 2, Page: 1}})
		must(t, err)
		fmt.Fprintf(&b, "\n  groups: %d", total)
		for _, c := range groups {
			fmt.Fprintf(&b, " %s", c.ConversationID)
		}
		b.WriteString("\n")
		for _, g := range []string{"g", "quiet", "solo", "big"} {
			c, err := db.Conversation(ctx, u, "group_"+g)
			fmt.Fprintf(&b, "  %s: %s unread=%d latest=%d\n", g, code(err), c.UnreadMessageCount, c.LatestMessageID)
		}
	}
	return b.String()
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	must(t, err)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		must(t, err)
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(raw)
}

func wantViews(t testing.TB, db *store.DB, golden string) {
	t.Helper()
	got, want := convViews(t, db), readTestdata(t, golden)
	if got == want {
		return
	}
	failAtFirstDifference(t, "views differ from "+golden, got, want)
}

// A database that version 2 left behind shows the same conversations
// after the migration, and goes on as version 2 would have.
func TestMigrateConversationsFromV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.db")
	must(t, store.CreateAtVersion(path, 2, readTestdata(t, "conversations_v2.sql.gz")))
	db, err := store.Open(path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	wantViews(t, db, "conversations_v2.views")
	convAfter(t, db)
	wantViews(t, db, "conversations_v2_after.views")
}

// The current store, run through the same calls from scratch, shows what
// version 2 showed.
func TestConversationScenarioMatchesV2(t *testing.T) {
	db := newDB(t)
	convScenario(t, db)
	wantViews(t, db, "conversations_v2.views")
	convAfter(t, db)
	wantViews(t, db, "conversations_v2_after.views")
}
