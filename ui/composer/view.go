package composer

import (
	"strings"

	"cometterm/ui/common"
)

// Height is how many lines View draws: the popup, a status line when
// editing or in error, and the bordered input.
func (m *Model) Height() int {
	h := m.ta.Height() + 2
	if m.popup != popupNone {
		h += len(m.items)
	}
	if m.statusLine() != "" {
		h++
	}
	return h
}

func (m *Model) statusLine() string {
	t := m.c.Theme
	switch {
	case m.errText != "":
		return " " + t.Error.Render("✗ "+m.errText)
	case m.editing != nil:
		return " " + t.Dim.Render("editing message #"+m.editing.ID.String()+" · esc to cancel")
	}
	return ""
}

// View draws the composer, exactly Height() lines of its width.
func (m *Model) View() string {
	t := m.c.Theme
	var lines []string
	for i, c := range m.items {
		label := c.label
		detail := c.detail
		st, ds := t.Item, t.Dim
		bar := "  "
		if i == m.sel {
			st, bar = t.ItemSelected, t.ItemSelected.Render("▌ ")
		}
		line := bar + st.Render(label)
		if detail != "" {
			line += "  " + ds.Render(detail)
		}
		lines = append(lines, common.FitLine(line, m.width, "…"))
	}
	if s := m.statusLine(); s != "" {
		lines = append(lines, common.FitLine(s, m.width, "…"))
	}
	f := m.frames[0]
	if m.ta.Focused() {
		f = m.frames[1]
	}
	lines = append(lines, f.top)
	inner := max(0, m.width-4)
	for line := range strings.SplitSeq(m.ta.View(), "\n") {
		lines = append(lines, f.left+common.FitLine(line, inner, "…")+f.right)
	}
	lines = append(lines, f.bottom)
	return strings.Join(lines, "\n")
}
