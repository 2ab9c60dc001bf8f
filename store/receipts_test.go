package store_test

import (
	"context"
	"testing"

	"cometterm/chat"
)

func TestReceiptsOneToOne(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	m1 := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "1", t0))
	m2 := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "2", t0+1))

	own, err := db.Receipt(ctx, "alice", m1.ID, chat.ReceiptRead, t0+2)
	must(t, err)
	if own.New || own.All {
		t.Fatalf("receipt on own message %+v", own)
	}
	r, err := db.Receipt(ctx, "bob", m2.ID, chat.ReceiptDelivered, t0+3)
	must(t, err)
	if !r.New || r.All || r.Message.ID != m2.ID || r.Message.Sender != "alice" || r.Message.Receiver != "bob" ||
		r.Message.ReceiverType != chat.ReceiverUser || r.Message.ConversationID != "alice_user_bob" {
		t.Fatalf("delivered %+v", r)
	}
	got, err := db.Message(ctx, m2.ID, "bob")
	must(t, err)
	if got.MyReceipt == nil || got.MyReceipt.DeliveredAt != t0+3 || got.MyReceipt.ReadAt != 0 {
		t.Fatalf("bob's receipt on m2 after delivered %+v", got.MyReceipt)
	}
	again, err := db.Receipt(ctx, "bob", m2.ID, chat.ReceiptDelivered, t0+4)
	must(t, err)
	if again.New {
		t.Fatal("second delivered receipt is new")
	}
	r, err = db.Receipt(ctx, "bob", m2.ID, chat.ReceiptRead, t0+5)
	must(t, err)
	if !r.New {
		t.Fatalf("read %+v", r)
	}
	got, err = db.Message(ctx, m2.ID, "bob")
	must(t, err)
	if got.MyReceipt == nil || got.MyReceipt.ReadAt != t0+5 || got.MyReceipt.DeliveredAt != t0+3 {
		t.Fatalf("bob's receipt on m2 after read %+v", got.MyReceipt)
	}
	// Delivering and reading m2 did m1 too, and the sender sees it on m1.
	seen, err := db.Message(ctx, m1.ID, "alice")
	must(t, err)
	if seen.ReadAt != t0+5 || seen.DeliveredAt != t0+3 {
		t.Fatalf("sender's view of m1 %+v", seen)
	}
	if n := unread(t, db, "bob", "alice_user_bob"); n != 0 {
		t.Fatalf("unread after receipt %d", n)
	}
	if r, _ := db.Receipt(ctx, "bob", m1.ID, chat.ReceiptRead, t0+6); r.New {
		t.Fatal("m1 read twice")
	}
	list, err := db.MessageReceipts(ctx, m2.ID)
	must(t, err)
	if len(list) != 1 || list[0].User.UID != "bob" || list[0].ReadAt != t0+5 || list[0].DeliveredAt != t0+3 {
		t.Fatalf("message receipts %+v", list)
	}
	// Bob acknowledged only m2; message info for m1 shows it covered.
	list, err = db.MessageReceipts(ctx, m1.ID)
	must(t, err)
	if len(list) != 1 || list[0].ReadAt != t0+5 || list[0].DeliveredAt != t0+3 {
		t.Fatalf("message receipts of the covered m1 %+v", list)
	}

	_, err = db.Receipt(ctx, "carol", m1.ID, chat.ReceiptRead, t0)
	wantCode(t, err, chat.ErrMessageNoAccess)
	_, err = db.Receipt(ctx, "bob", 9999, chat.ReceiptRead, t0)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	_, err = db.Receipt(ctx, "bob", m1.ID, chat.ReceiptReadByAll, t0)
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.MessageReceipts(ctx, 9999)
	wantCode(t, err, chat.ErrMessageIDNotFound)
}

func TestReceiptsAllInGroup(t *testing.T) {
	db := groupG(t, "dave")
	ctx := context.Background()
	m := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "hi", t0))

	r, err := db.Receipt(ctx, "bob", m.ID, chat.ReceiptDelivered, t0+1)
	must(t, err)
	if !r.New || r.All {
		t.Fatalf("first of two deliveries %+v", r)
	}
	r, err = db.Receipt(ctx, "carol", m.ID, chat.ReceiptDelivered, t0+2)
	must(t, err)
	if !r.New || !r.All {
		t.Fatalf("last delivery should complete deliveredToAll: %+v", r)
	}
	r, err = db.Receipt(ctx, "carol", m.ID, chat.ReceiptDelivered, t0+3)
	must(t, err)
	if r.New || r.All {
		t.Fatalf("repeat delivery %+v", r)
	}
	r, err = db.Receipt(ctx, "carol", m.ID, chat.ReceiptRead, t0+4)
	must(t, err)
	if !r.New || r.All {
		t.Fatalf("first read %+v", r)
	}
	r, err = db.Receipt(ctx, "bob", m.ID, chat.ReceiptRead, t0+5)
	must(t, err)
	if !r.New || !r.All {
		t.Fatalf("last read should complete readByAll: %+v", r)
	}
	_, err = db.Receipt(ctx, "dave", m.ID, chat.ReceiptRead, t0)
	wantCode(t, err, chat.ErrMessageNoAccess)

	list, err := db.MessageReceipts(ctx, m.ID)
	must(t, err)
	if len(list) != 2 || list[0].User.UID != "bob" || list[0].ReadAt != t0+5 || list[1].ReadAt != t0+4 {
		t.Fatalf("receipts %+v", list)
	}

	// A newcomer counts: the next message is not read by all until dave reads it.
	_, _, err = db.AddMember(ctx, "g", "dave", chat.ScopeParticipant, "dave", t0+6)
	must(t, err)
	m2 := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "again", t0+7))
	for _, uid := range []string{"bob", "carol"} {
		r, err = db.Receipt(ctx, uid, m2.ID, chat.ReceiptRead, t0+8)
		must(t, err)
		if r.All {
			t.Fatalf("%s's read completed readByAll without dave", uid)
		}
	}
	r, err = db.Receipt(ctx, "dave", m2.ID, chat.ReceiptRead, t0+9)
	must(t, err)
	if !r.All {
		t.Fatalf("dave's read should complete readByAll: %+v", r)
	}
	list, _ = db.MessageReceipts(ctx, m2.ID)
	if len(list) != 3 {
		t.Fatalf("receipts %+v", list)
	}
}

func TestMarkDeliveredAndReplyReceipts(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	m1 := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "1", t0))
	r := text("alice", "bob", chat.ReceiverUser, "in thread", t0+1)
	r.ParentID = m1.ID
	reply := mustSend(t, db, r)
	m3 := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "3", t0+2))
	must(t, db.MarkDelivered(ctx, "bob", "alice_user_bob", m1.ID, t0+3))
	got, _ := db.Message(ctx, m1.ID, "bob")
	if got.MyReceipt == nil || got.MyReceipt.DeliveredAt != t0+3 || got.MyReceipt.ReadAt != 0 {
		t.Fatalf("m1 after delivered %+v", got.MyReceipt)
	}
	if n := unread(t, db, "bob", "alice_user_bob"); n != 2 {
		t.Fatalf("delivery changed unread: %d", n)
	}
	// A reply's receipt does not move the conversation's marks.
	_, err := db.Receipt(ctx, "bob", reply.ID, chat.ReceiptRead, t0+4)
	must(t, err)
	if n := unread(t, db, "bob", "alice_user_bob"); n != 2 {
		t.Fatalf("reply receipt changed unread: %d", n)
	}
	got, _ = db.Message(ctx, m3.ID, "bob")
	if got.MyReceipt != nil {
		t.Fatalf("m3 marked by a reply receipt: %+v", got.MyReceipt)
	}
}

// Receipts kept by members who left do not count towards readByAll, and a
// new group receipt reports the group's size.
func TestReceiptsAllIgnoresFormerMembers(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol", "dave"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol", "dave")
	m := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "hi", t0))
	r, err := db.Receipt(ctx, "dave", m.ID, chat.ReceiptRead, t0+1)
	must(t, err)
	if !r.New || r.All || r.Members != 4 {
		t.Fatalf("dave's read %+v", r)
	}
	_, err = db.RemoveMember(ctx, "g", "dave", chat.RemovalLeft, "dave", t0+2)
	must(t, err)
	r, err = db.Receipt(ctx, "bob", m.ID, chat.ReceiptRead, t0+3)
	must(t, err)
	if !r.New || r.All || r.Members != 3 {
		t.Fatalf("bob's read counted dave's: %+v", r)
	}
	_, err = db.Receipt(ctx, "dave", m.ID, chat.ReceiptRead, t0+4)
	wantCode(t, err, chat.ErrMessageNoAccess)
	r, err = db.Receipt(ctx, "carol", m.ID, chat.ReceiptRead, t0+5)
	must(t, err)
	if !r.New || !r.All {
		t.Fatalf("carol's read should complete readByAll: %+v", r)
	}

	// A reply's receipt completes it alone and leaves the marks alone.
	reply := text("alice", "g", chat.ReceiverGroup, "in thread", t0+6)
	reply.ParentID = m.ID
	rm := mustSend(t, db, reply)
	next := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "next", t0+7))
	for i, uid := range []string{"bob", "carol"} {
		r, err = db.Receipt(ctx, uid, rm.ID, chat.ReceiptDelivered, t0+8)
		must(t, err)
		if !r.New || r.All != (i == 1) || r.Message.ParentID != m.ID {
			t.Fatalf("%s's delivery of the reply %+v", uid, r)
		}
	}
	got, err := db.Message(ctx, next.ID, "bob")
	must(t, err)
	if got.MyReceipt != nil {
		t.Fatalf("a reply's receipt marked a later message: %+v", got.MyReceipt)
	}
}
