package ui

import (
	"fmt"
	"testing"
	"time"
)

// TestReceiptPhaseSpreadsReaders: members of a group flush their receipts
// at different moments within the spread, each always at the same one.
func TestReceiptPhaseSpreadsReaders(t *testing.T) {
	buckets := make(map[time.Duration]int)
	for i := range 200 {
		uid := fmt.Sprintf("user%d", i)
		p := receiptPhase(uid)
		if p < 0 || p >= groupReceiptSpread {
			t.Fatalf("phase of %s: %v, outside [0, %v)", uid, p, groupReceiptSpread)
		}
		if again := receiptPhase(uid); again != p {
			t.Fatalf("phase of %s changed: %v then %v", uid, p, again)
		}
		buckets[p/(50*time.Millisecond)]++
	}
	// 200 readers over ten 50 ms slots: none may hold most of them.
	if len(buckets) < 8 {
		t.Fatalf("200 readers fell into %d of 10 slots: %v", len(buckets), buckets)
	}
	for slot, n := range buckets {
		if n > 50 {
			t.Fatalf("slot %d holds %d of 200 readers", slot, n)
		}
	}
}
