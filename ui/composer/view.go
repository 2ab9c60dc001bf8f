package composer

import (
	"strings"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Height is how many lines View draws: the popup, a status line when
// editing or in error, and the bordered input.
func (m *Model) Height() int {
	h := m.in.Height() + 2
	if m.popup != popupNone {
		h += len(m.items)
	}
	if m.hasStatus() {
		h++
	}
	return h
}

// hasStatus reports whether statusLine draws a line, without drawing it.
func (m *Model) hasStatus() bool { return m.errText != "" || m.editing != nil }

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

// viewKey is what the view is drawn from: the textarea's state, the
// status line's inputs (rather than the line, which it would take a
// render to get), the size, the frames and the popup.
type viewKey struct {
	in          inputState
	placeholder string
	errText     string
	editing     bool
	editID      chat.ID
	theme       *common.Theme
	width       int
	framesGen   int
	items       *candidate // the popup's slice, by identity
	nItems, sel int
}

func (m *Model) viewKey() viewKey {
	k := viewKey{
		in: *m.in.state(), placeholder: m.in.Placeholder(), errText: m.errText, theme: m.c.Theme,
		width: m.width, framesGen: m.framesGen, nItems: len(m.items), sel: m.sel,
	}
	if m.editing != nil {
		k.editing, k.editID = true, m.editing.ID
	}
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
	if m.in.Focused() {
		f = m.frames[1]
	}
	lines = append(lines, f.top)
	inner := max(0, m.width-4)
	for line := range strings.SplitSeq(m.in.View(), "\n") {
		lines = append(lines, f.left+common.FitLine(line, inner, "…")+f.right)
	}
	lines = append(lines, f.bottom)
	return strings.Join(lines, "\n")
}
