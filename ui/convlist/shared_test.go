package convlist

import (
	"slices"
	"strings"
	"testing"
	"unsafe"

	"cometterm/chat"
)

// Two members of a busy group draw its row alike after each message: the
// lines are one copy, and drawing the row again allocates almost nothing.
func TestMembersShareAGroupRow(t *testing.T) {
	a, b := newList(t, 40, 30), newList(t, 40, 30)
	b.c.Me = chat.User{UID: "superhero5", Name: "Cyclops"}
	cap := user("superhero2", "Captain America", true)
	for i := range 3 {
		msg := text(chat.ID(900+i), cap, "avengers", chat.ReceiverGroup, "assemble at the tower", now.Unix())
		msg.ConversationID = "group_avengers"
		if !a.ApplyMessage(*msg, true) || !b.ApplyMessage(*msg, true) {
			t.Fatal("group conversation not found")
		}
		la, lb := a.ViewLines(), b.ViewLines()
		row := slices.IndexFunc(la, func(l string) bool { return strings.Contains(plain(l), "assemble") })
		if row < 1 || la[row-1] != lb[row-1] || la[row] != lb[row] {
			t.Fatalf("message %d: the row differs or is missing:\n%q\n%q", i, la, lb)
		}
		if unsafe.StringData(la[row-1]) != unsafe.StringData(lb[row-1]) ||
			unsafe.StringData(la[row]) != unsafe.StringData(lb[row]) {
			t.Fatalf("message %d: the lists hold two copies of the group's row", i)
		}
	}
	msg := text(999, cap, "avengers", chat.ReceiverGroup, "one more", now.Unix())
	msg.ConversationID = "group_avengers"
	b.ApplyMessage(*msg, true)
	b.ViewLines()
	n := testing.AllocsPerRun(20, func() {
		a.changed("group_avengers")
		a.ver++
		a.ViewLines()
	})
	// The lines are b's, and the row's room is kept.
	if n != 0 {
		t.Fatalf("drawing a changed row again allocated %v times", n)
	}
}
