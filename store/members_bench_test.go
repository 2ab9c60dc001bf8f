package store_test

import (
	"context"
	"testing"
)

// BenchmarkGroup200 reads a 200-member group as a post reads its receiver.
func BenchmarkGroup200(b *testing.B) {
	db, _ := receiptGroup(b, 200)
	ctx := context.Background()
	for b.Loop() {
		g, err := db.Group(ctx, "g", "")
		if err != nil || g.MembersCount != 200 {
			b.Fatalf("group: %d members, %v", g.MembersCount, err)
		}
	}
}

// BenchmarkMemberUIDs200 is the realtime hub's question for every fan-out
// to a 200-member group.
func BenchmarkMemberUIDs200(b *testing.B) {
	db, _ := receiptGroup(b, 200)
	ctx := context.Background()
	for b.Loop() {
		uids, err := db.MemberUIDs(ctx, "g")
		if err != nil || len(uids) != 200 {
			b.Fatalf("%d uids, %v", len(uids), err)
		}
	}
}
