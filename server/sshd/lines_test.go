package sshd

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// syncBuffer is a terminal's input: what the renderer wrote.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// take returns what was written since the last take.
func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

// show feeds the renderer's output to a virtual terminal, without the
// queries: the terminal's answers would wait for a reader.
func show(term *vt.Emulator, out string) {
	out = strings.ReplaceAll(out, ansi.RequestModeUnicodeCore, "")
	out = strings.ReplaceAll(out, ansi.RequestKittyKeyboard, "")
	_, _ = term.Write([]byte(out))
}

func frame(lines ...string) tea.View {
	v := tea.NewView(strings.Join(lines, "\n"))
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "chat"
	return v
}

// newTestRenderer draws only when the test flushes.
func newTestRenderer(t *testing.T, w, h int, p colorprofile.Profile) (*lineRenderer, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	r := newLineRenderer(out, p, w, h)
	t.Cleanup(r.close)
	return r, out
}

func TestLineRendererDrawsOnlyChangedLines(t *testing.T) {
	r, out := newTestRenderer(t, 10, 3, colorprofile.TrueColor)
	term := vt.NewEmulator(10, 3)
	r.render(frame("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"))
	r.flush()
	first := out.take()
	for _, want := range []string{ansi.SetModeAltScreenSaveCursor, ansi.SetModeMouseButtonEvent, ansi.SetModeMouseExtSgr,
		ansi.HideCursor, ansi.SetModeBracketedPaste, ansi.PushKittyKeyboard(1), ansi.SetWindowTitle("chat")} {
		if !strings.Contains(first, want) {
			t.Errorf("first frame lacks %q", want)
		}
	}
	show(term, first)
	if got := term.String(); got != "aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc" {
		t.Fatalf("screen after the first frame:\n%s", got)
	}

	r.render(frame("aaaaaaaaaa", "bbbbBBbbbb", "cccccccccc"))
	r.flush()
	second := out.take()
	if strings.Contains(second, "aaaa") || strings.Contains(second, "cccc") || strings.Contains(second, "bbbbB") ||
		!strings.Contains(second, ansi.CursorPosition(5, 2)+ansi.ResetStyle+ansi.EraseLineRight+"BBbbbb") {
		t.Fatalf("second frame wrote more than the changed part of the line: %q", second)
	}
	show(term, second)
	if got := term.String(); got != "aaaaaaaaaa\nbbbbBBbbbb\ncccccccccc" {
		t.Fatalf("screen after the second frame:\n%s", got)
	}

	r.flush()
	if got := out.take(); got != "" {
		t.Fatalf("an unchanged frame wrote %q", got)
	}
}

func TestLineRendererRedrawsAfterResizeAndResync(t *testing.T) {
	r, out := newTestRenderer(t, 4, 2, colorprofile.TrueColor)
	r.render(frame("abcd", "efgh"))
	r.flush()
	out.take()

	r.resize(3, 2)
	r.render(frame("abc", "efg"))
	r.flush()
	got := out.take()
	if !strings.Contains(got, ansi.EraseEntireScreen) || !strings.Contains(got, "abc") || !strings.Contains(got, "efg") {
		t.Fatalf("after a resize: %q", got)
	}

	r.invalidate() // a slow client missed frames
	r.flush()
	got = out.take()
	if !strings.Contains(got, ansi.EraseEntireScreen) || !strings.Contains(got, "abc") || !strings.Contains(got, "efg") {
		t.Fatalf("after invalidate: %q", got)
	}
}

func TestLineRendererFitsTheHeight(t *testing.T) {
	r, out := newTestRenderer(t, 3, 2, colorprofile.TrueColor)
	term := vt.NewEmulator(3, 2)
	r.render(frame("one", "two", "six")) // one line too many: the top goes
	r.flush()
	show(term, out.take())
	if got := term.String(); got != "two\nsix" {
		t.Fatalf("screen:\n%s", got)
	}
	r.render(frame("new")) // one line too few: the rest is cleared
	r.flush()
	show(term, out.take())
	if got := term.String(); strings.TrimSpace(got) != "new" {
		t.Fatalf("screen:\n%q", got)
	}
}

func TestLineRendererConvertsColours(t *testing.T) {
	r, out := newTestRenderer(t, 5, 1, colorprofile.ANSI256)
	r.render(frame("\x1b[38;2;165;148;255mhello\x1b[m"))
	r.flush()
	got := out.take()
	if strings.Contains(got, "38;2;") || !strings.Contains(got, "38;5;") {
		t.Fatalf("true colour not converted to 256 colours: %q", got)
	}
}

func TestLineRendererRestoresTheTerminal(t *testing.T) {
	out := &syncBuffer{}
	r := newLineRenderer(out, colorprofile.TrueColor, 4, 1)
	r.render(frame("abcd"))
	r.flush()
	out.take()
	r.close()
	got := out.take()
	for _, want := range []string{ansi.ResetModeAltScreenSaveCursor, ansi.ShowCursor, ansi.ResetModeMouseButtonEvent,
		ansi.ResetModeBracketedPaste, ansi.PopKittyKeyboard(1), ansi.SetWindowTitle("")} {
		if !strings.Contains(got, want) {
			t.Errorf("closing lacks %q: %q", want, got)
		}
	}
	r.render(frame("late"))
	r.flush()
	if got := out.take(); got != "" {
		t.Fatalf("drew after close: %q", got)
	}
}

func TestResumeAt(t *testing.T) {
	red, blue := "\x1b[31m", "\x1b[34m"
	for _, c := range []struct {
		name, old, line string
		col             int
		rest, style     string
		ok              bool
	}{
		{"plain", "list│old text", "list│new text", 5, "new text", "", true},
		{"style carried", red + "list" + ansi.ResetStyle + blue + "│old", red + "list" + ansi.ResetStyle + blue + "│new", 5, "new", blue, true},
		{"style differs", red + "ab" + blue + "cd", red + "ab" + red + "cd", 2, red + "cd", red, true},
		{"wide", "界x", "界y", 2, "y", "", true},
		{"cluster", "❤️ old", "❤️ new", 0, "", "", false},
		{"hyperlink", "\x1b]8;;http://x\x07a\x1b]8;;\x07 old", "\x1b]8;;http://x\x07a\x1b]8;;\x07 new", 0, "", "", false},
		{"differs at once", "abc", "xbc", 0, "xbc", "", true},
		{"combining mark", "ab e\u0301x", "ab e\u0300x", 0, "", "", false},
	} {
		col, cut, style, ok := resumeAt(c.old, c.line)
		if ok != c.ok || (ok && (col != c.col || c.line[cut:] != c.rest || style != c.style)) {
			t.Errorf("%s: col %d rest %q style %q ok %v; want %d %q %q %v", c.name, col, c.line[cut:], style, ok, c.col, c.rest, c.style, c.ok)
		}
	}
}

// FuzzResumeAt: whatever two lines, resuming is either refused or cuts
// the new line where both agree.
func FuzzResumeAt(f *testing.F) {
	f.Add("list│old text", "list│new text")
	f.Add("\x1b[31mab\x1b[34mcd", "\x1b[31mab\x1b[31mcd")
	f.Add("❤️ old", "❤️ new")
	f.Fuzz(func(t *testing.T, old, line string) {
		col, cut, _, ok := resumeAt(old, line)
		if !ok {
			return
		}
		if cut < 0 || cut > len(line) || cut > len(old) || old[:cut] != line[:cut] || col < 0 || col > ansi.StringWidth(line[:cut])+cut {
			t.Fatalf("resumeAt(%q, %q) = col %d cut %d", old, line, col, cut)
		}
	})
}

func TestLineRendererWaitsForTheFrameOfTheNewSize(t *testing.T) {
	r, out := newTestRenderer(t, 6, 2, colorprofile.TrueColor)
	term := vt.NewEmulator(4, 2)
	r.render(frame("abcdef", "ghijkl"))
	r.flush()
	out.take()
	r.resize(4, 2)
	r.render(frame("abcdef", "ghijkl")) // the old frame, handed over again before the new layout
	r.flush()
	if got := out.take(); got != "" {
		t.Fatalf("the frame of the old size was drawn on the new one: %q", got)
	}
	r.render(frame("abcd", "ghij"))
	r.flush()
	show(term, out.take())
	if got := term.String(); got != "abcd\nghij" {
		t.Fatalf("screen after the resize:\n%s", got)
	}
}

func TestLineRendererNeverWrapsALine(t *testing.T) {
	r, out := newTestRenderer(t, 4, 2, colorprofile.TrueColor)
	term := vt.NewEmulator(4, 2)
	r.render(frame("\x1b[31mabcdef\x1b[m", "ghij")) // one line too wide
	r.flush()
	show(term, out.take())
	if got := term.String(); got != "abcd\nghij" {
		t.Fatalf("screen:\n%s", got)
	}
	r.render(frame("\x1b[31mabcdef\x1b[m", "klmn")) // the wide line again, unchanged
	r.flush()
	second := out.take()
	if strings.Contains(second, "abcd") {
		t.Fatalf("the unchanged wide line was written again: %q", second)
	}
	show(term, second)
	if got := term.String(); got != "abcd\nklmn" {
		t.Fatalf("screen:\n%s", got)
	}
}

// A resync (frames skipped for a slow client) redraws the whole screen by
// itself: no new frame has to come for the terminal to be right again.
func TestLineRendererRedrawsAfterResyncWithoutANewFrame(t *testing.T) {
	r, out := newTestRenderer(t, 4, 2, colorprofile.TrueColor)
	r.render(frame("abcd", "efgh"))
	r.flush()
	out.take()
	r.invalidate()
	deadline := time.Now().Add(5 * time.Second)
	var got string
	for !strings.Contains(got, ansi.EraseEntireScreen) || !strings.Contains(got, "abcd") || !strings.Contains(got, "efgh") {
		if time.Now().After(deadline) {
			t.Fatalf("no redraw after a resync; wrote %q", got)
		}
		time.Sleep(5 * time.Millisecond)
		got += out.take()
	}
}

// Nothing is written while a session has no new frame.
func TestLineRendererIdleWritesNothing(t *testing.T) {
	r, out := newTestRenderer(t, 4, 1, colorprofile.TrueColor)
	r.render(frame("abcd"))
	r.flush()
	out.take()
	r.render(frame("abcd"))
	time.Sleep(50 * time.Millisecond)
	r.flush()
	if got := out.take(); got != "" {
		t.Fatalf("an unchanged frame wrote %q", got)
	}
}

// Lines redrawn one row higher (a scrolling pane), their styles converted
// from those kept: the screen is what converting anew would give.
func TestLineRendererReusesConvertedLines(t *testing.T) {
	red := func(s string) string { return "\x1b[38;2;200;30;30m" + s + ansi.ResetStyle }
	rows := []string{red("one "), red("two "), red("thre"), red("four"), red("five")}
	for _, p := range []colorprofile.Profile{colorprofile.ANSI256, colorprofile.ANSI, colorprofile.Ascii} {
		r, out := newTestRenderer(t, 4, 2, p)
		term := vt.NewEmulator(4, 2)
		for i := 0; i+1 < len(rows); i++ {
			r.render(frame(rows[i], rows[i+1]))
			r.flush()
			show(term, out.take())
			fresh := vt.NewEmulator(4, 2)
			var want strings.Builder
			w := colorprofile.Writer{Forward: &want, Profile: p}
			_, _ = w.WriteString(rows[i] + "\r\n" + rows[i+1])
			_, _ = fresh.Write([]byte(want.String()))
			if term.Render() != fresh.Render() {
				t.Fatalf("%v frame %d:\n got %q\nwant %q", p, i, term.Render(), fresh.Render())
			}
		}
		if len(r.conv.sgr) == 0 {
			t.Fatalf("%v: no conversions kept", p)
		}
	}
}

// Frames that change at random, some rows only past a styled list on the
// left as a scrolling pane does: whatever the renderer reuses (resume
// points, converted lines), the terminal shows what a full redraw shows.
func TestLineRendererRandomFramesMatchAFullRedraw(t *testing.T) {
	const w, h = 24, 6
	for seed := range uint64(4) {
		randomFrames(t, w, h, rand.New(rand.NewPCG(seed, 2)))
	}
}

// testStyles are what random frames are styled with.
var testStyles = []string{"", "\x1b[1m", "\x1b[38;2;90;200;120m", "\x1b[48;5;236m\x1b[3m"}

// randomCells is n random cells of plain text.
func randomCells(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte("abcxyz .-"[rng.IntN(9)])
	}
	return b.String()
}

// drawnAfresh is what a terminal of w×h in profile p shows with lines
// drawn on it from scratch, each on its own.
func drawnAfresh(w, h int, p colorprofile.Profile, lines []string) string {
	fresh := vt.NewEmulator(w, h)
	var want strings.Builder
	cw := colorprofile.Writer{Forward: &want, Profile: p}
	_, _ = cw.WriteString(strings.Join(lines, ansi.ResetStyle+"\r\n"))
	_, _ = fresh.Write([]byte(want.String()))
	return fresh.Render()
}

func randomFrames(t *testing.T, w, h int, rng *rand.Rand) {
	t.Helper()
	part := func(n int) string {
		st := testStyles[rng.IntN(len(testStyles))]
		return st + randomCells(rng, n) + ansi.ResetStyle
	}
	lists := []string{part(8), part(8), part(8)}
	// A pane part ends in plain spaces, or in spaces of a background.
	pane := func() string {
		if rng.IntN(4) == 0 {
			return part(w-12) + "\x1b[48;5;236m   "
		}
		return part(w-12) + "   "
	}
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
		r, out := newTestRenderer(t, w, h, p)
		term := vt.NewEmulator(w, h)
		rows := make([]string, h)
		for i := range rows {
			rows[i] = lists[rng.IntN(len(lists))] + "│" + pane()
		}
		for range 200 {
			switch rng.IntN(3) {
			case 0: // the pane scrolls by one
				for i := range h - 1 {
					rows[i] = rows[i][:strings.Index(rows[i], "│")] + rows[i+1][strings.Index(rows[i+1], "│"):]
				}
				rows[h-1] = lists[0] + "│" + pane()
			case 1: // a list row changes
				i := rng.IntN(h)
				rows[i] = lists[rng.IntN(len(lists))] + rows[i][strings.Index(rows[i], "│"):]
			default: // a whole row changes
				rows[rng.IntN(h)] = part(8) + "│" + pane()
			}
			r.render(frame(rows...))
			r.flush()
			show(term, out.take())
			if want := drawnAfresh(w, h, p, rows); term.Render() != want {
				t.Fatalf("%v: screen\n%s\nwant\n%s", p, term.Render(), want)
			}
		}
	}
}

func TestTrimBlankEnd(t *testing.T) {
	red, bg := "\x1b[31m", "\x1b[44m"
	for _, c := range []struct {
		in    string
		plain bool
		want  string
	}{
		{"text   ", true, "text"},
		{"text   ", false, "text   "}, // in some style from before
		{red + "x" + ansi.ResetStyle + " y   ", false, red + "x" + ansi.ResetStyle + " y"},
		{red + "x" + "\x1b[0m" + "   ", true, red + "x" + "\x1b[0m"},
		{bg + "x   " + ansi.ResetStyle, true, bg + "x   " + ansi.ResetStyle}, // the spaces are styled
		{bg + "x   ", true, bg + "x   "},
		{"\x1b]8;;http://x\x1b\\" + "link   ", true, "\x1b]8;;http://x\x1b\\" + "link   "},
		{"   ", true, ""},
		{"no end", true, "no end"},
	} {
		if got := trimBlankEnd(c.in, c.plain); got != c.want {
			t.Errorf("trimBlankEnd(%q, %v) = %q, want %q", c.in, c.plain, got, c.want)
		}
	}
}

// TestLineRendererRowsMatchAFullRedraw: frames handed over as rows of
// segments (the list, a separator, the pane, and sometimes a side panel)
// draw what the whole frame drawn afresh shows, while the pane scrolls
// beside a list that mostly stays, lists that end in a style or not, and
// frames that now and then come as one string instead.
func TestLineRendererRowsMatchAFullRedraw(t *testing.T) {
	const w, h, listW = 30, 6, 8
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 7))
		cells := func(n int) string { return randomCells(rng, n) }
		part := func(n int) string {
			st := testStyles[rng.IntN(len(testStyles))]
			switch rng.IntN(5) {
			case 0: // a style left on at the end
				return ansi.ResetStyle + cells(n-1) + st + "x"
			case 1: // plain text only
				return cells(n)
			}
			return st + cells(n) + ansi.ResetStyle
		}
		lists := []string{part(listW), part(listW), part(listW)}
		pane := func(n int) string {
			if rng.IntN(4) == 0 {
				return part(n-3) + "\x1b[48;5;236m   "
			}
			return part(n-3) + "   "
		}
		for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI} {
			r, out := newTestRenderer(t, w, h, p)
			term := vt.NewEmulator(w, h)
			side := rng.IntN(2) == 0
			row := func() []string {
				if side {
					return []string{lists[rng.IntN(len(lists))], "│", pane(w - listW - 1 - 6), "│", part(5)}
				}
				return []string{lists[rng.IntN(len(lists))], "│", pane(w - listW - 1)}
			}
			rows := make([][]string, h)
			lead := make([]int, h)
			for i := range rows {
				rows[i], lead[i] = row(), listW
				if seed%2 == 1 {
					lead[i] = 0 // the list's width not told: looked into only
				}
			}
			rows[0], lead[0] = []string{part(w)}, 0 // a status line
			for range 150 {
				switch rng.IntN(5) {
				case 4: // the end of a pane line changes
					i := 1 + rng.IntN(h-1)
					seg := rows[i][2]
					cut := strings.LastIndexByte(seg, ' ')
					if cut > 0 {
						r := append([]string(nil), rows[i]...)
						r[2] = seg[:cut] + "q"
						rows[i] = r
					}
				case 0: // the pane scrolls by one beside the same list
					for i := 1; i < h-1; i++ {
						rows[i] = append([]string{rows[i][0]}, rows[i+1][1:]...)
					}
					rows[h-1] = append([]string{rows[h-1][0]}, row()[1:]...)
				case 1: // a list row changes
					i := 1 + rng.IntN(h-1)
					rows[i] = append([]string{lists[rng.IntN(len(lists))]}, rows[i][1:]...)
				case 2: // a whole row changes
					rows[1+rng.IntN(h-1)] = row()
				default: // the status line changes
					rows[0] = []string{part(w)}
				}
				joined := make([]string, h)
				for i, r := range rows {
					joined[i] = strings.Join(r, "")
				}
				if rng.IntN(10) == 0 {
					r.render(frame(joined...)) // a frame only View draws
				} else {
					r.renderRows(frame(), rows, lead)
				}
				r.flush()
				show(term, out.take())
				if want := drawnAfresh(w, h, p, joined); term.Render() != want {
					t.Fatalf("seed %d, %v: screen\n%s\nwant\n%s", seed, p, term.Render(), want)
				}
			}
		}
	}
}

// TestLineRendererRowsWaitForTheNewSize: after a resize, rows laid out
// for the old size are not drawn again (a resync in between); the next
// rows are.
func TestLineRendererRowsWaitForTheNewSize(t *testing.T) {
	r, out := newTestRenderer(t, 6, 2, colorprofile.Ascii)
	r.renderRows(frame(), [][]string{{"ab", "|", "cdx"}, {"ef", "|", "ghx"}}, []int{2, 2})
	r.flush()
	out.take()
	r.resize(4, 2)
	r.flush() // the old rows: nothing
	if got := out.take(); got != "" {
		t.Fatalf("old-size rows drawn after a resize: %q", got)
	}
	r.renderRows(frame(), [][]string{{"ab", "|", "c"}, {"ef", "|", "g"}}, []int{2, 2})
	r.flush()
	term := vt.NewEmulator(4, 2)
	show(term, out.take())
	if got := term.String(); got != "ab|c\nef|g" {
		t.Fatalf("screen %q", got)
	}
}

// TestStyleAfter: whether a segment leaves the default style on.
func TestStyleAfter(t *testing.T) {
	for _, tt := range []struct {
		s           string
		in          bool
		after, know bool
	}{
		{"plain", true, true, true},
		{"plain", false, false, true},
		{"\x1b[1mbold\x1b[m  ", false, true, true},
		{"\x1b[1mbold\x1b[0m", true, true, true},
		{"\x1b[m\x1b[1mbold", true, false, true},
		{"\x1b[0;1mbold", true, false, true},
		{"\x1b]8;;http://x\x1b\\link\x1b[m", true, true, false},
		{"\x1b[2Kx", true, false, false},
	} {
		after, known := styleAfter(tt.s, tt.in)
		if after != tt.after || known != tt.know {
			t.Errorf("styleAfter(%q, %v) = %v, %v; want %v, %v", tt.s, tt.in, after, known, tt.after, tt.know)
		}
	}
}

// TestMoveToWritesCursorPosition: the renderer's cursor moves are
// ansi.CursorPosition's bytes, and cost no allocation.
func TestMoveToWritesCursorPosition(t *testing.T) {
	var b bytes.Buffer
	for _, row := range []int{-1, 0, 1, 2, 9, 10, 99, 12345} {
		for _, col := range []int{-1, 0, 1, 2, 80, 100, 1000} {
			b.Reset()
			moveTo(&b, col, row)
			if got, want := b.String(), ansi.CursorPosition(col, row); got != want {
				t.Errorf("moveTo(%d, %d) = %q, want %q", col, row, got, want)
			}
		}
	}
	b.Grow(64)
	if n := testing.AllocsPerRun(100, func() {
		b.Reset()
		moveTo(&b, 37, 24)
	}); n != 0 {
		t.Fatalf("a cursor move made %v allocations", n)
	}
}
