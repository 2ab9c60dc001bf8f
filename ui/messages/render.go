package messages

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Layout of a row. Wide rows read "10:02  Sender           text"; narrow
// rows put "10:02 Sender" on a line of its own and the text under it.
const (
	timeW      = 5
	nameW      = 15
	wideTextAt = timeW + 2 + nameW + 2
	narrowAt   = timeW + 1
	// wideFrom is the narrowest width that still gets the wide layout.
	wideFrom = 60
	// markW reserves room for the longest receipt mark ("✓✓ delivered") and
	// its gap, so a mark changing never changes a message's height; rows
	// too tight for it reserve 3 cells for a mark without words.
	markW = 14
	// groupGap is how close in time two messages of one sender must be to
	// share a header.
	groupGap = 5 * 60
)

// Row is the context a message is drawn in, decided by its neighbours.
type Row struct {
	// Separator is a date label drawn above the message ("" for none).
	Separator string
	// Grouped continues the previous message's sender group: no header.
	Grouped bool
	// Thread shows the "↳ N replies" summary (off inside a thread).
	Thread bool
	// DeliveredBy and ReadBy count the group members who have delivered
	// and read one of my group messages so far.
	DeliveredBy, ReadBy int
}

// Renderer draws messages as lines of styled text of one width. It keeps
// no per-message state, so the pane and the thread view share it.
type Renderer struct {
	c     *common.Common
	names map[string]string // display names by uid
	pal   *palette

	// Reused from message to message: each session's renderer draws
	// every message its pane shows.
	text    styledText
	scratch []byte // a line of text as it is put together
	head    []byte // a header as it is put together
}

// NewRenderer builds a renderer over the shared context.
func NewRenderer(c *common.Common) *Renderer { return &Renderer{c: c} }

// SetNames gives the display names, by uid, used for senders, mentions and
// actions. An empty name is as good as none: the uid is shown.
func (r *Renderer) SetNames(names map[string]string) { r.names = names }

// Name is how a uid is shown: "You" for me, else the best known name.
func (r *Renderer) Name(uid string, e *chat.Entity) string {
	if uid == r.c.Me.UID && uid != "" {
		return "You"
	}
	if e != nil && e.User != nil && e.User.Name != "" {
		return sanitize(e.User.Name)
	}
	if n := r.names[uid]; n != "" {
		return sanitize(n)
	}
	return uid
}

// paints is the palette of the current theme, rebuilt when it changes.
func (r *Renderer) paints() *palette {
	if r.pal == nil || r.pal.theme != r.c.Theme {
		r.pal = newPalette(r.c.Theme)
	}
	return r.pal
}

// Render draws m into lines of exactly width cells.
func (r *Renderer) Render(m *chat.Message, width int, row Row) []string {
	return r.render(m, width, row, "")
}

// render is Render with lead, blank cells, in front of every line, which
// then is width cells plus lead's: the pane's lines come out whole rather
// than each copied once more to put the selection bar's cell in front.
func (r *Renderer) render(m *chat.Message, width int, row Row, lead string) []string {
	width = max(width, 10)
	full := width + len(lead)
	var out []string
	if row.Separator != "" {
		out = append(out, lead+r.separator(row.Separator, width))
	}
	if m.IsAction() {
		for _, l := range r.centred(r.ActionText(m), width) {
			out = append(out, lead+l)
		}
		return out
	}
	wide := width >= wideFrom
	textAt := narrowAt
	if wide {
		textAt = wideTextAt
	}
	textW := width - textAt
	// Tight rows get the marks without words ("✓", "✓✓").
	short := textW < 2*markW
	mark, room := r.receiptMark(m, row, short), markW
	if short {
		room = 3
	}
	header := !row.Grouped
	// The mark sits on the first text line unless a narrow header line
	// carries it; then that line is narrower by markW, and so is the rest
	// (one wrap width keeps the code simple and the column straight).
	if mark != "" && (wide || !header) {
		textW -= room
	}
	indent := common.Pad(len(lead) + textAt)
	p := r.paints()
	markAt := len(out) // the first text line, or the header line that carries the mark
	first := indent    // what goes before the first line of text
	if header {
		// Put together in head, which the wide layout's first line is
		// copied from and the narrow layout's header line shared from.
		h := append(r.head[:0], lead...)
		h = p.time.appendTime(h, time.Unix(m.SentAt, 0).In(r.c.Loc))
		name := common.Truncate(r.Name(m.Sender, m.Data.Entities.Sender), nameW, "…")
		if wide {
			h = append(h, "  "...)
			h = p.sender(m.Sender).appendOn(h, name)
			h = append(append(h, common.Pad(nameW-common.Width(name))...), "  "...)
			first = common.View(h) // read by wrap only
		} else {
			h = append(h, ' ')
			h = p.sender(m.Sender).appendOn(h, name)
			h = append(h, common.Pad(width-timeW-1-common.Width(name))...) // whole, as FitLine would
			out = append(out, common.Shared(h))
		}
		r.head = h
	}
	out = r.body(m).wrap(out, max(textW, 4), p, first, indent, &r.scratch)
	if mark != "" {
		out[markAt] = rightAlign(out[markAt], mark, full)
	}
	if meta := r.meta(m, row); meta != "" {
		out = append(out, indent+common.Truncate(meta, width-textAt, "…"))
	}
	for i := range out {
		out[i] = common.FitLine(out[i], full, "")
	}
	return out
}

// rightAlign puts mark at the right end of a line, over its padding.
func rightAlign(line, mark string, width int) string {
	keep := width - common.Width(mark)
	if w := common.Width(line); w < keep {
		line += common.Pad(keep - w)
	} else {
		line = common.Truncate(line, keep, "")
	}
	return line + mark
}

func (r *Renderer) separator(label string, width int) string {
	label = " " + label + " "
	side := max(0, width-common.Width(label))
	left := side / 2
	return r.paints().date.on(strings.Repeat("─", left) + label + strings.Repeat("─", side-left))
}

// centred wraps a system line and centres each piece.
func (r *Renderer) centred(text string, width int) []string {
	var out []string
	wrapped := ""
	if plainText(text) {
		wrapped = wrapASCII(text, max(width-4, 4))
	} else {
		wrapped = ansi.Wrap(text, max(width-4, 4), "")
	}
	for _, l := range strings.Split(wrapped, "\n") {
		left := max(0, (width-common.Width(l))/2)
		out = append(out, common.Pad(left)+r.paints().system.on(l)+common.Pad(width-left-common.Width(l)))
	}
	return out
}

// body is the styled text of a non-action message.
// It is the renderer's, read before the next call.
func (r *Renderer) body(m *chat.Message) *styledText {
	t := &r.text
	t.reset()
	name := func(uid string) string {
		if u, ok := m.Data.Mentions[uid]; ok && u.Name != "" {
			return sanitize(u.Name)
		}
		return r.Name(uid, nil)
	}
	switch {
	case m.IsDeleted():
		t.add("This message was deleted", spanDeleted, "")
		return t
	case m.Category == chat.CategoryCustom:
		t.add(m.Type+" ", spanDim, "")
		t.add(compactJSON(m.Data.CustomData), spanPlain, "")
	case m.Category == chat.CategoryCall:
		t.add("📞 "+m.Type+" call", spanDim, "")
		if m.Data.Action != "" {
			t.add(" · "+m.Data.Action, spanDim, "")
		}
	case m.Type != chat.TypeText && m.Category == chat.CategoryMessage:
		r.media(t, m, name)
	default:
		t.addRich(m.Data.Text, name)
	}
	if m.EditedAt != 0 {
		t.add(" ", spanPlain, "")
		t.add("(edited)", spanEdited, "")
	}
	return t
}

// media lists each attachment as "📎 image · name · mime · size" and its URL.
func (r *Renderer) media(t *styledText, m *chat.Message, name func(string) string) {
	if m.Data.Text != "" {
		t.addRich(m.Data.Text, name)
		t.add("\n", spanPlain, "")
	}
	if len(m.Data.Attachments) == 0 {
		t.add("📎 "+m.Type+" (no attachment)", spanDim, "")
	}
	for i, a := range m.Data.Attachments {
		if i > 0 {
			t.add("\n", spanPlain, "")
		}
		parts := []string{"📎 " + m.Type}
		for _, p := range []string{sanitize(a.Name), sanitize(a.MimeType), size(a.Size)} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		t.add(strings.Join(parts, " · "), spanDim, "")
		if a.URL != "" {
			url := sanitize(a.URL)
			t.add("\n", spanPlain, "")
			t.add(url, spanLink, url)
		}
	}
}

func size(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// compactJSON shows custom data on one line, keys sorted, cut at 200 bytes.
func compactJSON(v map[string]any) string {
	if len(v) == 0 {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{…}"
	}
	s := sanitize(string(b))
	if len(s) > 200 {
		s = common.Truncate(s, 200, "…")
	}
	return s
}

// receiptMark is the delivery mark on my own messages.
func (r *Renderer) receiptMark(m *chat.Message, row Row, short bool) string {
	if m.Sender != r.c.Me.UID || m.IsDeleted() || m.IsAction() {
		return ""
	}
	p := r.paints()
	word := func(s string) string {
		if short {
			return ""
		}
		return " " + s
	}
	switch {
	case m.ReadAt != 0:
		return p.receiptRead.on("✓✓" + word("read"))
	case row.ReadBy > 0:
		return p.receiptRead.on("✓✓" + word(fmt.Sprintf("read by %d", min(row.ReadBy, 999))))
	case m.DeliveredAt != 0:
		return p.receipt.on("✓✓" + word("delivered"))
	case row.DeliveredBy > 0:
		return p.receipt.on("✓✓" + word(fmt.Sprintf("%d delivered", min(row.DeliveredBy, 999))))
	}
	return p.receipt.on("✓" + word("sent"))
}

// meta is the line under a message: thread summary and reactions.
func (r *Renderer) meta(m *chat.Message, row Row) string {
	p := r.paints()
	var parts []string
	if row.Thread && m.ReplyCount > 0 {
		word := "replies"
		if m.ReplyCount == 1 {
			word = "reply"
		}
		parts = append(parts, p.thread.on(fmt.Sprintf("↳ %d %s", m.ReplyCount, word)))
	}
	if !m.IsDeleted() {
		var rs []string
		for _, rc := range m.Data.Reactions {
			if rc.Count <= 0 {
				continue
			}
			st := p.reaction
			if rc.ReactedByMe {
				st = p.reactionMine
			}
			rs = append(rs, st.on(sanitize(rc.Reaction)+" "+strconv.Itoa(rc.Count)))
		}
		if len(rs) > 0 {
			parts = append(parts, strings.Join(rs, "  "))
		}
	}
	return strings.Join(parts, "   ")
}
