package messages

import (
	"slices"
	"strings"
	"testing"
	"unsafe"

	"cometterm/chat"
)

// TestRenderLeadGoesBeforeEveryLine: a message rendered with a lead is
// the same message with the lead in front of each line, in every kind of
// row (wide and narrow, grouped, with a date above, my own with marks,
// actions, reactions and threads).
func TestRenderLeadGoesBeforeEveryLine(t *testing.T) {
	m := newPane(80, 20, nil, false)
	msgs := showcase()
	long := text(1100, "superhero1", at(11, 0), strings.Repeat("a long line of words ", 12))
	long.DeliveredAt = at(11, 1)
	msgs = append(msgs, long)
	rows := []Row{{}, {Grouped: true}, {Separator: "Today"}, {Thread: true, DeliveredBy: 2, ReadBy: 1}}
	for _, width := range []int{12, 40, 59, 60, 99} {
		for _, msg := range msgs {
			for _, row := range rows {
				plain := m.r.Render(&msg, width, row)
				led := m.r.render(&msg, width, row, leadCell)
				if len(led) != len(plain) {
					t.Fatalf("message %d at %d, %+v: %d lines with a lead, %d without", msg.ID, width, row, len(led), len(plain))
				}
				for i := range plain {
					if led[i] != leadCell+plain[i] {
						t.Fatalf("message %d at %d, %+v, line %d:\n%q\nwant\n%q", msg.ID, width, row, i, led[i], leadCell+plain[i])
					}
				}
			}
		}
	}
}

// TestViewLinesAreTheMessagesOwn: View is ViewLines joined, and the lines
// of an unchanged message are the very strings it was rendered to, frame
// after frame, so a line renderer can tell them unchanged by pointer.
func TestViewLinesAreTheMessagesOwn(t *testing.T) {
	m := newPane(80, 12, showcase(), false)
	first := m.ViewLines(nil)
	if got := strings.Join(first, "\n"); got != m.View() {
		t.Fatalf("ViewLines joined:\n%s\nView:\n%s", got, m.View())
	}
	kept := append([]string(nil), first...)
	var buf []string
	for range 3 {
		buf = m.ViewLines(buf)
		for i := range buf {
			if !sameString(buf[i], kept[i]) {
				t.Fatalf("line %d is a new string in an unchanged pane: %q", i, buf[i])
			}
		}
	}
	if n := testing.AllocsPerRun(20, func() { buf = m.ViewLines(buf) }); n != 0 {
		t.Errorf("ViewLines of an unchanged pane allocates %.0f times, want 0", n)
	}
	// A new message scrolls the others up: their lines are the same
	// strings, one message further up.
	m.Upsert(text(1200, "superhero2", at(10, 30), "new"))
	buf = m.ViewLines(buf)
	shared := 0
	for _, l := range buf {
		for _, k := range kept {
			if sameString(l, k) {
				shared++
				break
			}
		}
	}
	if shared < len(buf)/2 {
		t.Errorf("after one new message only %d of %d lines are the strings drawn before", shared, len(buf))
	}
	// The selected message gets the bar in place of its lead.
	m.SetFocused(true)
	sel := strings.Join(m.ViewLines(nil), "\n")
	if sel != m.View() || !strings.Contains(sel, "▌") {
		t.Fatalf("selected view without its bar or unlike View:\n%s", sel)
	}
}

// sameString reports whether a and b are the same bytes in memory.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestDropKeepsTheRoom: a pinned pane's trims move the kept entries down
// in the same room, in order and with nothing left behind them, rather
// than copying them out; a store that once held a long history gives
// its room back.
func TestDropKeepsTheRoom(t *testing.T) {
	var s store
	for i := range 130 {
		s.items = append(s.items, s.newEntry(text(chat.ID(1000+i), "superhero2", at(9, 0), "m")))
	}
	room := &s.items[:1][0]
	s.drop(42)
	if len(s.items) != 88 || &s.items[:1][0] != room {
		t.Fatalf("after the drop: %d entries, same room %v", len(s.items), &s.items[:1][0] == room)
	}
	for i, e := range s.items {
		if e.msg.ID != chat.ID(1042+i) {
			t.Fatalf("entry %d is message %d", i, e.msg.ID)
		}
	}
	if tail := s.items[len(s.items):cap(s.items)]; slices.ContainsFunc(tail, func(e *entry) bool { return e != nil }) {
		t.Fatal("the room after the kept entries still points at dropped ones")
	}

	var long store
	for i := range 5000 {
		long.items = append(long.items, long.newEntry(text(chat.ID(i+1), "superhero2", at(9, 0), "m")))
	}
	long.drop(4900)
	if len(long.items) != 100 || cap(long.items) > 400 || long.items[0].msg.ID != 4901 {
		t.Fatalf("after dropping a long history: %d entries in room for %d, first %d", len(long.items), cap(long.items), long.items[0].msg.ID)
	}
}
