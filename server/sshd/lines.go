package sshd

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// lineRenderer draws a session's frames a whole line at a time: each
// frame, the lines that differ from the last frame are rewritten, and
// nothing else is looked at.
//
// Bubble Tea's own renderer parses every frame into a grid of cells,
// compares every cell with the last frame and looks for scrolls; that is
// what a local terminal wants, but it costs about a millisecond of CPU per
// frame at 100×30 whatever changed, and a server drawing frames for
// hundreds of sessions spent half its time there. Comparing lines as
// strings costs a few microseconds, at the price of more bytes when the
// message pane scrolls (its lines are rewritten rather than scrolled).
//
// The TUI draws frames of exactly the terminal's size, each line exactly
// its width, so a line can be rewritten in place: move to its start,
// clear it, write it. Colours are converted
// to the session's colour profile on the way out, as Bubble Tea does.
type lineRenderer struct {
	out     io.Writer
	profile colorprofile.Profile

	mu      sync.Mutex
	view    tea.View // the newest frame
	have    bool
	width   int
	height  int
	drawn   []string // lines as the terminal shows them
	content string   // the frame they came from
	oldSize string   // the frame laid out for the size before a resize
	full    bool     // the next flush redraws everything
	started bool     // terminal modes set
	closed  bool
	alt     bool
	mouse   tea.MouseMode
	title   string
	buf     bytes.Buffer
	conv    *colourConverter
	resumes []resumePoint // per row, see resumeRow

	// A model that hands its frames over as rows of segments (renderRows)
	// is drawn from those: nothing joins a frame into a string only for
	// it to be split here again.
	byRows    bool       // the newest frame came as rows
	rows      [][]string // the newest frame's rows, copied
	lead      []int      // per row, see ui.Model.ViewRows
	rowsStale bool       // laid out for the size before a resize
	drawnRows [][]string // rows as the terminal shows them
}

// newLineRenderer draws on out until close. Frames are drawn when the
// session computes them (flush): the renderer has no goroutine of its own,
// so an idle session costs no wakeups.
func newLineRenderer(out io.Writer, profile colorprofile.Profile, width, height int) *lineRenderer {
	r := &lineRenderer{out: out, profile: profile, width: width, height: height, full: true}
	r.conv = newColourConverter(profile)
	return r
}

// render takes the newest frame; flush draws it.
func (r *lineRenderer) render(v tea.View) {
	r.mu.Lock()
	r.view, r.have = v, true
	if r.byRows {
		r.byRows, r.full = false, true // what is drawn is known as rows
	}
	r.mu.Unlock()
}

// renderRows takes the newest frame as rows of segments laid out for
// the terminal's size, with v for the rest (its content is not read);
// flush draws it. rows and lead are copied.
func (r *lineRenderer) renderRows(v tea.View, rows [][]string, lead []int) {
	r.mu.Lock()
	r.view, r.have = v, true
	r.rows = copyRows(r.rows, rows)
	r.lead = append(r.lead[:0], lead...)
	r.rowsStale = false
	if !r.byRows {
		r.byRows, r.full = true, true // what is drawn is known as lines
	}
	r.mu.Unlock()
}

// copyRows copies rows into dst, reusing its room.
func copyRows(dst, rows [][]string) [][]string {
	dst = slices.Grow(dst[:0], len(rows))[:len(rows)]
	for y, row := range rows {
		dst[y] = append(dst[y][:0], row...)
	}
	return dst
}

// resize takes the terminal's new size: everything is drawn again, from
// the first frame laid out for it (the frame of the old size is not
// drawn again on the new one).
func (r *lineRenderer) resize(width, height int) {
	r.mu.Lock()
	if width != r.width || height != r.height {
		r.oldSize, r.rowsStale = r.view.Content, r.byRows
	}
	r.width, r.height, r.full = width, height, true
	r.mu.Unlock()
}

// invalidate forgets what the terminal shows (frames were skipped for a
// slow client) and redraws everything soon, whether or not a new frame
// comes.
func (r *lineRenderer) invalidate() {
	r.mu.Lock()
	r.full = true
	r.mu.Unlock()
	go r.flush() // rare: only after a slow client fell behind
}

// flush draws the newest frame's changed lines.
func (r *lineRenderer) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.have || r.closed || r.height <= 0 {
		return
	}
	v := r.view
	if r.byRows {
		if r.rowsStale {
			return // wait for the frame laid out for the new size
		}
	} else {
		if r.oldSize != "" {
			if v.Content == r.oldSize {
				return // wait for the frame laid out for the new size
			}
			r.oldSize = ""
		}
		if r.started && !r.full && v.Content == r.content && v.AltScreen == r.alt &&
			v.MouseMode == r.mouse && v.WindowTitle == r.title {
			return // the frame on screen: comparing one string
		}
		r.content = v.Content
	}
	r.buf.Reset()
	r.buf.WriteString(ansi.SetModeSynchronizedOutput)
	mark := r.buf.Len()
	first := !r.started
	if first {
		// What Bubble Tea's renderer would set up; the query lets a
		// terminal that clusters graphemes say so.
		r.buf.WriteString(ansi.HideCursor + ansi.SetModeBracketedPaste + ansi.RequestModeUnicodeCore)
		r.started = true
	}
	if first || v.AltScreen != r.alt {
		// The keyboard protocol is kept per screen: pop the old screen's
		// entry, switch, push one for the new screen (as Bubble Tea does).
		if !first {
			r.buf.WriteString(ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1))
		}
		if v.AltScreen != r.alt {
			if v.AltScreen {
				r.buf.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.HideCursor)
			} else {
				r.buf.WriteString(ansi.ResetModeAltScreenSaveCursor + ansi.HideCursor)
			}
		}
		r.buf.WriteString(ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + ansi.RequestKittyKeyboard)
		r.alt, r.full = v.AltScreen, true
	}
	if v.MouseMode != r.mouse {
		r.buf.WriteString(mouseModeSeq(r.mouse, v.MouseMode))
		r.mouse = v.MouseMode
	}
	if v.WindowTitle != r.title {
		r.buf.WriteString(ansi.SetWindowTitle(v.WindowTitle))
		r.title = v.WindowTitle
	}
	if r.byRows {
		r.drawRows()
	} else {
		r.drawLines(v)
	}
	r.full = false
	if r.buf.Len() == mark {
		return // nothing changed
	}
	r.buf.WriteString(ansi.ResetModeSynchronizedOutput)
	_, _ = r.out.Write(r.buf.Bytes())
}

// drawLines draws the lines of v's content that changed.
func (r *lineRenderer) drawLines(v tea.View) {
	lines := strings.Split(v.Content, "\n")
	if len(lines) > r.height {
		lines = lines[len(lines)-r.height:] // as Bubble Tea does: the top goes
	}
	if r.full {
		r.buf.WriteString(ansi.ResetStyle + ansi.CursorHomePosition + ansi.EraseEntireScreen)
		r.drawn = r.drawn[:0]
		clear(r.resumes)
	}
	for y, l := range lines {
		if !r.full && y < len(r.drawn) && r.drawn[y] == l {
			continue
		}
		if r.full && len(l) > r.width && ansi.StringWidth(l) > r.width {
			// Never wider than the terminal: a wrapped line would shift
			// every line below it. Checked when the whole screen is drawn
			// (start, resize, resync); frames in between are laid out for
			// the same size.
			// (drawn keeps the line as given, so the next frame's same
			// line is seen as unchanged.)
			l = ansi.Truncate(l, r.width, "")
		}
		if !r.full && y < len(r.drawn) {
			// The start the line shares with what the terminal shows (the
			// conversation list beside a scrolling pane) is left alone.
			if p, ok := r.resumeRow(y, r.drawn[y], l); ok {
				moveTo(&r.buf, p.col+1, y+1)
				r.buf.WriteString(ansi.ResetStyle + ansi.EraseLineRight)
				r.writeConverted(p.style + trimBlankEnd(l[p.cut:], p.style == ""))
				r.buf.WriteString(ansi.ResetStyle)
				continue
			}
		}
		// Cleared first: after a full-width line the cursor rests on its
		// last cell, and clearing from there would take that cell too.
		moveTo(&r.buf, 1, y+1)
		r.buf.WriteString(ansi.EraseEntireLine)
		r.writeConverted(trimBlankEnd(l, true))
		r.buf.WriteString(ansi.ResetStyle)
		if y < len(r.resumes) {
			r.resumes[y] = resumePoint{} // found for a line no longer there
		}
	}
	for y := len(lines); y < len(r.drawn); y++ { // a shorter frame: clear below
		moveTo(&r.buf, 1, y+1)
		r.buf.WriteString(ansi.EraseEntireLine)
	}
	r.drawn = append(r.drawn[:0], lines...)
}

// drawRows draws the rows that changed, each from the first cell that
// differs from what is on screen (resumeRowAt): the segments it shares
// with the screen are skipped without being read, as long as they leave
// the default style on.
func (r *lineRenderer) drawRows() {
	rows, lead := r.rows, r.lead
	if len(rows) > r.height {
		rows, lead = rows[len(rows)-r.height:], lead[len(lead)-r.height:] // as drawLines does
	}
	if r.full {
		r.buf.WriteString(ansi.ResetStyle + ansi.CursorHomePosition + ansi.EraseEntireScreen)
		r.drawnRows = r.drawnRows[:0]
	}
	for y, row := range rows {
		var old []string
		if !r.full && y < len(r.drawnRows) {
			old = r.drawnRows[y]
			if slices.Equal(old, row) {
				continue
			}
		}
		if r.full {
			if n := rowLen(row); n > r.width {
				// Never wider than the terminal (see drawLines).
				if l := strings.Join(row, ""); ansi.StringWidth(l) > r.width {
					row = []string{ansi.Truncate(l, r.width, "")}
				}
			}
		}
		k, at, ok := 0, resumePoint{}, false
		if old != nil {
			k, at, ok = resumeRowAt(old, row, lead[y], r.width)
		}
		if ok {
			moveTo(&r.buf, at.col+1, y+1)
			r.buf.WriteString(ansi.ResetStyle + ansi.EraseLineRight)
		} else {
			// Cleared first, as drawLines does.
			moveTo(&r.buf, 1, y+1)
			r.buf.WriteString(ansi.EraseEntireLine)
		}
		plain, known := true, true
		for ; k < len(row); k++ {
			seg := row[k]
			if ok {
				seg, plain, ok = seg[at.cut:], at.style == "", false
				if plain {
					known = true
				} else {
					r.writeConverted(at.style)
					known = false // not worth knowing: only trimming asks
				}
			}
			if k == len(row)-1 {
				seg = trimBlankEnd(seg, plain && known)
			}
			r.writeConverted(seg)
			if known {
				plain, known = styleAfter(seg, plain)
			}
		}
		r.buf.WriteString(ansi.ResetStyle)
	}
	for y := len(rows); y < len(r.drawnRows); y++ { // a shorter frame: clear below
		moveTo(&r.buf, 1, y+1)
		r.buf.WriteString(ansi.EraseEntireLine)
	}
	r.drawnRows = copyRows(r.drawnRows, rows)
}

// resumeRowAt is where the redraw of a row from old to row may start:
// in segment k, at at (its cut and style within the segment, its column
// on the row). The segments before k are the same in both and leave the
// default style on; the first segment is lead cells wide (0: unknown,
// and only it is looked into), and the ones after it are measured. ok is
// false when the row is best drawn whole.
func resumeRowAt(old, row []string, lead, width int) (k int, at resumePoint, ok bool) {
	if len(old) != len(row) {
		return 0, at, false
	}
	col := 0
	for k < len(row)-1 && old[k] == row[k] {
		if k == 0 && lead <= 0 {
			break // its width is not known
		}
		if plain, known := styleAfter(row[k], true); !known || !plain {
			break // what follows depends on the style the segment leaves
		}
		if k == 0 {
			col = lead
		} else {
			col += ansi.StringWidth(row[k])
		}
		k++
	}
	c, cut, style, found := resumeAt(old[k], row[k])
	if !found {
		c, cut, style = 0, 0, ""
	}
	if col+c <= 0 || col+c >= width-1 {
		return 0, at, false
	}
	return k, resumePoint{col: col + c, cut: cut, style: style}, true
}

func rowLen(row []string) int {
	n := 0
	for _, s := range row {
		n += len(s)
	}
	return n
}

// styleAfter is whether the style is the default one after s, drawn
// from the default style (plain) or not; known is false when s holds an
// escape sequence other than a style, which could leave anything.
func styleAfter(s string, plain bool) (after, known bool) {
	i := strings.LastIndexByte(s, ansi.ESC)
	if i < 0 {
		return plain, true
	}
	rest := s[i:]
	for _, reset := range [...]string{ansi.ResetStyle, "\x1b[0m"} {
		if strings.HasPrefix(rest, reset) {
			return true, allSGR(s)
		}
	}
	if !allSGR(s) {
		return false, false
	}
	return false, true
}

// allSGR reports whether every escape sequence in s sets the style.
func allSGR(s string) bool {
	for {
		i := strings.IndexByte(s, ansi.ESC)
		if i < 0 {
			return true
		}
		s = s[i:]
		if len(s) < 2 || s[1] != '[' {
			return false
		}
		j := 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j == len(s) || s[j] != 'm' {
			return false
		}
		s = s[j+1:]
	}
}

// trimBlankEnd drops the spaces s ends with when they are drawn in the
// default style (plain is whether s starts in it): the line was just
// cleared, so they would write what is there already. A pane line is
// mostly such spaces after a short message.
func trimBlankEnd(s string, plain bool) string {
	t := strings.TrimRight(s, " ")
	if len(t) == len(s) {
		return s
	}
	i := strings.LastIndexByte(t, ansi.ESC)
	if i < 0 {
		if plain {
			return t
		}
		return s
	}
	if rest := t[i:]; strings.HasPrefix(rest, ansi.ResetStyle) || strings.HasPrefix(rest, "\x1b[0m") {
		return t // the last sequence resets the style
	}
	return s
}

// resumePoint is where a line's redraw may start: past its first cut
// bytes, at column col, in style.
type resumePoint struct {
	cut, col int
	style    string
}

// resumeRow is where row y's redraw from old to line may start. The point
// found for the row's last redraw (kept only while the row was not
// rewritten whole since, so it was found in old's bytes) still holds
// while the new line starts with the same bytes up to it: the list beside
// a scrolling pane rarely changes, and its bytes need not be read again.
func (r *lineRenderer) resumeRow(y int, old, line string) (resumePoint, bool) {
	if y < len(r.resumes) {
		if p := r.resumes[y]; p.cut > 0 && p.cut <= len(line) && p.cut <= len(old) && p.col < r.width-1 &&
			line[:p.cut] == old[:p.cut] && (p.cut == len(line) || line[p.cut] < 0x80) {
			return p, true
		}
	}
	col, cut, style, ok := resumeAt(old, line)
	if !ok || col <= 0 || col >= r.width-1 {
		return resumePoint{}, false
	}
	p := resumePoint{cut: cut, col: col, style: style}
	if y >= len(r.resumes) {
		r.resumes = append(r.resumes, make([]resumePoint, y+1-len(r.resumes))...)
	}
	r.resumes[y] = p
	return p, true
}

// writeConverted writes s, its colours converted to the session's
// profile, to the frame being built.
func (r *lineRenderer) writeConverted(s string) { r.conv.write(&r.buf, s) }

// resumeAt finds where line stops being the same as old: the column,
// the byte offset in line, and the style in effect there. ok is false
// when the shared start holds something whose width the terminal might
// see otherwise (a cluster of several code points) or an escape sequence
// other than a style.
func resumeAt(old, line string) (col, cut int, style string, ok bool) {
	d := 0
	for d < len(old) && d < len(line) && old[d] == line[d] {
		d++
	}
	var state byte
	var styles strings.Builder
	for i := 0; i < len(line); {
		// Printable ASCII not followed by something it could combine with.
		if c := line[i]; state == 0 && c >= 0x20 && c < 0x7f && (i+1 == len(line) || line[i+1] < 0x80) {
			if i+1 > d {
				break
			}
			col, i, cut = col+1, i+1, i+1 // printable ASCII: one cell
			continue
		}
		seq, width, n, next := ansi.DecodeSequence(line[i:], state, nil)
		if n <= 0 || i+n > d {
			break // the token where the lines part: resume before it
		}
		switch {
		case strings.HasPrefix(seq, "\x1b["):
			if !isSGR(seq) {
				return 0, 0, "", false
			}
			if seq == ansi.ResetStyle || seq == "\x1b[0m" {
				styles.Reset()
			} else {
				styles.WriteString(seq)
			}
		case seq[0] < 0x20 || seq[0] == 0x7f || seq[0] == 0x1b:
			return 0, 0, "", false
		case len(seq) > 1 && utf8.RuneCountInString(seq) > 1:
			return 0, 0, "", false
		default:
			col += width
		}
		i += n
		cut, state = i, next
	}
	if cut < len(line) && line[cut] >= 0x80 {
		// What follows might join the cell before it (a combining mark,
		// a joiner): only a whole line says how the terminal draws that.
		return 0, 0, "", false
	}
	return col, cut, styles.String(), true
}

// isSGR reports whether a CSI sequence sets the style.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[len(seq)-1] != 'm' {
		return false
	}
	for _, c := range seq[2 : len(seq)-1] {
		if (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// close stops drawing and puts the terminal back as it was.
func (r *lineRenderer) close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	defer r.mu.Unlock()
	if !r.started {
		return
	}
	var b strings.Builder
	b.WriteString(ansi.ResetStyle + ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1))
	b.WriteString(mouseModeSeq(r.mouse, tea.MouseModeNone))
	b.WriteString(ansi.ResetModeBracketedPaste)
	if r.title != "" {
		b.WriteString(ansi.SetWindowTitle(""))
	}
	if r.alt {
		b.WriteString(ansi.ResetModeAltScreenSaveCursor)
	} else {
		b.WriteString(ansi.CursorPosition(1, max(1, len(r.drawn))) + "\r\n")
	}
	b.WriteString(ansi.ShowCursor)
	_, _ = io.WriteString(r.out, b.String())
}

// mouseModeSeq switches mouse reporting from one mode to another.
func mouseModeSeq(from, to tea.MouseMode) string {
	var b strings.Builder
	switch from {
	case tea.MouseModeCellMotion:
		b.WriteString(ansi.ResetModeMouseButtonEvent)
	case tea.MouseModeAllMotion:
		b.WriteString(ansi.ResetModeMouseAnyEvent)
	}
	if from != tea.MouseModeNone && to == tea.MouseModeNone {
		b.WriteString(ansi.ResetModeMouseExtSgr)
	}
	switch to {
	case tea.MouseModeCellMotion:
		b.WriteString(ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr)
	case tea.MouseModeAllMotion:
		b.WriteString(ansi.SetModeMouseAnyEvent + ansi.SetModeMouseExtSgr)
	}
	return b.String()
}

// moveTo writes ansi.CursorPosition(col, row) to b without making a
// string of it: a frame moves the cursor once for every line it changes.
func moveTo(b *bytes.Buffer, col, row int) {
	if row <= 1 && col <= 1 {
		b.WriteString(ansi.CursorHomePosition)
		return
	}
	var num [20]byte
	b.WriteString("\x1b[")
	if row > 0 {
		b.Write(strconv.AppendInt(num[:0], int64(row), 10))
	}
	b.WriteByte(';')
	if col > 0 {
		b.Write(strconv.AppendInt(num[:0], int64(col), 10))
	}
	b.WriteByte('H')
}
