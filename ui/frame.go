package ui

import (
	"slices"
	"strings"
	"unicode/utf8"

	"cometterm/ui/common"

	"github.com/charmbracelet/x/ansi"
)

// Frames are assembled by hand rather than with lipgloss Join and Width:
// every part already draws its own width, so one width check per line is
// all a frame needs, and it runs on every keystroke.

// lineFitter remembers the lines it fitted in the last frames. Most lines
// of a frame are the same as in the one before (a new message changes the
// pane and the list, not the composer, header or footer), and measuring a
// line's width is the costly part of fitting it.
//
// Parts that memoize their view hand back the very same string while
// unchanged, so a whole part is looked up first (comparing a string with
// itself costs nothing); only the lines of a part that changed are looked
// at one by one. Most of those are lines the part had before (a new
// message scrolls the pane by a line or two and redraws one row of the
// list), so each line is first looked for among the lines last fitted in
// the same place of the frame (its slot); other lines are measured: plain
// styled text no wider than the block is padded at once
// (common.SimpleWidth), and only other lines are looked up in the map.
type lineFitter struct {
	fitted map[fitKey]string
	// parts fitted in this frame and in the one before; render turns the
	// page at the start of each frame.
	cur, prev []fittedPart
	// the part last fitted in each slot of a frame
	slots [nSlots]fittedPart

	// The last frame's parts and their layout (laidOK), the last frame
	// joined ("" until frame joins it), and the last frame passed through
	// plainFrame with the result.
	last              frameParts
	laid              laidOut
	laidOK            bool
	lastFrame         string
	lastLen           int  // of the last frame joined, to size the next
	lastDiffers       bool // mayDiffer may hold for a line of lastFrame
	plainIn, plainOut string
	lead              []int // rows', kept for its room
	// The separators of the last theme and width.
	rules rules
	// The status line last fitted: it changes seldom.
	status fittedStatus
	// The blocks of the last frame (main, list, side, events, footer),
	// kept for their room: a frame is built from them and they are not
	// read after.
	blocks [5][]string
	// Per slot, room for the next part that comes as lines: the room of
	// the one before last, which nothing reads any more.
	spare [nSlots][]fittedLine
}

// fittedStatus is a status line fitted to a width, with whether mayDiffer
// holds for it.
type fittedStatus struct {
	src, out string
	w        int
	differs  bool
	ok       bool
}

// frameParts is everything a frame is drawn from: the size, the layout,
// the theme and each part's view.
type frameParts struct {
	geo           geometry
	width, height int
	theme         *common.Theme
	main          [4]string // top to bottom
	nMain         int
	list, side    string
	status        string
	events        string
	footer        string
}

// partLines are the parts of a frame that come as lines rather than as
// one string (see ViewRows): a main part's lines, when not nil, stand
// for main[i], and list's for list.
type partLines struct {
	main [4][]string
	list []string
}

// rules are the separator lines, drawn once per theme and width.
type rules struct {
	theme    *common.Theme
	width    int
	sep, bar string // between columns; above the inspector
}

func (f *lineFitter) rulesFor(t *common.Theme, width int) *rules {
	if r := &f.rules; r.theme != t || r.width != width || r.sep == "" {
		*r = rules{theme: t, width: width, sep: t.Border.Render("│"), bar: t.Border.Render(strings.Repeat("─", width))}
	}
	return &f.rules
}

// laidOut is a frame fitted into its blocks, each line exactly its
// block's width: what frame joins into one string and rows hands out as
// rows of segments. The blocks are the fitter's (see lineFitter.blocks).
type laidOut struct {
	status                   string
	main, list, side, footer []string
	events                   []string
	bar, sep                 string
	withBar                  bool // the inspector's rule goes above events
	differs                  bool // mayDiffer may hold for one of its lines
}

// lay fits the parts into the frame's blocks: the status line, the list,
// main and side columns, the inspector and the footer; ls (or nil) holds
// the parts that come as lines. Laid out from the same parts as last
// time, the layout is the last one. (Parts that come as lines are the
// callers' to reuse, so a layout of them is not compared with the next.)
func (f *lineFitter) lay(p *frameParts, ls *partLines) *laidOut {
	l := &f.laid
	if f.laidOK && ls == nil && f.last == *p {
		return l
	}
	var mainLines [][]string
	var listLines []string
	if ls != nil {
		mainLines, listLines = ls.main[:p.nMain], ls.list
	}
	g := p.geo
	bl := &f.blocks
	*l = laidOut{}
	main, differs := f.blockOf(bl[0][:0], slotMain, g.mainW, g.bodyH, p.main[:p.nMain], mainLines)
	bl[0], l.main = main, main
	if g.listW > 0 {
		list, d := f.blockOf(bl[1][:0], slotList, g.listW, g.bodyH, []string{p.list}, [][]string{listLines})
		bl[1], l.list = list, list
		differs = differs || d
	}
	if g.sideW > 0 {
		side, d := f.blockDiffers(bl[2][:0], slotSide, g.sideW, g.bodyH, p.side)
		bl[2], l.side = side, side
		differs = differs || d
	}
	if st := &f.status; !st.ok || st.src != p.status || st.w != p.width {
		*st = fittedStatus{src: p.status, out: f.fit(p.status, p.width), w: p.width, differs: mayDiffer(p.status), ok: true}
	}
	l.status = f.status.out
	differs = differs || f.status.differs
	r := f.rulesFor(p.theme, p.width)
	l.sep = r.sep
	if g.eventsH > 0 {
		events, d := f.blockDiffers(bl[3][:0], slotEvents, p.width, g.eventsH-1, p.events)
		bl[3], l.events, l.bar, l.withBar = events, events, r.bar, true
		differs = differs || d
	}
	footer, d := f.blockDiffers(bl[4][:0], slotFooter, p.width, g.footerH, p.footer)
	bl[4], l.footer = footer, footer
	l.differs = differs || d
	f.last, f.laidOK, f.lastFrame = *p, ls == nil, ""
	return l
}

// frame is the laid-out frame as one string, a line per row, each
// exactly the terminal's width. A frame drawn from the same parts as the
// last one is the last one.
func (f *lineFitter) frame(p *frameParts) string {
	l := f.lay(p, nil)
	if f.lastFrame != "" {
		return f.lastFrame
	}
	var b strings.Builder
	b.Grow(f.lastLen + f.lastLen/8)
	b.WriteString(l.status)
	for i, line := range l.main {
		b.WriteByte('\n')
		if l.list != nil {
			b.WriteString(l.list[i])
			b.WriteString(l.sep)
		}
		b.WriteString(line)
		if l.side != nil {
			b.WriteString(l.sep)
			b.WriteString(l.side[i])
		}
	}
	if l.withBar {
		b.WriteByte('\n')
		b.WriteString(l.bar)
		for _, line := range l.events {
			b.WriteByte('\n')
			b.WriteString(line)
		}
	}
	for _, line := range l.footer {
		b.WriteByte('\n')
		b.WriteString(line)
	}
	f.lastFrame, f.lastDiffers, f.lastLen = b.String(), l.differs, b.Len()
	return f.lastFrame
}

// rows is the laid-out frame as the rows frame would join, each the
// segments that go side by side on it (the list, a separator, the main
// column, ...), appended to dst with its rows' room reused. lead is, per
// row, the width of its first segment when others follow it (a row of
// the list and the main column), else 0: where a redraw may start when
// the list beside a changed line is the same.
func (f *lineFitter) rows(dst [][]string, l *laidOut, listW int) (rows [][]string, lead []int) {
	rows, lead = dst[:0], f.lead[:0]
	rows = nextRow(rows, l.status)
	lead = append(lead, 0)
	for i, line := range l.main {
		rows = nextRow(rows)
		r := &rows[len(rows)-1]
		w := 0
		if l.list != nil {
			*r = append(*r, l.list[i], l.sep)
			w = listW
		}
		*r = append(*r, line)
		if l.side != nil {
			*r = append(*r, l.sep, l.side[i])
		}
		lead = append(lead, w)
	}
	if l.withBar {
		rows = nextRow(rows, l.bar)
		lead = append(lead, 0)
		for _, line := range l.events {
			rows = nextRow(rows, line)
			lead = append(lead, 0)
		}
	}
	for _, line := range l.footer {
		rows = nextRow(rows, line)
		lead = append(lead, 0)
	}
	f.lead = lead
	return rows, lead
}

// nextRow appends a row of segs to rows, in the room of a row rows held
// before when there is one.
func nextRow(rows [][]string, segs ...string) [][]string {
	if len(rows) < cap(rows) {
		rows = rows[:len(rows)+1]
		rows[len(rows)-1] = append(rows[len(rows)-1][:0], segs...)
		return rows
	}
	return append(rows, append(make([]string, 0, 5), segs...))
}

// plain is plainFrame(frame), remembered for the last frame; the last
// frame laid out is known to need nothing when none of its parts did.
func (f *lineFitter) plain(frame string) string {
	if frame == f.lastFrame && !f.lastDiffers {
		return frame
	}
	if frame != f.plainIn || f.plainOut == "" {
		f.plainIn, f.plainOut = frame, plainFrame(frame)
	}
	return f.plainOut
}

type fitKey struct {
	line string
	w    int
}

type fittedPart struct {
	src     string // the part as drawn ("" for one that came as lines)
	w       int
	lines   []fittedLine
	differs bool // mayDiffer(src)
	own     bool // came as lines: lines is its slot's alone
}

// fittedLine is a line of a part as drawn (src) and fitted (out), and
// whether mayDiffer holds for it.
type fittedLine struct {
	out, src string
	differs  bool
}

// Slots are the places of a frame's parts: the main column's parts top
// to bottom, then the others.
const (
	slotMain   = 0 // to slotMain+3
	slotList   = 4
	slotSide   = 5
	slotEvents = 6
	slotFooter = 7
	nSlots     = 8
	noSlot     = -1
)

// lookAhead is how far past the expected place a line is looked for
// among its slot's last lines: a message of a few lines, or rows that
// moved by a few places.
const lookAhead = 16

// match is the index, from j on, of a line of fp equal to s, or -1.
func (fp *fittedPart) match(s string, j int) int {
	for k := j; k < min(len(fp.lines), j+lookAhead); k++ {
		if fp.lines[k].src == s {
			return k
		}
	}
	return -1
}

// fitterCap bounds what a fitter remembers: a few screens' worth.
const fitterCap = 1024

// maxParts bounds the parts remembered for one frame (it has about ten).
const maxParts = 64

// nextFrame forgets the parts of the frame before last.
func (f *lineFitter) nextFrame() {
	clear(f.prev)
	f.prev, f.cur = f.cur, f.prev[:0]
}

func (f *lineFitter) fit(line string, w int) string {
	if lw, ok := common.SimpleWidth(line); ok && lw <= w && w > 0 {
		if lw == w {
			return line
		}
		return line + common.Pad(w-lw)
	}
	k := fitKey{line, w}
	if out, ok := f.fitted[k]; ok {
		return out
	}
	if f.fitted == nil || len(f.fitted) >= fitterCap {
		f.fitted = make(map[fitKey]string, 256)
	}
	out := common.FitLine(line, w, "")
	f.fitted[k] = out
	return out
}

// part is one part of a frame fitted to width w, to go in slot (or
// noSlot).
func (f *lineFitter) part(p string, w, slot int) *fittedPart {
	fp := f.lookup(p, w)
	if fp == nil {
		fp = f.fitPart(p, w, slot)
	}
	if slot != noSlot {
		f.slots[slot] = *fp
	}
	return fp
}

// lookup is part p at width w if it was fitted in this frame or the one
// before, else nil.
func (f *lineFitter) lookup(p string, w int) *fittedPart {
	for i := range f.cur {
		if fp := &f.cur[i]; fp.w == w && fp.src == p {
			return fp
		}
	}
	for i := range f.prev {
		if fp := &f.prev[i]; fp.w == w && fp.src == p {
			f.cur = append(f.cur, *fp)
			return &f.cur[len(f.cur)-1]
		}
	}
	return nil
}

// fitPart fits the lines of p, taking those that the part last fitted in
// its slot has too from it.
func (f *lineFitter) fitPart(p string, w, slot int) *fittedPart {
	var base *fittedPart
	if slot != noSlot && f.slots[slot].w == w {
		base = &f.slots[slot]
	}
	if len(f.cur) >= maxParts { // a caller that never turns the page
		f.nextFrame()
	}
	fp := fittedPart{src: p, w: w, lines: make([]fittedLine, 0, strings.Count(p, "\n")+1)}
	j := 0 // where the next line is expected among base's
	for line := range strings.SplitSeq(p, "\n") {
		j = f.addLine(&fp, base, line, j)
	}
	f.cur = append(f.cur, fp)
	return &f.cur[len(f.cur)-1]
}

// addLine appends line, fitted to fp.w, to fp: base's fitting of it when
// base has it at j or a little after, else a new one. It returns where
// the next line is expected among base's.
func (f *lineFitter) addLine(fp *fittedPart, base *fittedPart, line string, j int) int {
	k := -1
	if base != nil {
		k = base.match(line, j)
	}
	if k >= 0 {
		fp.lines = append(fp.lines, base.lines[k])
		j = k + 1
	} else {
		// Fitting only pads or cuts, so a fitted line needs plainLine
		// only if its source has such a code point.
		fp.lines = append(fp.lines, fittedLine{out: f.fit(line, fp.w), src: line, differs: mayDiffer(line)})
		j++ // a line changed in place, most likely
	}
	// No code point that mayDiffer looks for spans a newline.
	fp.differs = fp.differs || fp.lines[len(fp.lines)-1].differs
	return j
}

// block cuts or pads the lines of parts (joined top to bottom) to exactly
// w×h cells. The lines are shared with the fitter: callers only read them.
func (f *lineFitter) block(w, h int, parts ...string) []string {
	out, _ := f.blockDiffers(nil, noSlot, w, h, parts...)
	return out
}

// blockDiffers is block, appended to out (empty), for the parts that go
// in slot and the slots after it (or in none), and whether mayDiffer
// holds for any of their lines.
func (f *lineFitter) blockDiffers(out []string, slot, w, h int, parts ...string) (_ []string, differs bool) {
	return f.blockOf(out, slot, w, h, parts, nil)
}

// blockOf is blockDiffers for parts some of which come as lines: lines[i],
// when not nil, is part i (and parts[i] is not read).
func (f *lineFitter) blockOf(out []string, slot, w, h int, parts []string, lines [][]string) (_ []string, differs bool) {
	out = slices.Grow(out, h)
	for i, p := range parts {
		if len(out) == h {
			break
		}
		s := noSlot
		if slot != noSlot {
			s = slot + i
		}
		var fp *fittedPart
		if i < len(lines) && lines[i] != nil && s != noSlot {
			fp = f.fitLines(lines[i], w, s)
		} else {
			if i < len(lines) && lines[i] != nil {
				p = strings.Join(lines[i], "\n")
			}
			fp = f.part(p, w, s)
		}
		differs = differs || fp.differs
		for _, l := range fp.lines[:min(len(fp.lines), h-len(out))] {
			out = append(out, l.out)
		}
	}
	if len(out) < h {
		pad := common.Pad(w)
		for len(out) < h {
			out = append(out, pad)
		}
	}
	return out, differs
}

// fitLines is fitPart for a part that comes as lines, which are looked for
// among those last fitted in slot. Such a part's lines are most often the
// very strings of the last frame (see messages.Model.ViewLines), and
// telling those equal costs a pointer comparison. It is not remembered
// beyond its slot: the caller reuses the lines.
func (f *lineFitter) fitLines(lines []string, w, slot int) *fittedPart {
	old := &f.slots[slot]
	var base *fittedPart
	if old.w == w {
		base = old
	}
	fp := fittedPart{w: w, lines: f.spare[slot][:0], own: true}
	j := 0
	for _, line := range lines {
		j = f.addLine(&fp, base, line, j)
	}
	f.spare[slot] = nil
	if old.own {
		// Only this slot ever held it: the parts fitted from strings
		// share theirs with the frames' lists (cur, prev).
		f.spare[slot] = old.lines[:0]
	}
	*old = fp
	return old
}

// Terminals without grapheme clustering (mode 2027; tmux 3.3a is one)
// advance the cursor once per code point, and Bubble Tea's renderer then
// measures text the same way. A cluster such as ❤️ (a narrow heart plus
// VS16) is one cell there but two in the layout, and 👨‍👩‍👧‍👦 is eight
// cells to the renderer and two to tmux, so everything to the right of it
// on the line shifts. Until the terminal reports mode 2027, every frame
// gets such clusters replaced by a form that is equally wide everywhere:
// the cluster's first code point, padded with spaces to the width the
// layout gave the cluster.

// plainFrame applies plainLine to the lines of a frame that need it.
func plainFrame(frame string) string {
	if !mayDiffer(frame) {
		return frame
	}
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		if mayDiffer(l) {
			lines[i] = plainLine(l)
		}
	}
	return strings.Join(lines, "\n")
}

// mayDiffer reports whether s holds a code point that can make a
// cluster's width per code point differ from its width as a cluster:
// joiners, variation selectors, keycaps, skin tones, tags, and the
// scripts whose conjuncts form one cluster from several letters.
func mayDiffer(s string) bool {
	for i := 0; i < len(s); i++ {
		// Code points below U+0900 never differ, and their UTF-8 bytes
		// (as all continuation bytes) are below 0xE0.
		c := s[i]
		if c < 0xe0 {
			continue
		}
		if c == 0xe2 && i+2 < len(s) {
			// U+2000 to U+2FFF: box drawing, arrows, marks and the like;
			// only ZWJ (E2 80 8D) and the keycap (E2 83 A3) differ.
			if c1, c2 := s[i+1], s[i+2]; c1 >= 0x80 && c1 <= 0xbf && c2 >= 0x80 && c2 <= 0xbf {
				if (c1 == 0x80 && c2 == 0x8d) || (c1 == 0x83 && c2 == 0xa3) {
					return true
				}
				i += 2
				continue
			}
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x200D, r >= 0xFE00 && r <= 0xFE0F, r == 0x20E3,
			r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F,
			r >= 0x900 && r <= 0xDFF, r >= 0x1100 && r <= 0x11FF,
			r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
			return true
		}
	}
	return false
}

// plainLine rewrites the clusters of one styled line whose width as a
// cluster differs from the sum of their code points' widths, or that
// join with ZWJ (tmux joins those by its own rules). Escape sequences pass
// through untouched.
func plainLine(line string) string {
	var b strings.Builder
	b.Grow(len(line) + 8)
	var state byte
	for rest := line; rest != ""; {
		if c := rest[0]; c == 0x1b || c < 0x20 || c == 0x7f {
			seq, _, n, next := ansi.DecodeSequence(rest, state, nil)
			if n == 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(seq)
			state, rest = next, rest[n:]
			continue
		}
		seq, w := ansi.FirstGraphemeCluster(rest, ansi.GraphemeWidth)
		if seq == "" {
			b.WriteString(rest)
			break
		}
		rest = rest[len(seq):]
		if ansi.StringWidthWc(seq) == w && !strings.ContainsRune(seq, 0x200D) {
			b.WriteString(seq)
			continue
		}
		first, _ := utf8.DecodeRuneInString(seq)
		fw := ansi.StringWidthWc(string(first))
		if fw == 0 || fw > w {
			b.WriteString(strings.Repeat("?", w))
			continue
		}
		b.WriteRune(first)
		b.WriteString(strings.Repeat(" ", w-fw))
	}
	return b.String()
}
