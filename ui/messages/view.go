package messages

import (
	"strconv"
	"strings"

	"cometterm/ui/common"
)

// View draws exactly height lines of width cells: the visible messages
// (at the bottom when they do not fill the pane) with a bar beside the
// selected one, then any overlay (older page
// loading, new messages below, the action menu).
func (m *Model) View() string {
	m.refresh()
	m.fresh = 0
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.st.len() == 0 {
		return m.placeholder()
	}
	lines := make([]paneLine, 0, h)
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
			g := " "
			if i == sel && !(selSep && k+off == 0) {
				g = bar
			}
			lines = append(lines, paneLine{g, l})
		}
		off = 0
	}
	if gap := h - len(lines); gap > 0 {
		blank := make([]paneLine, gap)
		for k := range blank {
			blank[k].text = common.Pad(w)
		}
		if m.parentID == 0 {
			// A short conversation sits just above the composer, as in any
			// chat client; a thread's replies follow their parent instead.
			lines = append(blank, lines...)
		} else {
			lines = append(lines, blank...)
		}
	}
	t := m.c.Theme
	if m.older && m.atTop() {
		lines[0] = paneLine{text: centre(t.Hint.Render("loading older messages…"), w)}
	}
	if !m.pinned && m.unseen > 0 {
		word := " new messages ↓"
		if m.unseen == 1 {
			word = " new message ↓"
		}
		lines[h-1] = paneLine{text: centre(t.Hint.Render(strconv.Itoa(m.unseen)+word), w)}
	}
	if m.menu != nil {
		box := m.menuView(w - 2)
		if len(box) > h {
			box = box[len(box)-h:]
		}
		for k, b := range box {
			lines[h-len(box)+k] = paneLine{text: pad("  "+b, w)}
		}
	}
	size := len(lines)
	for _, l := range lines {
		size += len(l.bar) + len(l.text)
	}
	var b strings.Builder
	b.Grow(size)
	for k, l := range lines {
		if k > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.bar)
		b.WriteString(l.text)
	}
	return b.String()
}

// paneLine is a line of the pane: the selection bar's cell (or "" when
// text is the whole line) and the rest.
type paneLine struct{ bar, text string }

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

func (m *Model) placeholder() string {
	text := "No messages yet"
	if m.loading {
		text = "Loading messages…"
	}
	lines := make([]string, m.height)
	for i := range lines {
		lines[i] = common.Pad(m.width)
	}
	lines[m.height/2] = centre(m.c.Theme.Dim.Render(text), m.width)
	return strings.Join(lines, "\n")
}

// centre places a styled string in the middle of a width-cell line.
func centre(s string, width int) string {
	s = common.Truncate(s, width, "…")
	left := max(0, (width-common.Width(s))/2)
	return pad(common.Pad(left)+s, width)
}
