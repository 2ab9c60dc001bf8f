package messages

import (
	"testing"
	"unsafe"
)

// Two people in the same group see a third's message drawn alike: their
// panes hold one copy of each line, not one each.
func TestSessionsShareTheLinesOfAMessage(t *testing.T) {
	mine, theirs := testCommon(), testCommon()
	theirs.Me = users["superhero3"]
	a, b := NewRenderer(mine), NewRenderer(theirs)
	a.SetNames(names)
	b.SetNames(names)
	m := text(3000, "superhero2", at(10, 20),
		"a message long enough to wrap onto a second line of a pane forty cells wide")
	la, lb := a.Render(&m, 40, Row{}), b.Render(&m, 40, Row{})
	if len(la) < 2 || len(la) != len(lb) {
		t.Fatalf("lines: %d and %d, want the same two or more", len(la), len(lb))
	}
	for i := range la {
		if la[i] != lb[i] {
			t.Fatalf("line %d differs:\n%q\n%q", i, la[i], lb[i])
		}
		if unsafe.StringData(la[i]) != unsafe.StringData(lb[i]) {
			t.Errorf("line %d is two copies", i)
		}
	}
	// The sender's own pane shows "You": its lines are its own.
	own := NewRenderer(testCommon())
	own.c.Me = users["superhero2"]
	if lo := own.Render(&m, 40, Row{}); lo[0] == la[0] {
		t.Fatalf("the sender's first line is the others': %q", lo[0])
	}
}

// Drawing a message that another session drew already allocates no line,
// with its header (wide and narrow) or without.
func TestASharedLineCostsNoCopy(t *testing.T) {
	a, b := NewRenderer(testCommon()), NewRenderer(testCommon())
	m := text(3001, "superhero2", at(10, 20), "short and plain")
	for _, c := range []struct {
		name  string
		width int
		row   Row
		slice float64 // allocations of the slice of lines: one per size it grows to
	}{{"grouped", 99, Row{Grouped: true}, 1}, {"wide header", 99, Row{}, 1}, {"narrow header", 40, Row{}, 2}} {
		keep := a.Render(&m, c.width, c.row)
		var out []string
		n := testing.AllocsPerRun(50, func() {
			out = b.render(&m, c.width, c.row, "")
		})
		if len(out) != len(keep) || out[0] != keep[0] {
			t.Fatalf("%s: %q != %q", c.name, out, keep)
		}
		if n > c.slice {
			t.Errorf("%s: a message drawn before allocated %v times per render", c.name, n)
		}
	}
}
