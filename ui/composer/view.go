package composer

import (
	"strings"

	"charm.land/bubbles/v2/textarea"

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

// viewMemo keeps the last drawing with everything it was drawn from. The
// composer is redrawn in every frame, mostly because a message arrived
// elsewhere on the screen; the textarea's view is the costly part, so an
// unchanged composer hands back its last drawing.
type viewMemo struct {
	key  viewKey
	view string
	ok   bool
}

type viewKey struct {
	value, placeholder, status string
	line, col, scroll          int
	focused, selecting         bool
	selFrom, selTo             textarea.Position
	width, height              int
	framesGen                  int
	items                      *candidate // the popup's slice, by identity
	nItems, sel                int
}

func (m *Model) viewKey() viewKey {
	k := viewKey{
		value: m.ta.Value(), placeholder: m.ta.Placeholder, status: m.statusLine(),
		line: m.ta.Line(), col: m.ta.Column(), scroll: m.ta.ScrollYOffset(),
		focused: m.ta.Focused(), width: m.width, height: m.ta.Height(),
		framesGen: m.framesGen, nItems: len(m.items), sel: m.sel,
	}
	k.selFrom, k.selTo, k.selecting = m.ta.Selection()
	if len(m.items) > 0 {
		k.items = &m.items[0]
	}
	return k
}

// View draws the composer, exactly Height() lines of its width.
func (m *Model) View() string {
	k := m.viewKey()
	if m.memo.ok && m.memo.key == k {
		return m.memo.view
	}
	v := m.draw()
	m.memo = viewMemo{key: k, view: v, ok: true}
	return v
}

func (m *Model) draw() string {
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
