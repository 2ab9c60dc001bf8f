package convlist

import (
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Glyphs of the list: presence for people, the join rule for groups.
const (
	markOnline   = "●"
	markOffline  = "○"
	markPublic   = "#"
	markPassword = "🔒"
	markPrivate  = "◆"
	cursorBar    = "▌"
	ellipsis     = "…"
)

// View renders the title line and the visible row pairs, exactly
// width×height cells.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := m.ViewLines()
	if m.drawn != "" && m.joinedVer == m.linesVer && m.joinedAt == m.linesAt {
		return m.drawn
	}
	m.drawn = strings.Join(lines, "\n")
	m.joinedVer, m.joinedAt = m.linesVer, m.linesAt
	return m.drawn
}

// ViewLines is View's lines, exactly height of them. They are the list's,
// read before the next call. A row that did not change is the same string
// from frame to frame.
func (m *Model) ViewLines() []string {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	now := m.c.Now()
	minute := now.Unix() / 60
	if m.linesOK && m.linesVer == m.ver && m.linesAt == minute {
		return m.lines
	}
	m.lines = m.draw(m.lines[:0], now)
	m.linesVer, m.linesAt, m.linesOK = m.ver, minute, true
	return m.lines
}

// draw appends the list's lines to lines (empty): every line is already
// exactly width cells (FitBlock without the measuring).
func (m *Model) draw(lines []string, now time.Time) []string {
	t := m.c.Theme
	lines = append(lines, m.fittedTitle())
	if len(m.shown) == 0 {
		msg := "No conversations yet: press n to start one"
		if m.filter.Value() != "" {
			msg = "Nothing matches"
		}
		for _, l := range strings.Split(lipgloss.Wrap(msg, max(1, m.width-2), " "), "\n") {
			lines = append(lines, common.FitLine(" "+t.Dim.Render(l), m.width, ""))
		}
	}
	end := min(len(m.shown), m.offset+m.visiblePairs())
	for i := m.offset; i < end; i++ {
		r := m.row(&m.all[m.shown[i]], i == m.cursor, now)
		lines = append(lines, r.top, r.bottom)
	}
	lines = lines[:min(len(lines), m.height)]
	for len(lines) < m.height {
		lines = append(lines, common.Pad(m.width))
	}
	return lines
}

// drawnRow is a conversation's row pair as last drawn, fitted to the
// width, with what besides the conversation it was drawn from.
type drawnRow struct {
	key         rowKey
	top, bottom string
	age         ageOf // what key.age was worked out from
	stale       bool  // the conversation changed since
}

// ageOf is what an age label depends on: RelativeTime's thresholds are
// whole seconds (and zone offsets too), so the clock counts only by the
// second.
type ageOf struct {
	now, at int64 // Unix seconds
	loc     *time.Location
}

// rowKey is what a row pair shows besides its conversation (whose changes
// drop the row): the cursor, focus, the open conversation, the size, the
// theme and the age label, which moves with the clock.
type rowKey struct {
	selected, focused, active bool
	width                     int
	theme                     *common.Theme
	age                       string
}

// row is conversation c's row pair, drawn again only when it or its key
// changed.
func (m *Model) row(c *chat.Conversation, selected bool, now time.Time) *drawnRow {
	r := m.rows[c.ConversationID]
	a := ageOf{now: now.Unix(), at: activity(c), loc: m.c.Loc}
	k := rowKey{selected: selected, focused: selected && m.focused, active: c.ConversationID == m.active,
		width: m.width, theme: m.c.Theme}
	if r != nil && r.age == a {
		k.age = r.key.age
	} else {
		k.age = RelativeTime(now, a.at, a.loc)
	}
	if r != nil && !r.stale && r.key == k {
		r.age = a
		return r
	}
	top, bottom := m.rowPair(c, selected, k.age)
	if r == nil {
		r = &drawnRow{}
		if m.rows == nil {
			m.rows = map[string]*drawnRow{}
		}
		m.rows[c.ConversationID] = r
	}
	*r = drawnRow{key: k, top: common.FitLine(top, m.width, ""), bottom: common.FitLine(bottom, m.width, ""), age: a}
	return r
}

// drawnTitle is the title line as last drawn, fitted to the width, with
// what it was drawn from. A filter left set stays in the title while
// messages redraw the list, and drawing the input is costly.
type drawnTitle struct {
	key  titleKey
	line string
}

// titleKey is what the title line shows: the filter input (which changes
// only as its gen counts) or the plain title, at a width and in a theme.
type titleKey struct {
	filter bool
	gen    int // the input's changes; 0 for the plain title
	width  int
	theme  *common.Theme
}

// fittedTitle is the title line fitted to the width, drawn again only
// when its key changed.
func (m *Model) fittedTitle() string {
	k := titleKey{filter: m.showsFilter(), width: m.width, theme: m.c.Theme}
	if k.filter {
		k.gen = m.filter.gen
	}
	if t := &m.title; t.line == "" || t.key != k {
		*t = drawnTitle{key: k, line: common.FitLine(m.titleLine(), m.width, "")}
	}
	return m.title.line
}

// showsFilter reports whether the title line is the filter input: while
// typing, and while a filter with text is applied.
func (m *Model) showsFilter() bool { return m.filtering || m.filter.Value() != "" }

func (m *Model) titleLine() string {
	t := m.c.Theme
	if m.showsFilter() {
		return " " + m.filter.View()
	}
	title := t.Title.Render(" Conversations")
	hint := t.Dim.Render("/ ")
	gap := m.width - lipgloss.Width(title) - lipgloss.Width(hint)
	if gap < 1 {
		return title
	}
	return title + strings.Repeat(" ", gap) + hint
}

// rowPair renders one conversation: mark, name, age (the label given) and
// unread badge on top; the last message and, for my own, its receipt mark
// below. Each line is put together in the list's scratch room and shared
// (common.Shared): every session in a busy group draws its row alike,
// once a frame.
func (m *Model) rowPair(c *chat.Conversation, selected bool, age string) (string, string) {
	p := m.paints()
	var bar *common.Paint // nil: a blank cell
	if selected {
		bar = &p.dim
		if m.focused {
			bar = &p.itemSelected
		}
	}
	sc := &m.scratch

	right := p.dim.AppendOn(sc.right[:0], age)
	if n := int(c.UnreadMessageCount); n > 0 {
		label := "99+"
		if n <= 99 {
			label = strconv.Itoa(n)
		}
		right = p.badge.AppendOn(append(right, ' '), label)
	}
	sc.right = right
	nameStyle := &p.item
	switch {
	case selected && m.focused, c.ConversationID == m.active:
		nameStyle = &p.itemSelected
	case c.UnreadMessageCount > 0:
		nameStyle = &p.itemUnread
	}
	nameW := m.width - 4 - common.LineWidth(common.View(right)) - 1
	name := common.Truncate(c.Title(), max(0, nameW), ellipsis)
	mark, markPaint := m.mark(c)
	b := appendBar(sc.line[:0], bar)
	b = append(markPaint.AppendOn(b, mark), common.Pad(2-common.LineWidth(mark))...)
	b = nameStyle.AppendOn(append(b, ' '), name)
	b = append(append(b, common.Pad(max(0, nameW-common.LineWidth(name))+1)...), right...)
	top := common.Shared(b)

	prevStyle := &p.dim
	if c.UnreadMessageCount > 0 {
		prevStyle = &p.item
	}
	receipt := ""
	if lm := c.LastMessage; lm != nil && lm.Sender == m.c.Me.UID && !lm.IsAction() && !lm.IsDeleted() {
		receipt = " " + m.receiptMark(lm)
	}
	prevW := m.width - 4 - common.LineWidth(receipt)
	sc.preview = appendPreview(sc.preview[:0], c.LastMessage, m.c.Me.UID)
	sc.cut = common.AppendTruncate(sc.cut[:0], common.View(sc.preview), max(0, prevW), ellipsis)
	b = append(appendBar(b[:0], bar), "   "...)
	b = append(prevStyle.AppendOn(b, common.View(sc.cut)), receipt...)
	sc.line = b
	return top, common.Shared(b)
}

// rowScratch is the room a row pair is put together in, kept from row to
// row.
type rowScratch struct{ line, right, preview, cut []byte }

// appendBar appends the selection bar's cell: the bar in paint p, or a
// blank when p is nil.
func appendBar(b []byte, p *common.Paint) []byte {
	if p == nil {
		return append(b, ' ')
	}
	return p.AppendOn(b, cursorBar)
}

func (m *Model) mark(c *chat.Conversation) (string, *common.Paint) {
	p := m.paints()
	switch {
	case c.WithUser != nil && c.WithUser.Online():
		return markOnline, &p.online
	case c.WithUser != nil:
		return markOffline, &p.offline
	case c.WithGroup != nil:
		switch c.WithGroup.Type {
		case chat.GroupPassword:
			return markPassword, &p.dim
		case chat.GroupPrivate:
			return markPrivate, &p.dim
		}
		return markPublic, &p.dim
	}
	return " ", &p.dim
}

// ReceiptMark is ✓ sent, ✓✓ delivered, ✓✓ in the accent colour read.
func (m *Model) receiptMark(msg *chat.Message) string {
	p := m.paints()
	switch {
	case msg.ReadAt != 0:
		return p.receiptRead.Render("✓✓")
	case msg.DeliveredAt != 0:
		return p.receipt.Render("✓✓")
	}
	return p.receipt.Render("✓")
}

// paints are the theme's styles the rows use, reduced to escape codes
// where they can be (rows are drawn again on every message).
type paints struct {
	theme                               *common.Theme
	item, itemSelected, itemUnread, dim common.Paint
	badge, online, offline              common.Paint
	receipt, receiptRead                common.Paint
}

func (m *Model) paints() *paints {
	t := m.c.Theme
	if m.pal == nil || m.pal.theme != t {
		m.pal = &paints{theme: t, item: common.NewPaint(t.Item), itemSelected: common.NewPaint(t.ItemSelected),
			itemUnread: common.NewPaint(t.ItemUnread), dim: common.NewPaint(t.Dim), badge: common.NewPaint(t.Badge),
			online: common.NewPaint(t.Online), offline: common.NewPaint(t.Offline),
			receipt: common.NewPaint(t.Receipt), receiptRead: common.NewPaint(t.ReceiptRead)}
	}
	return m.pal
}
