// Package msginfo is the message info panel: when one of my messages was
// sent, and who it was delivered to and read by, and when.
package msginfo

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// KeyMap is the panel's keys (scrolling when the lists are long).
type KeyMap struct{ Up, Down key.Binding }

// DefaultKeyMap returns the panel's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
	}
}

// Model is the message info panel.
type Model struct {
	c        *common.Common
	keys     KeyMap
	msg      chat.Message
	receipts []chat.MessageReceipt
	loading  bool
	err      string
	offset   int

	width, height int
}

var _ common.Component = (*Model)(nil)

// New builds an empty panel.
func New(c *common.Common) *Model { return &Model{c: c, keys: DefaultKeyMap()} }

// SetMessage shows m while its receipts are being fetched.
func (m *Model) SetMessage(msg chat.Message) {
	m.msg, m.receipts, m.loading, m.err, m.offset = msg, nil, true, "", 0
}

// SetReceipts shows the delivered and read marks of every recipient of m.
func (m *Model) SetReceipts(msg chat.Message, rs []chat.MessageReceipt) {
	m.msg, m.receipts, m.loading, m.err = msg, slices.Clone(rs), false, ""
}

// ShowError shows why the receipts could not be fetched.
func (m *Model) ShowError(err error) {
	if err != nil {
		m.err, m.loading = err.Error(), false
	}
}

// Message is the message shown.
func (m *Model) Message() chat.Message { return m.msg }

// SetSize sets the panel's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update scrolls.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, m.keys.Up):
			m.Scroll(-1)
		case key.Matches(kp, m.keys.Down):
			m.Scroll(1)
		}
	}
	return m, nil
}

// Scroll moves the panel's text by n lines (keys and mouse wheel).
func (m *Model) Scroll(n int) {
	m.offset = max(0, min(m.offset+n, len(m.lines())-m.height))
}

// ShortHelp is the panel's keys.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up, m.keys.Down} }

// FullHelp is the panel's keys, grouped.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// stamp is a time of day, with the date when it is not today.
func (m *Model) stamp(at int64) string {
	t, now := time.Unix(at, 0).In(m.c.Loc), m.c.Now().In(m.c.Loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04:05")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// entries lists "Name 10:06:00" for every recipient, those with a time
// first in time order, then the rest ("Name –") by name.
func (m *Model) entries(when func(chat.MessageReceipt) int64) []string {
	rs := slices.Clone(m.receipts)
	slices.SortStableFunc(rs, func(a, b chat.MessageReceipt) int {
		ta, tb := when(a), when(b)
		if (ta == 0) != (tb == 0) {
			if ta == 0 {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(ta, tb); c != 0 {
			return c
		}
		return cmp.Compare(a.User.Name, b.User.Name)
	})
	t := m.c.Theme
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		name := ansi.Strip(r.User.Name)
		if name == "" {
			name = r.User.UID
		}
		if at := when(r); at != 0 {
			out = append(out, name+" "+t.Time.Render(m.stamp(at)))
		} else {
			out = append(out, name+" "+t.Dim.Render("–"))
		}
	}
	return out
}

const labelW = 11

// row lays out a labelled list, wrapping at entry boundaries under a
// hanging indent.
func (m *Model) row(label string, items []string) []string {
	t := m.c.Theme
	lead := t.Bold.Render(label) + strings.Repeat(" ", max(1, labelW-len(label)))
	indent := strings.Repeat(" ", labelW)
	if len(items) == 0 {
		return []string{lead + t.Dim.Render("nobody yet")}
	}
	room := max(10, m.width-labelW-1)
	sep := t.Dim.Render(" · ")
	var out []string
	cur, w := lead, 0
	for _, it := range items {
		iw := ansi.StringWidth(it)
		if w > 0 && w+3+iw > room {
			out = append(out, cur)
			cur, w = indent, 0
		}
		if w > 0 {
			cur += sep
			w += 3
		}
		cur += it
		w += iw
	}
	return append(out, cur)
}

func (m *Model) lines() []string {
	t := m.c.Theme
	if m.msg.ID == 0 {
		return []string{t.Dim.Render("No message selected")}
	}
	out := []string{t.Title.Render("Message #"+m.msg.ID.String()) + t.Dim.Render(" · sent "+m.stamp(m.msg.SentAt))}
	if txt := strings.TrimSpace(ansi.Strip(m.msg.Data.Text)); txt != "" {
		txt = strings.ReplaceAll(txt, "\n", " ")
		out = append(out, t.Dim.Render("“"+ansi.Truncate(txt, max(1, m.width-4), "…")+"”"))
	}
	switch {
	case m.err != "":
		return append(out, t.Error.Render(m.err))
	case m.loading:
		return append(out, t.Dim.Render("loading receipts…"))
	}
	delivered := func(r chat.MessageReceipt) int64 {
		if r.DeliveredAt != 0 {
			return r.DeliveredAt
		}
		return r.ReadAt // read implies delivered
	}
	out = append(out, m.row("Delivered", m.entries(delivered))...)
	return append(out, m.row("Read", m.entries(func(r chat.MessageReceipt) int64 { return r.ReadAt }))...)
}

// View draws the header, a preview of the text and the two lists.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	ls := m.lines()
	ls = ls[min(m.offset, len(ls)):]
	for len(ls) < m.height {
		ls = append(ls, "")
	}
	ls = ls[:m.height]
	for i, l := range ls {
		l = " " + l
		if ansi.StringWidth(l) > m.width {
			l = ansi.Truncate(l, m.width, "…")
		}
		ls[i] = l + strings.Repeat(" ", max(0, m.width-ansi.StringWidth(l)))
	}
	return strings.Join(ls, "\n")
}
