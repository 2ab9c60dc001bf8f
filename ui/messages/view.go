package messages

import (
	"slices"
	"strconv"
	"strings"

	"cometterm/ui/common"
)

// View draws exactly height lines of width cells: the visible messages
// (at the bottom when they do not fill the pane) with a bar beside the
// selected one, then any overlay (older page
// loading, new messages below, the action menu).
func (m *Model) View() string {
	m.viewBuf = m.ViewLines(m.viewBuf)
	return strings.Join(m.viewBuf, "\n")
}

// ViewLines is View's lines, appended to dst. A message's lines are the
// same strings from frame to frame while it is unchanged (each is
// rendered with the bar's blank cell in front), so a frame drawn line by
// line costs no copy of the pane, and a line that did not change is
// known by its pointer.
func (m *Model) ViewLines(dst []string) []string {
	m.refresh()
	m.fresh = 0
	w, h := m.width, m.height
	lines := dst[:0]
	if w <= 0 || h <= 0 {
		return lines
	}
	if m.st.len() == 0 {
		return m.placeholder(lines)
	}
	i, off := m.topPos()
	sel, selSep := m.selectedRow()
	bar := ""
	if sel >= 0 {
		bar = m.c.Theme.ItemSelected.Render("▌")
	}
	for ; i < m.st.len() && len(lines) < h; i++ {
		for k, l := range m.lines(i)[off:] {
			if len(lines) == h {
				break
			}
			if i == sel && !(selSep && k+off == 0) {
				l = bar + l[len(leadCell):]
			}
			lines = append(lines, l)
		}
		off = 0
	}
	if gap := h - len(lines); gap > 0 {
		n := len(lines)
		lines = slices.Grow(lines, gap)[:h]
		blank := common.Pad(w)
		if m.parentID == 0 {
			// A short conversation sits just above the composer, as in any
			// chat client; a thread's replies follow their parent instead.
			copy(lines[gap:], lines[:n])
			for k := range gap {
				lines[k] = blank
			}
		} else {
			for k := n; k < h; k++ {
				lines[k] = blank
			}
		}
	}
	t := m.c.Theme
	if m.older && m.atTop() {
		lines[0] = centre(t.Hint.Render("loading older messages…"), w)
	}
	if !m.pinned && m.unseen > 0 {
		word := " new messages ↓"
		if m.unseen == 1 {
			word = " new message ↓"
		}
		lines[h-1] = centre(t.Hint.Render(strconv.Itoa(m.unseen)+word), w)
	}
	if m.menu != nil {
		box := m.menuView(w - 2)
		if len(box) > h {
			box = box[len(box)-h:]
		}
		for k, b := range box {
			lines[h-len(box)+k] = pad("  "+b, w)
		}
	}
	return lines
}

// leadCell is drawn in front of every line of a message: the selection
// bar's cell, blank. A selected message's lines have it replaced by the
// bar.
const leadCell = " "

// selectedRow is the index of the selected message when focused, and
// whether its first line is a date separator (which gets no bar).
func (m *Model) selectedRow() (int, bool) {
	if !m.focused || m.sel == 0 {
		return -1, false
	}
	i, ok := m.st.find(m.sel)
	if !ok {
		return -1, false
	}
	return i, m.rowFor(i).Separator != ""
}

// placeholder is the empty pane's lines, appended to lines (empty).
func (m *Model) placeholder(lines []string) []string {
	text := "No messages yet"
	if m.loading {
		text = "Loading messages…"
	}
	for range m.height {
		lines = append(lines, common.Pad(m.width))
	}
	lines[m.height/2] = centre(m.c.Theme.Dim.Render(text), m.width)
	return lines
}

// centre places a styled string in the middle of a width-cell line.
func centre(s string, width int) string {
	s = common.Truncate(s, width, "…")
	left := max(0, (width-common.Width(s))/2)
	return pad(common.Pad(left)+s, width)
}
