package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestViewRowsJoinToView: the rows ViewRows hands out, joined, are View's
// frame, through a stream of messages and with the side panel and the
// inspector shown; each row is the frame's width, and lead is the width
// of the first of several segments.
func TestViewRowsJoinToView(t *testing.T) {
	m, next := busyModel(t)
	var rows [][]string
	check := func(when string) {
		t.Helper()
		v, got, lead, ok := m.ViewRows(rows)
		width := m.st.width
		if !ok {
			t.Fatalf("%s: no rows", when)
		}
		rows = got
		joined := make([]string, len(got))
		for y, r := range got {
			joined[y] = strings.Join(r, "")
			if w := ansi.StringWidth(joined[y]); w != width {
				t.Fatalf("%s: row %d is %d wide, want %d", when, y, w, width)
			}
			switch {
			case len(r) > 1 && lead[y] != ansi.StringWidth(r[0]):
				t.Fatalf("%s: row %d leads with %d cells, said %d", when, y, ansi.StringWidth(r[0]), lead[y])
			case len(r) == 1 && lead[y] != 0:
				t.Fatalf("%s: row %d has one segment and lead %d", when, y, lead[y])
			}
		}
		want := m.View()
		if got := strings.Join(joined, "\n"); got != want.Content {
			t.Fatalf("%s: rows joined differ from View:\n%s\n---\n%s", when, got, want.Content)
		}
		if v.AltScreen != want.AltScreen || v.MouseMode != want.MouseMode || v.WindowTitle != want.WindowTitle {
			t.Fatalf("%s: view %+v, want %+v", when, v, want)
		}
	}
	check("opened")
	for i := range 40 {
		m.Update(next())
		if i%3 == 0 {
			check("after a message")
		}
	}
	m.st.showMembers, m.st.showEvents = true, true
	m.layout()
	if g := m.st.geo; g.sideW == 0 || g.eventsH == 0 || g.listW == 0 {
		t.Fatalf("panels not laid out: %+v", g)
	}
	check("members and inspector shown")
	for range 10 {
		m.Update(next())
		check("after a message, with panels")
	}
}
