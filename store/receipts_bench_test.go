package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// receiptGroup makes a group of n members (owner included) and returns the
// store with the uids of the members other than the owner.
func receiptGroup(b *testing.B, n int) (*store.DB, []string) {
	b.Helper()
	db := newDB(b)
	mustUser(b, db, "owner", "Owner")
	readers := make([]string, n-1)
	for i := range readers {
		readers[i] = fmt.Sprintf("m%03d", i)
		mustUser(b, db, readers[i], readers[i])
	}
	mustGroup(b, db, "g", "owner", chat.GroupPublic, readers...)
	return db, readers
}

// BenchmarkReceiptGroup200 is the load of a busy 200-member group: the
// owner posts, every other member reads the newest message, then the owner
// posts again. One op is one read receipt; posting is not timed.
func BenchmarkReceiptGroup200(b *testing.B) {
	db, readers := receiptGroup(b, 200)
	ctx := context.Background()
	var m chat.Message
	all := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(readers)
		if k == 0 {
			b.StopTimer()
			m = mustSend(b, db, text("owner", "g", chat.ReceiverGroup, "hello", t0+int64(i)))
			b.StartTimer()
		}
		res, err := db.Receipt(ctx, readers[k], m.ID, chat.ReceiptRead, t0+int64(i))
		if err != nil || !res.New {
			b.Fatalf("receipt %d: %+v %v", i, res, err)
		}
		if res.All {
			all++
		}
	}
	b.StopTimer()
	if want := b.N / len(readers); all != want {
		b.Fatalf("%d receipts completed readByAll, want %d", all, want)
	}
}

// BenchmarkReceiptGroup200Parallel sends the receipts from many goroutines
// at once, so the batcher commits them together, while the owner keeps
// posting.
func BenchmarkReceiptGroup200Parallel(b *testing.B) {
	db, readers := receiptGroup(b, 200)
	ctx := context.Background()
	var newest atomic.Int64
	newest.Store(int64(mustSend(b, db, text("owner", "g", chat.ReceiverGroup, "first", t0)).ID))
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			if i%50 == 0 {
				m, err := db.InsertMessage(ctx, text("owner", "g", chat.ReceiverGroup, "more", t0+i))
				if err != nil {
					b.Error(err)
					return
				}
				newest.Store(int64(m.ID))
			}
			uid := readers[int(i)%len(readers)]
			if _, err := db.Receipt(ctx, uid, chat.ID(newest.Load()), chat.ReceiptRead, t0+i); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkInsertGroup200 posts to a 200-member group: one message row
// and every member's conversation row (last message, unread count).
func BenchmarkInsertGroup200(b *testing.B) {
	db, _ := receiptGroup(b, 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mustSend(b, db, text("owner", "g", chat.ReceiverGroup, "hello", t0+int64(i)))
	}
}

// BenchmarkReceiptGroup200Covering60 is a busy 200-member group as it
// runs: messages keep arriving (60 a second) and each member acknowledges
// the newest once a second, so each read receipt covers the 60 messages
// that came since the member's last one. One op is one read receipt;
// posting is not timed.
func BenchmarkReceiptGroup200Covering60(b *testing.B) {
	db, readers := receiptGroup(b, 200)
	ctx := context.Background()
	const perRound = 60 // messages between two receipts of one member
	posted, newest := 0, chat.ID(0)
	receipt := func(i int) {
		// Receipt i comes after 1 + i*60/199 messages: one member's
		// consecutive receipts are 60 messages apart.
		at := t0 + int64(i/len(readers))
		for posted < 1+i*perRound/len(readers) {
			b.StopTimer()
			newest = mustSend(b, db, text("owner", "g", chat.ReceiverGroup, "hello", at)).ID
			posted++
			b.StartTimer()
		}
		res, err := db.Receipt(ctx, readers[i%len(readers)], newest, chat.ReceiptRead, at)
		if err != nil || !res.New {
			b.Fatalf("receipt %d: %+v %v", i, res, err)
		}
	}
	// One round first, so that every member's marks are where a steady
	// stream leaves them.
	for i := range len(readers) {
		receipt(i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		receipt(len(readers) + i)
	}
}
