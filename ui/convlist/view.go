package convlist

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
	minute := m.c.Now().Unix() / 60
	if m.drawn != "" && m.drawnVer == m.ver && m.drawnAt == minute {
		return m.drawn
	}
	m.drawn, m.drawnVer, m.drawnAt = m.draw(), m.ver, minute
	return m.drawn
}

func (m *Model) draw() string {
	t := m.c.Theme
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())
	if len(m.shown) == 0 {
		msg := "No conversations yet: press n to start one"
		if m.filter.Value() != "" {
			msg = "Nothing matches"
		}
		for _, l := range strings.Split(lipgloss.Wrap(msg, max(1, m.width-2), " "), "\n") {
			lines = append(lines, " "+t.Dim.Render(l))
		}
	}
	end := min(len(m.shown), m.offset+m.visiblePairs())
	for i := m.offset; i < end; i++ {
		top, bottom := m.rowPair(&m.all[m.shown[i]], i == m.cursor)
		lines = append(lines, top, bottom)
	}
	return common.FitBlock(lines, m.width, m.height, "")
}

func (m *Model) titleLine() string {
	t := m.c.Theme
	if m.filtering || m.filter.Value() != "" {
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

// rowPair renders one conversation: mark, name, age and unread badge on
// top; the last message and, for my own, its receipt mark below.
func (m *Model) rowPair(c *chat.Conversation, selected bool) (string, string) {
	t := m.c.Theme
	bar := " "
	if selected {
		st := t.Dim
		if m.focused {
			st = t.ItemSelected
		}
		bar = st.Render(cursorBar)
	}

	mark, markStyle := m.mark(c)
	markCell := markStyle.Render(mark) + strings.Repeat(" ", max(0, 2-lipgloss.Width(mark)))

	right := t.Dim.Render(RelativeTime(m.c.Now(), activity(c), m.c.Loc))
	if n := int(c.UnreadMessageCount); n > 0 {
		label := strconv.Itoa(n)
		if n > 99 {
			label = "99+"
		}
		right += " " + t.Badge.Render(label)
	}
	nameStyle := t.Item
	switch {
	case selected && m.focused, c.ConversationID == m.active:
		nameStyle = t.ItemSelected
	case c.UnreadMessageCount > 0:
		nameStyle = t.ItemUnread
	}
	nameW := m.width - 4 - lipgloss.Width(right) - 1
	name := ansi.Truncate(c.Title(), max(0, nameW), ellipsis)
	pad := max(0, nameW-lipgloss.Width(name))
	top := bar + markCell + " " + nameStyle.Render(name) + strings.Repeat(" ", pad+1) + right

	prevStyle := t.Dim
	if c.UnreadMessageCount > 0 {
		prevStyle = t.Item
	}
	receipt := ""
	if lm := c.LastMessage; lm != nil && lm.Sender == m.c.Me.UID && !lm.IsAction() && !lm.IsDeleted() {
		receipt = " " + m.receiptMark(lm)
	}
	prevW := m.width - 4 - lipgloss.Width(receipt)
	preview := ansi.Truncate(Preview(c.LastMessage, m.c.Me.UID), max(0, prevW), ellipsis)
	bottom := bar + "   " + prevStyle.Render(preview) + receipt
	return top, bottom
}

func (m *Model) mark(c *chat.Conversation) (string, lipgloss.Style) {
	t := m.c.Theme
	switch {
	case c.WithUser != nil && c.WithUser.Online():
		return markOnline, t.Online
	case c.WithUser != nil:
		return markOffline, t.Offline
	case c.WithGroup != nil:
		switch c.WithGroup.Type {
		case chat.GroupPassword:
			return markPassword, t.Dim
		case chat.GroupPrivate:
			return markPrivate, t.Dim
		}
		return markPublic, t.Dim
	}
	return " ", t.Dim
}

// ReceiptMark is ✓ sent, ✓✓ delivered, ✓✓ in the accent colour read.
func (m *Model) receiptMark(msg *chat.Message) string {
	t := m.c.Theme
	switch {
	case msg.ReadAt != 0:
		return t.ReceiptRead.Render("✓✓")
	case msg.DeliveredAt != 0:
		return t.Receipt.Render("✓✓")
	}
	return t.Receipt.Render("✓")
}
