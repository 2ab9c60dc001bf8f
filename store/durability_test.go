package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

func TestReopenKeepsEverything(t *testing.T) {
	db, path := openDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	must(t, db.CreateAuthToken(ctx, chat.AuthToken{UID: "alice", Token: "tok", CreatedAt: t0}))
	must(t, db.SaveApp(ctx, chat.App{AppID: "app", JWTSecret: []byte("s"), CreatedAt: t0}))
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "persist me", t0+1))
	_, _, err := db.AddReaction(ctx, m.ID, "bob", "👍", t0+2)
	must(t, err)
	_, err = db.Receipt(ctx, "bob", m.ID, chat.ReceiptRead, t0+3)
	must(t, err)
	must(t, db.Close())

	db2, err := store.Open(path)
	must(t, err)
	t.Cleanup(func() { db2.Close() })
	if _, err := db2.User(ctx, "bob", false); err != nil {
		t.Fatal(err)
	}
	if uid, err := db2.AuthTokenUID(ctx, "tok"); err != nil || uid != "alice" {
		t.Fatalf("token: %q %v", uid, err)
	}
	if _, ok, _ := db2.App(ctx); !ok {
		t.Fatal("app lost")
	}
	got, err := db2.Message(ctx, m.ID, "bob")
	must(t, err)
	if got.Data.Text != "persist me" || len(got.Data.Reactions) != 1 || got.MyReceipt == nil || got.MyReceipt.ReadAt != t0+3 {
		t.Fatalf("message after reopen %+v", got)
	}
	uids, _ := db2.MemberUIDs(ctx, "g")
	if !slices.Equal(uids, []string{"alice", "bob"}) {
		t.Fatalf("members %v", uids)
	}
	if found, _ := db2.ListMessages(ctx, chat.MessageQuery{SearchKey: "persist"}); len(found) != 1 {
		t.Fatalf("search index after reopen: %d", len(found))
	}
	// New ids keep increasing after a reopen.
	if m2 := mustSend(t, db2, text("bob", "alice", chat.ReceiverUser, "next", t0+4)); m2.ID <= m.ID {
		t.Fatalf("id went back: %d after %d", m2.ID, m.ID)
	}
}

func TestMemoryDatabase(t *testing.T) {
	db, err := store.Open(":memory:")
	must(t, err)
	defer db.Close()
	mustUser(t, db, "alice", "Alice")
	if _, err := db.User(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsEmptyPath(t *testing.T) {
	if _, err := store.Open(""); err == nil {
		t.Fatal("opened an empty path")
	}
}

func TestConcurrentInsertsKeepIDsUniqueAndMonotonic(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	const workers, each = 8, 40
	var senders []string
	mustUser(t, db, "hub", "Hub")
	for i := range workers {
		uid := string(rune('a' + i))
		mustUser(t, db, uid, uid)
		senders = append(senders, uid)
	}
	ids := make([][]chat.ID, workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m, err := db.InsertMessage(ctx, text(senders[w], "hub", chat.ReceiverUser, "load", t0+int64(i)))
				if err != nil {
					errs <- err
					return
				}
				ids[w] = append(ids[w], m.ID)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[chat.ID]bool{}
	for w := range workers {
		for i, id := range ids[w] {
			if seen[id] {
				t.Fatalf("duplicate id %d", id)
			}
			seen[id] = true
			if i > 0 && id <= ids[w][i-1] {
				t.Fatalf("worker %d saw id %d after %d", w, id, ids[w][i-1])
			}
		}
	}
	if len(seen) != workers*each {
		t.Fatalf("%d ids for %d inserts", len(seen), workers*each)
	}
	// The hub's unread total matches what was sent.
	convs, total, err := db.ListConversations(ctx, "hub", chat.ConversationQuery{})
	must(t, err)
	sum := 0
	for _, c := range convs {
		sum += int(c.UnreadMessageCount)
	}
	if total != workers || sum != workers*each {
		t.Fatalf("hub has %d conversations and %d unread", total, sum)
	}
}

func BenchmarkInsertMessage(b *testing.B) {
	db := newDB(b)
	mustUser(b, db, "alice", "Alice")
	mustUser(b, db, "bob", "Bob")
	ctx := context.Background()
	m := text("alice", "bob", chat.ReceiverUser, "benchmark message with a few words", t0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.InsertMessage(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListMessagesPage(b *testing.B) {
	db := newDB(b)
	mustUser(b, db, "alice", "Alice")
	mustUser(b, db, "bob", "Bob")
	ctx := context.Background()
	for i := range 2000 {
		mustSend(b, db, text("alice", "bob", chat.ReceiverUser, "history", t0+int64(i)))
	}
	q := chat.MessageQuery{Asker: "bob", ConversationID: "alice_user_bob", Limit: 30, Affix: "prepend", ID: 1000}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ms, err := db.ListMessages(ctx, q)
		if err != nil || len(ms) != 30 {
			b.Fatalf("%d messages, %v", len(ms), err)
		}
	}
}
