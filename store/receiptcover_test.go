package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// A read or delivered receipt for a message covers the reader's earlier
// messages of the conversation too. These tests pin what the covered
// messages show: the reader's own receipt on each (myReceipt) in message
// lists and single messages, message info, deliveredToAll/readByAll and
// whether a later receipt is new.

// named maps message ids to the names the tests print.
type named map[chat.ID]string

// stamp prints a time relative to t0, or 0 for none.
func stamp(at int64) string {
	if at == 0 {
		return "0"
	}
	return fmt.Sprint(at - t0)
}

// myReceipts prints uid's own receipt on each named message of a
// conversation, in order: "name delivered,read" with times after t0, or
// "name -" for none. The list's view and the single message's agree.
func myReceipts(t *testing.T, db *store.DB, uid, cid string, names named) string {
	t.Helper()
	ctx := context.Background()
	list, err := db.ListMessages(ctx, chat.MessageQuery{Asker: uid, ConversationID: cid, Affix: "append", Limit: 1000})
	must(t, err)
	var out []string
	for _, m := range list {
		name, ok := names[m.ID]
		if !ok {
			continue
		}
		s := name + " -"
		if r := m.MyReceipt; r != nil {
			s = name + " " + stamp(r.DeliveredAt) + "," + stamp(r.ReadAt)
		}
		one, err := db.Message(ctx, m.ID, uid)
		must(t, err)
		if fmt.Sprint(one.MyReceipt) != fmt.Sprint(m.MyReceipt) {
			t.Fatalf("%s: the list shows %s's receipt %+v, the message %+v", name, uid, m.MyReceipt, one.MyReceipt)
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// info prints message info (MessageReceipts) of a message: each
// recipient's "uid delivered,read".
func info(t *testing.T, db *store.DB, id chat.ID) string {
	t.Helper()
	list, err := db.MessageReceipts(context.Background(), id)
	must(t, err)
	var out []string
	for _, r := range list {
		out = append(out, r.User.UID+" "+stamp(r.DeliveredAt)+","+stamp(r.ReadAt))
	}
	return strings.Join(out, "; ")
}

func want(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// receipt records a receipt and checks whether it was new and whether it
// completed the group.
func receipt(t *testing.T, db *store.DB, uid string, id chat.ID, typ chat.ReceiptType, at int64, isNew, all bool) {
	t.Helper()
	r, err := db.Receipt(context.Background(), uid, id, typ, at)
	must(t, err)
	if r.New != isNew || r.All != all {
		t.Fatalf("%s's %s receipt on %d: new %v all %v, want new %v all %v", uid, typ, id, r.New, r.All, isNew, all)
	}
}

func reply(from, guid string, parent chat.ID, body string, at int64) chat.Message {
	m := text(from, guid, chat.ReceiverGroup, body, at)
	m.ParentID = parent
	return m
}

// Receipts and marks (REST) for later messages show on the earlier ones:
// replies included, the reader's own messages not.
func TestGroupReceiptsCoverEarlierMessages(t *testing.T) {
	db := groupG(t)
	ctx := context.Background()
	const cid = "group_g"
	m1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "1", t0+1))
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "2", t0+2))
	m3 := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "3", t0+3))
	r1 := mustSend(t, db, reply("alice", "g", m1.ID, "on 1", t0+4))
	m4 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "4", t0+5))
	m5 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "5", t0+6))
	names := named{m1.ID: "m1", m2.ID: "m2", m3.ID: "m3", r1.ID: "r1", m4.ID: "m4", m5.ID: "m5"}

	receipt(t, db, "bob", m2.ID, chat.ReceiptDelivered, t0+10, true, false)
	receipt(t, db, "bob", m4.ID, chat.ReceiptRead, t0+20, true, false)
	must(t, db.MarkDelivered(ctx, "carol", cid, m5.ID, t0+25))
	must(t, db.MarkRead(ctx, "carol", cid, m3.ID, t0+30))

	want(t, "bob's receipts", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,20; m3 -; r1 20,20; m4 20,20; m5 -")
	want(t, "carol's receipts", myReceipts(t, db, "carol", cid, names),
		"m1 25,30; m2 25,30; m3 25,30; r1 25,0; m4 25,0; m5 25,0")
	want(t, "alice's receipts", myReceipts(t, db, "alice", cid, names),
		"m1 -; m2 -; m3 -; r1 -; m4 -; m5 -")
	want(t, "info of m1", info(t, db, m1.ID), "bob 10,20; carol 25,30")
	want(t, "info of m2", info(t, db, m2.ID), "bob 10,20; carol 25,30")
	want(t, "info of m3", info(t, db, m3.ID), "alice 0,0; carol 25,30")
	want(t, "info of r1", info(t, db, r1.ID), "bob 20,20; carol 25,0")
	want(t, "info of m4", info(t, db, m4.ID), "bob 20,20; carol 25,0")
	want(t, "info of m5", info(t, db, m5.ID), "bob 0,0; carol 25,0")

	// The conversation's last message carries the asker's receipt too.
	c, err := db.Conversation(ctx, "carol", cid)
	must(t, err)
	if c.LastMessage == nil || c.LastMessage.ID != m5.ID || c.LastMessage.MyReceipt == nil ||
		c.LastMessage.MyReceipt.DeliveredAt != t0+25 || c.LastMessage.MyReceipt.ReadAt != 0 {
		t.Fatalf("carol's last message %+v", c.LastMessage)
	}
}

// deliveredToAll and readByAll come with the receipt that completes the
// named message, also when the other members' receipts named later
// messages (or were marks), and reading implies delivery. A member who
// joined after the message keeps it from completing until they name it.
func TestGroupReceiptsAllFromCoveringReceipts(t *testing.T) {
	db := groupG(t, "dave")
	ctx := context.Background()
	m1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "1", t0+1))
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "2", t0+2))

	receipt(t, db, "bob", m2.ID, chat.ReceiptRead, t0+10, true, false)
	receipt(t, db, "carol", m1.ID, chat.ReceiptDelivered, t0+20, true, true)
	receipt(t, db, "carol", m1.ID, chat.ReceiptRead, t0+30, true, true)
	receipt(t, db, "carol", m2.ID, chat.ReceiptRead, t0+40, true, true)

	m3 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "3", t0+41))
	must(t, db.MarkRead(ctx, "bob", "group_g", 0, t0+50))
	receipt(t, db, "carol", m3.ID, chat.ReceiptDelivered, t0+60, true, true)

	// The sender's own receipt changes nothing; bob's delivery of m3 was
	// in his read mark.
	receipt(t, db, "alice", m3.ID, chat.ReceiptRead, t0+61, false, false)
	receipt(t, db, "bob", m3.ID, chat.ReceiptDelivered, t0+62, false, false)

	m4 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "4", t0+65))
	_, _, err := db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "dave", t0+70)
	must(t, err)
	receipt(t, db, "bob", m4.ID, chat.ReceiptRead, t0+80, true, false)
	receipt(t, db, "carol", m4.ID, chat.ReceiptRead, t0+90, true, false)
	receipt(t, db, "dave", m4.ID, chat.ReceiptRead, t0+100, true, true)

	// A member who left does not count; one who names a later message
	// covers the earlier ones.
	m5 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "5", t0+110))
	m6 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "6", t0+111))
	receipt(t, db, "dave", m6.ID, chat.ReceiptDelivered, t0+120, true, false)
	_, err = db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+121)
	must(t, err)
	receipt(t, db, "carol", m5.ID, chat.ReceiptDelivered, t0+130, true, true)
	receipt(t, db, "carol", m6.ID, chat.ReceiptRead, t0+140, true, false)
	receipt(t, db, "dave", m5.ID, chat.ReceiptRead, t0+150, true, true)
}

// A receipt for a message the reader's marks already cover is a repeat.
// A member's marks start at the group's latest message when they join,
// and the history before it is not covered: a receipt for it is new.
func TestGroupReceiptsBelowTheMark(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	const cid = "group_g"
	m1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "1", t0+1))
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "2", t0+2))
	r1 := mustSend(t, db, reply("alice", "g", m1.ID, "on 1", t0+3))
	m3 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "3", t0+4))
	m4 := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "4", t0+5))
	names := named{m1.ID: "m1", m2.ID: "m2", r1.ID: "r1", m3.ID: "m3", m4.ID: "m4"}

	receipt(t, db, "bob", m3.ID, chat.ReceiptRead, t0+10, true, true)
	receipt(t, db, "bob", m2.ID, chat.ReceiptRead, t0+20, false, false)
	receipt(t, db, "bob", m1.ID, chat.ReceiptDelivered, t0+20, false, false)
	receipt(t, db, "bob", r1.ID, chat.ReceiptRead, t0+20, false, false)
	receipt(t, db, "bob", m4.ID, chat.ReceiptRead, t0+20, false, false)
	want(t, "bob's receipts", myReceipts(t, db, "bob", cid, names),
		"m1 10,10; m2 10,10; r1 10,10; m3 10,10; m4 -")

	_, _, err := db.AddMember(ctx, "g", "carol", chat.ScopeParticipant, "carol", t0+30)
	must(t, err)
	receipt(t, db, "carol", m2.ID, chat.ReceiptRead, t0+40, true, true)
	receipt(t, db, "carol", m2.ID, chat.ReceiptRead, t0+41, false, false)
	want(t, "carol's receipts after naming m2", myReceipts(t, db, "carol", cid, names),
		"m1 -; m2 40,40; r1 -; m3 -; m4 -")
	want(t, "info of m1", info(t, db, m1.ID), "bob 10,10; carol 40,40")
	receipt(t, db, "carol", m1.ID, chat.ReceiptDelivered, t0+50, true, true)
	receipt(t, db, "carol", m1.ID, chat.ReceiptRead, t0+55, true, true)
	receipt(t, db, "carol", r1.ID, chat.ReceiptDelivered, t0+56, true, true)
	want(t, "carol's receipts after naming m1", myReceipts(t, db, "carol", cid, names),
		"m1 50,55; m2 40,40; r1 56,0; m3 -; m4 -")
	// carol's own join is not hers to acknowledge; a later message covers
	// it and nothing before it.
	joined := lastID(t, db, "carol", cid)
	receipt(t, db, "carol", joined, chat.ReceiptRead, t0+58, false, false)
	n1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "after the join", t0+59))
	names[joined], names[n1.ID] = "joined", "n1"
	receipt(t, db, "carol", n1.ID, chat.ReceiptRead, t0+60, true, false)
	want(t, "carol's receipts after reading n1", myReceipts(t, db, "carol", cid, names),
		"m1 50,55; m2 40,40; r1 56,0; m3 -; m4 -; joined -; n1 60,60")

	// bob leaves and comes back: what he read stays read, what came while
	// he was away is not covered by his later receipts.
	_, err = db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+70)
	must(t, err)
	m5 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "5", t0+71))
	_, _, err = db.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "bob", t0+72)
	must(t, err)
	m6 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "6", t0+73))
	names[m5.ID], names[m6.ID] = "m5", "m6"
	receipt(t, db, "bob", m6.ID, chat.ReceiptRead, t0+74, true, false)
	want(t, "bob's receipts after coming back", myReceipts(t, db, "bob", cid, names),
		"m1 10,10; m2 10,10; r1 10,10; m3 10,10; m4 -; joined -; n1 -; m5 -; m6 74,74")
	want(t, "info of m5", info(t, db, m5.ID), "bob 74,74; carol 0,0")
	want(t, "info of n1", info(t, db, n1.ID), "bob 74,74; carol 60,60")
	receipt(t, db, "bob", m5.ID, chat.ReceiptRead, t0+75, true, false)
	want(t, "bob's receipts after naming m5", myReceipts(t, db, "bob", cid, names),
		"m1 10,10; m2 10,10; r1 10,10; m3 10,10; m4 -; joined -; n1 -; m5 75,75; m6 74,74")
}

// lastID is the newest message of a conversation.
func lastID(t *testing.T, db *store.DB, uid, cid string) chat.ID {
	t.Helper()
	list, err := db.ListMessages(context.Background(), chat.MessageQuery{Asker: uid, ConversationID: cid, Limit: 1})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("no messages in %s", cid)
	}
	return list[0].ID
}

// Marking unread from a message clears the reader's read times from there
// on; the messages before it stay read, and reading again covers the
// cleared ones with the new time.
func TestGroupMarkUnreadAndReceipts(t *testing.T) {
	db := groupG(t)
	ctx := context.Background()
	const cid = "group_g"
	m1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "1", t0+1))
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "2", t0+2))
	m3 := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "3", t0+3))
	m4 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "4", t0+4))
	m5 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "5", t0+5))
	names := named{m1.ID: "m1", m2.ID: "m2", m3.ID: "m3", m4.ID: "m4", m5.ID: "m5"}

	receipt(t, db, "bob", m5.ID, chat.ReceiptDelivered, t0+10, true, false)
	receipt(t, db, "bob", m4.ID, chat.ReceiptRead, t0+20, true, false)
	want(t, "bob's receipts", myReceipts(t, db, "bob", cid, names), "m1 10,20; m2 10,20; m3 -; m4 10,20; m5 10,0")

	must(t, db.MarkUnread(ctx, "bob", cid, m4.ID))
	want(t, "bob's receipts after unread from m4", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,20; m3 -; m4 10,0; m5 10,0")
	if n := unread(t, db, "bob", cid); n != 2 {
		t.Fatalf("unread %d, want 2", n)
	}
	want(t, "info of m1", info(t, db, m1.ID), "bob 10,20; carol 0,0")
	want(t, "info of m2", info(t, db, m2.ID), "bob 10,20; carol 0,0")
	want(t, "info of m4", info(t, db, m4.ID), "bob 10,0; carol 0,0")
	receipt(t, db, "bob", m2.ID, chat.ReceiptRead, t0+25, false, false)
	receipt(t, db, "bob", m4.ID, chat.ReceiptDelivered, t0+25, false, false)
	receipt(t, db, "bob", m4.ID, chat.ReceiptRead, t0+30, true, false)
	want(t, "bob's receipts after reading m4 again", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,20; m3 -; m4 10,30; m5 10,0")

	must(t, db.MarkUnread(ctx, "bob", cid, m2.ID))
	want(t, "bob's receipts after unread from m2", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,0; m3 -; m4 10,0; m5 10,0")
	want(t, "info of m1 after unread from m2", info(t, db, m1.ID), "bob 10,20; carol 0,0")
	receipt(t, db, "bob", m5.ID, chat.ReceiptRead, t0+40, true, false)
	want(t, "bob's receipts after reading m5", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,40; m3 -; m4 10,40; m5 10,40")
	want(t, "info of m1 after reading m5", info(t, db, m1.ID), "bob 10,20; carol 0,0")
	want(t, "info of m2 after reading m5", info(t, db, m2.ID), "bob 10,40; carol 0,0")
	if n := unread(t, db, "bob", cid); n != 0 {
		t.Fatalf("unread %d, want 0", n)
	}

	// Unread from above the read mark, and by a REST mark.
	must(t, db.MarkUnread(ctx, "bob", cid, m5.ID))
	must(t, db.MarkRead(ctx, "carol", cid, m4.ID, t0+50))
	must(t, db.MarkUnread(ctx, "carol", cid, m3.ID))
	want(t, "bob's receipts after unread from m5", myReceipts(t, db, "bob", cid, names),
		"m1 10,20; m2 10,40; m3 -; m4 10,40; m5 10,0")
	want(t, "carol's receipts", myReceipts(t, db, "carol", cid, names), "m1 50,50; m2 50,50; m3 50,0; m4 50,0; m5 -")
	want(t, "info of m1 at the end", info(t, db, m1.ID), "bob 10,20; carol 50,50")
	want(t, "info of m3 at the end", info(t, db, m3.ID), "alice 0,0; carol 50,0")
	receipt(t, db, "carol", m3.ID, chat.ReceiptRead, t0+60, true, false)
	receipt(t, db, "carol", m3.ID, chat.ReceiptDelivered, t0+61, false, false)
	want(t, "carol's receipts after reading m3", myReceipts(t, db, "carol", cid, names),
		"m1 50,50; m2 50,50; m3 50,60; m4 50,0; m5 -")
}

// A member who joined marks part of the history before the join unread
// and reads it: reading counts as delivering what was never delivered,
// and marking unread again keeps those delivery times.
func TestGroupReceiptsHistoryBeforeJoin(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "dave"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	const cid = "group_g"
	m1 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "1", t0+1))
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "2", t0+2))
	m3 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "3", t0+3))
	_, _, err := db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "alice", t0+5)
	must(t, err)
	added := lastID(t, db, "dave", cid)
	names := named{m1.ID: "m1", m2.ID: "m2", m3.ID: "m3", added: "added"}
	want(t, "dave's receipts after joining", myReceipts(t, db, "dave", cid, names), "m1 -; m2 -; m3 -; added -")

	must(t, db.MarkUnread(ctx, "dave", cid, m2.ID))
	if n := unread(t, db, "dave", cid); n != 2 {
		t.Fatalf("unread %d, want 2", n)
	}
	receipt(t, db, "dave", added, chat.ReceiptRead, t0+20, true, false)
	want(t, "dave's receipts after reading", myReceipts(t, db, "dave", cid, names),
		"m1 -; m2 20,20; m3 20,20; added 20,20")
	must(t, db.MarkUnread(ctx, "dave", cid, m3.ID))
	want(t, "dave's receipts after unread from m3", myReceipts(t, db, "dave", cid, names),
		"m1 -; m2 20,20; m3 20,0; added 20,0")
	receipt(t, db, "dave", m3.ID, chat.ReceiptDelivered, t0+25, false, false)
	receipt(t, db, "dave", added, chat.ReceiptRead, t0+30, true, false)
	want(t, "dave's receipts after reading again", myReceipts(t, db, "dave", cid, names),
		"m1 -; m2 20,20; m3 20,30; added 20,30")
	want(t, "info of m1", info(t, db, m1.ID), "bob 0,0; dave 20,20")
	want(t, "info of m3", info(t, db, m3.ID), "bob 0,0; dave 20,30")

	m4 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "4", t0+35))
	names[m4.ID] = "m4"
	receipt(t, db, "dave", m4.ID, chat.ReceiptDelivered, t0+40, true, false)
	receipt(t, db, "dave", m1.ID, chat.ReceiptRead, t0+45, true, false)
	want(t, "dave's receipts at the end", myReceipts(t, db, "dave", cid, names),
		"m1 45,45; m2 20,20; m3 20,30; added 20,30; m4 40,0")
	if n := unread(t, db, "dave", cid); n != 1 {
		t.Fatalf("unread %d, want 1", n)
	}
}
