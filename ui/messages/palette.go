package messages

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"cometterm/ui/common"
)

// paint is a theme style reduced to the escape codes around its text.
// Wrapping text in them is far cheaper than Style.Render, which matters
// when a page of history is drawn for the first time. Only single-line
// attribute and colour styles are reduced this way.
type paint struct{ pre, post string }

func paintOf(st lipgloss.Style) paint {
	s := st.Render("x")
	i := strings.IndexByte(s, 'x')
	if i < 0 {
		return paint{}
	}
	return paint{pre: s[:i], post: s[i+1:]}
}

// appendOn appends p.on(s) to b.
func (p paint) appendOn(b []byte, s string) []byte {
	if p.pre == "" || s == "" {
		return append(b, s...)
	}
	return append(append(append(b, p.pre...), s...), p.post...)
}

// appendTime appends the clock time of t, "15:04", in p.
func (p paint) appendTime(b []byte, t time.Time) []byte {
	if p.pre == "" {
		return t.AppendFormat(b, "15:04")
	}
	return append(t.AppendFormat(append(b, p.pre...), "15:04"), p.post...)
}

func (p paint) on(s string) string {
	if p.pre == "" || s == "" {
		return s
	}
	return p.pre + s + p.post
}

// palette holds the paints of one theme.
type palette struct {
	theme                                              *common.Theme
	time, system, date, thread, reaction, reactionMine paint
	receipt, receiptRead                               paint
	mention, link, edited, dim, deleted                paint
	senders                                            map[string]paint
}

func newPalette(t *common.Theme) *palette {
	return &palette{
		theme: t, time: paintOf(t.Time), system: paintOf(t.System), date: paintOf(t.DateSeparator),
		thread: paintOf(t.ThreadCount), reaction: paintOf(t.Reaction), reactionMine: paintOf(t.ReactionMine),
		receipt: paintOf(t.Receipt), receiptRead: paintOf(t.ReceiptRead),
		mention: paintOf(t.Mention), link: paintOf(t.Link), edited: paintOf(t.Edited),
		dim: paintOf(t.Dim), deleted: paintOf(t.Deleted), senders: map[string]paint{},
	}
}

func (p *palette) sender(uid string) paint {
	s, ok := p.senders[uid]
	if !ok {
		s = paintOf(p.theme.SenderStyle(uid))
		p.senders[uid] = s
	}
	return s
}
