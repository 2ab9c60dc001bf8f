package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"cometterm/chat"
)

// Receipts from many readers at once are committed together; each caller
// gets its own answer, and one that fails does not undo the others.
func TestConcurrentReceiptsEachAnswered(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "owner", "Owner")
	mustUser(t, db, "outsider", "Outsider")
	if _, err := db.CreateGroup(ctx, chat.Group{GUID: "g", Name: "G", Type: chat.GroupPublic, Owner: "owner", CreatedAt: t0}, ""); err != nil {
		t.Fatal(err)
	}
	const readers = 40
	for i := range readers {
		uid := fmt.Sprintf("r%02d", i)
		mustUser(t, db, uid, uid)
		if _, _, err := db.AddMember(ctx, "g", uid, chat.ScopeParticipant, uid, t0); err != nil {
			t.Fatal(err)
		}
	}
	m := mustSend(t, db, text("owner", "g", chat.ReceiverGroup, "hello all", t0+1))

	type answer struct {
		res chat.ReceiptResult
		err error
	}
	answers := make([]answer, readers+1)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := db.Receipt(ctx, fmt.Sprintf("r%02d", i), m.ID, chat.ReceiptRead, t0+2)
			answers[i] = answer{res, err}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		res, err := db.Receipt(ctx, "outsider", m.ID, chat.ReceiptRead, t0+2)
		answers[readers] = answer{res, err}
	}()
	wg.Wait()

	all := 0
	for i := range readers {
		a := answers[i]
		if a.err != nil || !a.res.New || a.res.Message.ID != m.ID {
			t.Fatalf("reader %d: %+v", i, a)
		}
		if a.res.All {
			all++
		}
	}
	if all != 1 {
		t.Fatalf("%d receipts claimed to complete the group, want exactly 1", all)
	}
	if answers[readers].err == nil {
		t.Fatal("a non-member's receipt was accepted")
	}
	list, err := db.MessageReceipts(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.ReadAt != t0+2 {
			t.Fatalf("%s has no read mark: %+v", r.User.UID, r)
		}
	}
	if len(list) != readers {
		t.Fatalf("%d recipients listed, want %d", len(list), readers)
	}
}
