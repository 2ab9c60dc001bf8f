package ui

import (
	"fmt"
	"testing"
	"time"

	"cometterm/chat"
)

// TestReceiptPhaseSpreadsReaders: members of a group flush their receipts
// at different moments within the spread, each always at the same one.
func TestReceiptPhaseSpreadsReaders(t *testing.T) {
	const spread = 500 * time.Millisecond
	buckets := make(map[time.Duration]int)
	for i := range 200 {
		uid := fmt.Sprintf("user%d", i)
		p := receiptPhase(uid, spread)
		if p < 0 || p >= spread {
			t.Fatalf("phase of %s: %v, outside [0, %v)", uid, p, spread)
		}
		if again := receiptPhase(uid, spread); again != p {
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
	if p := receiptPhase("user1", 0); p != 0 {
		t.Fatalf("phase %v within no spread", p)
	}
}

// TestGroupReceiptWaitGrowsWithTheGroup: a member of a small group flushes
// every second; past groupReceiptRate members, the wait grows so that
// the group's members together send about that many receipts a second,
// up to maxGroupReceiptDelay.
func TestGroupReceiptWaitGrowsWithTheGroup(t *testing.T) {
	for _, c := range []struct {
		members int
		want    time.Duration
	}{
		{0, time.Second}, {2, time.Second}, {100, time.Second},
		{200, 2 * time.Second}, {350, 3500 * time.Millisecond},
		{500, 5 * time.Second}, {100000, 5 * time.Second},
	} {
		if got := groupReceiptWait(c.members); got != c.want {
			t.Errorf("groupReceiptWait(%d) = %v, want %v", c.members, got, c.want)
		}
	}

	inGroup := func(members int) chat.Message {
		m := text(1, "group_g", "u2", "hi")
		m.ReceiverType, m.Receiver = chat.ReceiverGroup, "g"
		if members > 0 {
			m.Data.Entities.Receiver = chat.GroupEntity(chat.Group{GUID: "g", MembersCount: members})
		}
		return m
	}
	within := func(name string, got, lo, hi time.Duration) {
		t.Helper()
		if got < lo || got >= hi {
			t.Errorf("%s: wait %v, want [%v, %v)", name, got, lo, hi)
		}
	}
	for i := range 50 {
		uid := fmt.Sprintf("user%d", i)
		big, small, unknown := inGroup(200), inGroup(8), inGroup(0)
		within("200 members", receiptWait(&big, uid), 2*time.Second, 3*time.Second)
		within("8 members", receiptWait(&small, uid), time.Second, 1500*time.Millisecond)
		within("size unknown", receiptWait(&unknown, uid), time.Second, 1500*time.Millisecond)
	}
	direct := text(1, "u1_user_u2", "u2", "hi")
	direct.ReceiverType = chat.ReceiverUser
	if got := receiptWait(&direct, "u1"); got != receiptDelay {
		t.Errorf("a direct message waits %v, want %v", got, receiptDelay)
	}
}
