// Package convlist is the conversation list: one row pair per
// conversation, newest activity first, with a fuzzy filter.
package convlist

import (
	"cmp"
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"

	"cometterm/chat"
	"cometterm/ui/common"
)

// OpenMsg asks the root to open a conversation.
type OpenMsg struct{ Conversation chat.Conversation }

// Model is the conversation list.
type Model struct {
	c    *common.Common
	keys KeyMap

	all    []chat.Conversation // newest activity first
	shown  []int               // indexes into all, after the filter
	cursor int                 // index into shown
	offset int                 // first visible row pair
	active string              // the open conversation

	filter    filterInput
	filtering bool
	focused   bool

	width, height int

	// The view is drawn again only when something changed (ver) or the
	// minute moved on (relative times): lines as of linesVer and linesAt,
	// and joined (drawn) as of joinedVer and joinedAt.
	ver                 int
	lines               []string
	linesVer, joinedVer int
	linesAt, joinedAt   int64
	linesOK             bool
	drawn               string

	// rows are the row pairs last drawn, by conversation id; a
	// conversation's entry goes stale when the conversation changes (and
	// is drawn again in its own room), and each remembers what else it
	// was drawn with (see rowKey). One new message then redraws one row,
	// not the whole list.
	rows    map[string]*drawnRow
	title   drawnTitle
	pal     *paints
	scratch rowScratch

	scores filterScores // the filter's scores of titles, for the current text

	// own is, per conversation, the LastMessage storage this list made
	// itself and never hands out (Get and Selected give a copy): a new
	// message rewrites it in place rather than allocating another, and a
	// busy group brings one to every session many times a second.
	own map[string]*chat.Message
}

// filterScores remembers how the filter's text scores each title: a
// filtered list is re-ranked on every new message, and a title's score
// depends only on the text and the title.
type filterScores struct {
	query string
	of    map[string]filterScore
}

type filterScore struct {
	score   int
	matched bool
}

var _ common.Component = (*Model)(nil)

// New builds an empty list.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), filter: newFilterInput()}
	m.SetTheme()
	return m
}

// SetTheme restyles the filter input after a theme change.
func (m *Model) SetTheme() {
	m.ver++
	st := textinput.DefaultStyles(m.c.Theme.IsDark)
	m.filter.SetStyles(st)
}

// SetSize sets the list's outer size.
func (m *Model) SetSize(w, h int) {
	m.ver++
	m.width, m.height = w, h
	m.filter.SetWidth(max(1, w-3))
	m.clamp()
}

// SetFocused tells the list whether it has the keyboard.
func (m *Model) SetFocused(f bool) {
	m.ver++
	m.focused = f
	if !f && m.filtering {
		// Leaving the input ends typing; a filter with text stays applied
		// (the title shows it) until esc in the list clears it.
		if m.filter.Value() == "" {
			m.stopFilter()
		} else {
			m.filtering = false
			m.filter.Blur()
		}
	}
}

// Filtered reports whether a filter narrows the list (typing or not).
func (m *Model) Filtered() bool { return m.filter.Value() != "" }

// Filtering reports whether the filter input has the keyboard, so the root
// leaves printable keys alone.
func (m *Model) Filtering() bool { return m.filtering }

// SetConversations replaces the whole list.
func (m *Model) SetConversations(cs []chat.Conversation) {
	m.ver++
	clear(m.rows)
	clear(m.own)
	m.all = slices.Clone(cs)
	m.resort("")
}

// Upsert adds or replaces one conversation.
func (m *Model) Upsert(c chat.Conversation) {
	m.ver++
	m.changed(c.ConversationID)
	if i := m.index(c.ConversationID); i >= 0 {
		m.all[i] = c
	} else {
		m.all = append(m.all, c)
	}
	m.resort(m.selectedID())
}

// Remove drops a conversation (left, kicked or banned from a group).
func (m *Model) Remove(id string) {
	m.ver++
	delete(m.rows, id)
	if i := m.index(id); i >= 0 {
		keep := m.selectedID()
		m.all = slices.Delete(m.all, i, i+1)
		delete(m.own, id)
		m.resort(keep)
	}
}

// Get returns a conversation by id.
func (m *Model) Get(id string) (chat.Conversation, bool) {
	if i := m.index(id); i >= 0 {
		return m.handOut(m.all[i]), true
	}
	return chat.Conversation{}, false
}

// handOut is c to give out: its latest message copied when it is in the
// list's own storage, which the next message rewrites.
func (m *Model) handOut(c chat.Conversation) chat.Conversation {
	if c.LastMessage != nil && c.LastMessage == m.own[c.ConversationID] {
		lm := *c.LastMessage
		c.LastMessage = &lm
	}
	return c
}

// setLast makes msg conversation i's latest message, in storage the list
// owns.
func (m *Model) setLast(i int, msg chat.Message) {
	c := &m.all[i]
	p := m.own[c.ConversationID]
	if p == nil || c.LastMessage != p {
		if m.own == nil {
			m.own = map[string]*chat.Message{}
		}
		p = new(chat.Message)
		m.own[c.ConversationID] = p
	}
	*p = msg
	c.LastMessage = p
}

// Len is the number of conversations (before filtering).
func (m *Model) Len() int { return len(m.all) }

// ApplyMessage makes msg the conversation's latest message when it is
// newer, and counts it as unread when asked. It reports false when the
// conversation is not in the list yet.
func (m *Model) ApplyMessage(msg chat.Message, unread bool) bool {
	m.ver++
	i := m.index(msg.ConversationID)
	if i < 0 {
		return false
	}
	m.changed(msg.ConversationID)
	c := &m.all[i]
	if c.LastMessage == nil || c.LastMessage.ID <= msg.ID {
		m.setLast(i, msg)
		c.LatestMessageID = msg.ID
	}
	if msg.SentAt > c.UpdatedAt {
		c.UpdatedAt = msg.SentAt
	}
	if unread {
		c.UnreadMessageCount++
	}
	m.settle(i, m.selectedID())
	return true
}

// ApplyEdit replaces the preview when the edited or deleted message is the
// latest one.
func (m *Model) ApplyEdit(msg chat.Message) {
	m.ver++
	if i := m.index(msg.ConversationID); i >= 0 {
		if lm := m.all[i].LastMessage; lm != nil && lm.ID == msg.ID {
			m.setLast(i, msg)
			m.changed(msg.ConversationID)
		}
	}
}

// ApplyReceipt moves the receipt mark of my latest message.
func (m *Model) ApplyReceipt(r chat.Receipt) {
	m.ver++
	for i := range m.all {
		lm := m.all[i].LastMessage
		if lm == nil || lm.ID != r.MessageID {
			continue
		}
		mm := *lm
		switch r.Type {
		case chat.ReceiptDelivered, chat.ReceiptDeliveredToAll:
			mm.DeliveredAt = cmp.Or(mm.DeliveredAt, r.At)
		case chat.ReceiptRead, chat.ReceiptReadByAll:
			mm.DeliveredAt = cmp.Or(mm.DeliveredAt, r.At)
			mm.ReadAt = cmp.Or(mm.ReadAt, r.At)
		}
		m.setLast(i, mm)
		m.changed(m.all[i].ConversationID)
	}
}

// SetUnread sets a conversation's unread count (0 once read).
func (m *Model) SetUnread(id string, n int) {
	m.ver++
	if i := m.index(id); i >= 0 {
		m.changed(id)
		m.all[i].UnreadMessageCount = chat.Count(n)
		if n == 0 {
			m.all[i].UnreadMentionsCount = 0
		}
	}
}

// SetPresence updates a peer's presence dot.
func (m *Model) SetPresence(uid string, online bool, at int64) {
	m.ver++
	for i := range m.all {
		u := m.all[i].WithUser
		if u == nil || u.UID != uid {
			continue
		}
		uu := *u
		uu.Status = chat.StatusOffline
		if online {
			uu.Status = chat.StatusOnline
		}
		if at != 0 {
			uu.LastActiveAt = at
		}
		m.all[i].WithUser = &uu
		m.changed(m.all[i].ConversationID)
	}
}

// SetActive marks the open conversation and moves the cursor to it.
func (m *Model) SetActive(id string) {
	m.ver++
	m.active = id
	m.moveTo(id)
}

// Selected returns the conversation under the cursor.
func (m *Model) Selected() (chat.Conversation, bool) {
	if m.cursor < 0 || m.cursor >= len(m.shown) {
		return chat.Conversation{}, false
	}
	return m.handOut(m.all[m.shown[m.cursor]]), true
}

// Update handles keys while the list has focus.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	m.ver++
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if m.filtering {
			return m, m.filter.Update(msg)
		}
		return m, nil
	}
	if m.filtering {
		return m, m.updateFilter(kp)
	}
	switch {
	case key.Matches(kp, m.keys.Up):
		m.move(-1)
	case key.Matches(kp, m.keys.Down):
		m.move(1)
	case key.Matches(kp, m.keys.Top):
		m.move(-len(m.shown))
	case key.Matches(kp, m.keys.Bottom):
		m.move(len(m.shown))
	case key.Matches(kp, m.keys.Filter):
		m.filtering = true
		return m, m.filter.Focus()
	case key.Matches(kp, m.keys.ClearFilter):
		if m.filter.Value() != "" {
			m.stopFilter()
		}
	case key.Matches(kp, m.keys.Open):
		return m, m.openSelected()
	}
	return m, nil
}

func (m *Model) updateFilter(kp tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(kp, m.keys.ClearFilter):
		m.stopFilter()
		return nil
	case key.Matches(kp, m.keys.Open):
		m.filtering = false
		m.filter.Blur()
		return m.openSelected()
	case kp.String() == "up" || kp.String() == "ctrl+p":
		m.move(-1)
		return nil
	case kp.String() == "down" || kp.String() == "ctrl+n":
		m.move(1)
		return nil
	}
	before := m.filter.Value()
	cmd := m.filter.Update(kp)
	if m.filter.Value() != before {
		m.applyFilter()
	}
	return cmd
}

func (m *Model) stopFilter() {
	keep := m.selectedID()
	m.filtering = false
	m.filter.Blur()
	m.filter.SetValue("")
	m.resort(keep)
}

func (m *Model) openSelected() tea.Cmd {
	c, ok := m.Selected()
	if !ok {
		return nil
	}
	return func() tea.Msg { return OpenMsg{Conversation: c} }
}

// ClickRow opens the conversation drawn at row y of the list's view.
func (m *Model) ClickRow(y int) tea.Cmd {
	m.ver++
	if y < 1 {
		return nil
	}
	i := m.offset + (y-1)/2
	if i >= len(m.shown) {
		return nil
	}
	m.cursor = i
	return m.openSelected()
}

// Scroll moves the cursor by n rows (mouse wheel).
func (m *Model) Scroll(n int) {
	m.ver++
	m.move(n)
}

func (m *Model) move(d int) {
	m.cursor += d
	m.clamp()
}

func (m *Model) moveTo(id string) {
	for i, j := range m.shown {
		if m.all[j].ConversationID == id {
			m.cursor = i
			break
		}
	}
	m.clamp()
}

// visiblePairs is how many row pairs fit under the title line.
func (m *Model) visiblePairs() int { return max(1, (m.height-1)/2) }

func (m *Model) clamp() {
	m.cursor = max(0, min(m.cursor, len(m.shown)-1))
	vis := m.visiblePairs()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+vis {
		m.offset = m.cursor - vis + 1
	}
	m.offset = max(0, min(m.offset, len(m.shown)-vis))
}

func (m *Model) index(id string) int {
	return slices.IndexFunc(m.all, func(c chat.Conversation) bool { return c.ConversationID == id })
}

func (m *Model) selectedID() string {
	if c, ok := m.Selected(); ok {
		return c.ConversationID
	}
	return m.active
}

// activity orders conversations: the latest message, else the last update.
func activity(c *chat.Conversation) int64 {
	if c.LastMessage != nil && c.LastMessage.SentAt > c.UpdatedAt {
		return c.LastMessage.SentAt
	}
	return c.UpdatedAt
}

// changed forgets the drawn row of conversation id.
func (m *Model) changed(id string) {
	if r := m.rows[id]; r != nil {
		r.stale = true // drawn again in the same room
	}
}

// order is the list's order: newest activity first, then by id.
func order(a, b *chat.Conversation) int {
	if c := cmp.Compare(activity(b), activity(a)); c != 0 {
		return c
	}
	return cmp.Compare(a.ConversationID, b.ConversationID)
}

// resort orders by activity, reapplies the filter and keeps the cursor on
// the conversation keep.
func (m *Model) resort(keep string) {
	slices.SortStableFunc(m.all, func(a, b chat.Conversation) int { return order(&a, &b) })
	m.refilter(keep)
}

// settle is resort after only all[i] changed: it moves that one
// conversation to its place. When the others are not strictly in order
// (or one ties with it), it sorts them all, so the order is always the
// one resort gives.
func (m *Model) settle(i int, keep string) {
	c := &m.all[i]
	at := 0 // how many of the others come before c
	prev := -1
	for k := range m.all {
		if k == i {
			continue
		}
		if prev >= 0 && order(&m.all[prev], &m.all[k]) >= 0 {
			m.resort(keep)
			return
		}
		prev = k
		switch order(&m.all[k], c) {
		case 0:
			m.resort(keep)
			return
		case -1:
			at++
		}
	}
	if at != i {
		moved := *c
		if at < i {
			copy(m.all[at+1:i+1], m.all[at:i])
		} else {
			copy(m.all[i:at], m.all[i+1:at+1])
		}
		m.all[at] = moved
	}
	m.refilter(keep)
}

// refilter reapplies the filter after the order changed and keeps the
// cursor on the conversation keep.
func (m *Model) refilter(keep string) {
	m.applyFilter()
	if keep != "" {
		m.moveTo(keep)
	}
}

// rank appends to into the indexes of all's conversations whose titles
// match q, best first, ties in all's order: what fuzzy.FindFrom gives,
// with each title scored once per filter text.
func (f *filterScores) rank(q string, all []chat.Conversation, into []int) []int {
	if f.query != q || f.of == nil {
		f.query, f.of = q, make(map[string]filterScore, len(all))
	}
	type hit struct{ i, score int }
	hits := make([]hit, 0, len(all))
	for i := range all {
		t := all[i].Title()
		s, ok := f.of[t]
		if !ok {
			if r := fuzzy.Find(q, []string{t}); len(r) > 0 {
				s = filterScore{score: r[0].Score, matched: true}
			}
			f.of[t] = s
		}
		if s.matched {
			hits = append(hits, hit{i, s.score})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.score, a.score) })
	for _, h := range hits {
		into = append(into, h.i)
	}
	return into
}

func (m *Model) applyFilter() {
	m.shown = m.shown[:0]
	if q := m.filter.Value(); q != "" {
		m.shown = m.scores.rank(q, m.all, m.shown)
		m.cursor = 0
	} else {
		for i := range m.all {
			m.shown = append(m.shown, i)
		}
	}
	m.clamp()
}

// ShortHelp is the list's keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.filtering {
		return []key.Binding{m.keys.Open, m.keys.ClearFilter}
	}
	if m.Filtered() {
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Filter, m.keys.ClearFilter}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Filter}
}

// FullHelp is the list's keys for the full help.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Top, m.keys.Bottom}, {m.keys.Open, m.keys.Filter, m.keys.ClearFilter}}
}
