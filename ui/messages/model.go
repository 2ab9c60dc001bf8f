// Package messages is the message pane: a lazily rendered, scrollable list
// of a conversation's messages that stays pinned to the newest, pages in
// older history one request at a time, and offers per-message actions.
//
// Only visible messages are drawn. Each message's lines are cached by id,
// width and a version that moves when it (or its neighbour) changes; the
// scroll position is a (message, line) anchor, so no work per frame grows
// with the number of messages loaded.
package messages

import (
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// cacheCap bounds how many rendered messages are kept: past it every cache
// is dropped at once and the visible ones are drawn again.
const cacheCap = 4096

// Model is the message pane (also the reply list of a thread view).
type Model struct {
	c    *common.Common
	r    *Renderer
	keys KeyMap
	st   store

	convID   string
	kind     chat.ReceiverType
	title    string
	myScope  chat.Scope
	parentID chat.ID // set in a thread's reply list

	hasMore bool // older history exists on the server
	loading bool // the first page is on its way
	older   bool // a LoadOlder is in flight

	width, height int
	gen           uint32 // bumped on width, theme, name or day change
	theme         *common.Theme
	day           int // the day labels were drawn on (yyyymmdd)
	rendered      int // renders since the caches were last dropped

	// Scroll anchor: when pinned the newest line is at the bottom;
	// otherwise message top has its first off lines above the screen.
	pinned   bool
	top, off int
	unseen   int // messages that arrived while not pinned
	fresh    int // lines of messages added at the bottom since the last View, while pinned

	focused bool
	sel     chat.ID // selected message, 0 for none
	menu    *menu

	replies map[chat.ID]bool // live replies already counted on their parent

	viewBuf []string // View's lines, kept for their room

	// In groups, how far each member has delivered and read (a receipt
	// for a message covers the earlier ones), so my messages can show
	// "read by N" before everyone has read them.
	deliveredUpTo, readUpTo map[string]chat.ID
}

var _ common.Component = (*Model)(nil)

// New builds an empty pane.
func New(c *common.Common) *Model {
	return &Model{c: c, r: NewRenderer(c), keys: DefaultKeyMap(), pinned: true, theme: c.Theme}
}

// Renderer is the pane's renderer, for views that draw a message the same
// way (the thread's parent).
func (m *Model) Renderer() *Renderer { return m.r }

// SetConversation switches the pane to a conversation (dropping what was
// loaded if the id changes). myScope is my scope in a group ("" for 1:1);
// it decides whether I may delete other people's messages.
func (m *Model) SetConversation(id string, kind chat.ReceiverType, title string, myScope chat.Scope) {
	if id != m.convID {
		m.st.reset(nil)
		m.pinned, m.top, m.off, m.unseen = true, 0, 0, 0
		m.sel, m.menu, m.hasMore, m.older = 0, nil, false, false
		m.replies = nil
		m.deliveredUpTo, m.readUpTo = nil, nil
	}
	m.convID, m.kind, m.title, m.myScope = id, kind, title, myScope
}

// SetThread makes the pane the reply list of parent: LoadOlder carries
// the parent id, only its replies are accepted and "reply in thread" is
// not offered.
func (m *Model) SetThread(parent chat.Message) {
	if parent.ID != m.parentID {
		m.st.reset(nil)
		m.pinned, m.top, m.off, m.unseen = true, 0, 0, 0
		m.sel, m.menu, m.hasMore, m.older = 0, nil, false, false
	}
	m.parentID = parent.ID
}

// SetMessages replaces the loaded messages with the newest page; hasMore
// says whether older ones exist. The view pins to the newest.
func (m *Model) SetMessages(msgs []chat.Message, hasMore bool) {
	m.st.reset(msgs)
	m.hasMore, m.loading, m.older = hasMore, false, false
	m.pinned, m.top, m.off, m.unseen, m.fresh = true, 0, 0, 0, 0
	if m.sel != 0 && m.st.get(m.sel) == nil {
		m.sel = 0
	}
}

// Prepend adds an older page (the answer to LoadOlder). The message at the
// top of the screen stays on the same screen line.
func (m *Model) Prepend(older []chat.Message, hasMore bool) {
	m.older, m.hasMore = false, hasMore
	if len(older) == 0 {
		return
	}
	if m.pinned || m.st.len() == 0 {
		m.st.merge(older)
		return
	}
	anchor := m.st.items[m.top].msg.ID
	oldH := m.heightOf(m.top)
	m.st.merge(older)
	m.top, _ = m.st.find(anchor)
	m.off += m.heightOf(m.top) - oldH
	m.normalize()
}

// Upsert adds a new message or replaces an edited or deleted one by id.
// In the main pane a thread reply is not listed: it counts on its parent.
// Messages without a server id (not yet acknowledged) are not listed.
func (m *Model) Upsert(msg chat.Message) {
	if msg.ID <= 0 {
		return
	}
	if m.convID != "" && msg.ConversationID != "" && msg.ConversationID != m.convID {
		return
	}
	if msg.ParentID != m.parentID {
		if m.parentID == 0 {
			m.countReply(msg)
		}
		return
	}
	if e := m.st.get(msg.ID); e != nil {
		keepMarks(&msg, &e.msg)
		e.msg = m.st.keep(msg)
		e.ver++
		return
	}
	i, _ := m.st.find(msg.ID)
	m.st.insertAt(i, msg)
	if m.pinned {
		if m.fresh < m.height { // enough to know it overflows; View draws them anyway
			m.fresh += m.heightOf(i)
		}
		m.trim()
		return
	}
	if i <= m.top {
		m.top++
	}
	if i == m.st.len()-1 {
		if msg.Sender == m.c.Me.UID {
			m.pinned, m.unseen = true, 0 // what I just sent is where I look
		} else {
			m.unseen++
		}
	}
}

// screensKept is how many screens' worth of messages (a message taking at
// least a line) a pane pinned to the newest keeps loaded, and minKept the
// least it keeps however short the pane. A busy conversation left open for
// hours would otherwise hold its whole history in memory, once per session
// on an SSH server; older ones come back as a page when scrolled to.
const (
	screensKept = 4
	minKept     = 50
)

// keepPinned is how many messages a pinned pane keeps: a few screens of
// its current height.
func (m *Model) keepPinned() int { return max(screensKept*m.height, minKept) }

// trimSlack lets that many more than keepPinned gather before trimming, so
// that trimming is not a copy per message.
func trimSlack(keep int) int { return keep / 2 }

// trim drops the oldest messages past keepPinned (only while pinned: the
// anchor of a scrolled pane stays valid), leaving them to LoadOlder.
func (m *Model) trim() {
	keep := m.keepPinned()
	if m.st.len() <= keep+trimSlack(keep) {
		return
	}
	extra := m.st.len() - keep
	if m.sel != 0 && m.sel < m.st.items[extra].msg.ID {
		return // the selected message stays loaded
	}
	m.st.drop(extra)
	m.st.touch(0) // its date separator may now show
	m.hasMore = true
}

// keepMarks carries over what an edit or delete event may leave out:
// receipts, reactions and the reply count.
func keepMarks(msg, old *chat.Message) {
	msg.DeliveredAt = max(msg.DeliveredAt, old.DeliveredAt)
	msg.ReadAt = max(msg.ReadAt, old.ReadAt)
	msg.ReplyCount = max(msg.ReplyCount, old.ReplyCount)
	if msg.Data.Reactions == nil {
		msg.Data.Reactions = old.Data.Reactions
	}
}

// countReply adds a live reply to its parent's count at once. A reply
// whose event comes after a page that already counted it would count
// twice, so the root also asks the server for the parent's count and
// settles it with SetReplyCount.
func (m *Model) countReply(reply chat.Message) {
	e := m.st.get(reply.ParentID)
	if e == nil || m.replies[reply.ID] {
		return
	}
	if m.replies == nil {
		m.replies = map[chat.ID]bool{}
	}
	m.replies[reply.ID] = true
	e.msg.ReplyCount++
	e.ver++
}

// SetReplyCount sets a parent's reply count to the server's figure.
func (m *Model) SetReplyCount(id chat.ID, n int) {
	if e := m.st.get(id); e != nil && e.msg.ReplyCount != n {
		e.msg.ReplyCount = n
		e.ver++
	}
}

// ApplyReceipt moves the marks on my messages: a receipt for a message
// also covers my earlier ones. In groups deliveredToAll and readByAll set
// the marks; single members' receipts count readers ("read by 2").
func (m *Model) ApplyReceipt(r chat.Receipt) {
	me := m.c.Me.UID
	if m.kind == chat.ReceiverGroup && r.Sender != me && (r.Type == chat.ReceiptDelivered || r.Type == chat.ReceiptRead) {
		// Counts are per member and cover earlier ids, so a receipt from
		// another conversation must not count here.
		if chat.GroupConversationID(r.Receiver) == m.convID {
			m.countGroupReceipt(r)
		}
		return
	}
	ok, read := receiptApplies(r, me, m.kind)
	if !ok {
		return
	}
	i, found := m.st.find(r.MessageID)
	if !found {
		i-- // the newest loaded message older than the receipt's
	}
	for ; i >= 0; i-- {
		e := m.st.items[i]
		if e.msg.Sender != me || e.msg.IsAction() {
			continue
		}
		if !setMark(&e.msg, r.At, read) {
			break // marks only move forward: the older ones are set
		}
		e.ver++
	}
}

// countGroupReceipt records how far a member has delivered or read and
// redraws my messages the receipt newly covers.
func (m *Model) countGroupReceipt(r chat.Receipt) {
	upTo := &m.deliveredUpTo
	if r.Type == chat.ReceiptRead {
		upTo = &m.readUpTo
		m.countGroupReceipt(chat.Receipt{MessageID: r.MessageID, Sender: r.Sender, Type: chat.ReceiptDelivered})
	}
	if *upTo == nil {
		*upTo = map[string]chat.ID{}
	}
	old := (*upTo)[r.Sender]
	if r.MessageID <= old {
		return
	}
	(*upTo)[r.Sender] = r.MessageID
	i, found := m.st.find(r.MessageID)
	if !found {
		i--
	}
	for ; i >= 0 && m.st.items[i].msg.ID > old; i-- {
		if e := m.st.items[i]; e.msg.Sender == m.c.Me.UID {
			e.ver++
		}
	}
}

// groupCounts is how many members have delivered and read message id.
func (m *Model) groupCounts(id chat.ID) (delivered, read int) {
	for _, upTo := range m.deliveredUpTo {
		if upTo >= id {
			delivered++
		}
	}
	for _, upTo := range m.readUpTo {
		if upTo >= id {
			read++
		}
	}
	return delivered, read
}

// ApplyReceiptTo moves the mark of one of my messages (a thread's parent)
// if r covers it, with the rules of ApplyReceipt. It reports a change.
func ApplyReceiptTo(msg *chat.Message, r chat.Receipt, me string, kind chat.ReceiverType) bool {
	ok, read := receiptApplies(r, me, kind)
	if !ok || msg.Sender != me || msg.ID > r.MessageID || msg.IsAction() {
		return false
	}
	return setMark(msg, r.At, read)
}

func receiptApplies(r chat.Receipt, me string, kind chat.ReceiverType) (ok, read bool) {
	switch r.Type {
	case chat.ReceiptDelivered, chat.ReceiptRead:
		if kind == chat.ReceiverGroup || r.Sender == me {
			return false, false
		}
	case chat.ReceiptDeliveredToAll, chat.ReceiptReadByAll:
	default:
		return false, false
	}
	return true, r.Type == chat.ReceiptRead || r.Type == chat.ReceiptReadByAll
}

// setMark sets the delivered or read mark unless it is already set.
func setMark(msg *chat.Message, at int64, read bool) bool {
	if read {
		if msg.ReadAt != 0 {
			return false
		}
		msg.ReadAt = at
		msg.DeliveredAt = max(msg.DeliveredAt, at)
		return true
	}
	if msg.DeliveredAt != 0 {
		return false
	}
	msg.DeliveredAt = at
	return true
}

// ApplyReaction adds or takes back one user's reaction.
func (m *Model) ApplyReaction(r chat.Reaction, added bool) {
	if e := m.st.get(r.MessageID); e != nil && ApplyReactionTo(&e.msg, r, added, m.c.Me.UID) {
		e.ver++
	}
}

// ApplyReactionTo updates msg's reaction counts; my own echo of a reaction
// I already have is ignored. It reports a change.
func ApplyReactionTo(msg *chat.Message, r chat.Reaction, added bool, me string) bool {
	if msg.ID != r.MessageID {
		return false
	}
	mine := r.UID == me
	rs := append([]chat.ReactionCount(nil), msg.Data.Reactions...)
	at := -1
	for i := range rs {
		if rs[i].Reaction == r.Reaction {
			at = i
		}
	}
	switch {
	case added && at < 0:
		rs = append(rs, chat.ReactionCount{Reaction: r.Reaction, Count: 1, ReactedByMe: mine})
	case added:
		if mine && rs[at].ReactedByMe {
			return false
		}
		rs[at].Count++
		rs[at].ReactedByMe = rs[at].ReactedByMe || mine
	case at < 0 || (mine && !rs[at].ReactedByMe):
		return false
	default:
		rs[at].Count--
		if mine {
			rs[at].ReactedByMe = false
		}
		if rs[at].Count <= 0 {
			rs = append(rs[:at], rs[at+1:]...)
		}
	}
	msg.Data.Reactions = rs
	return true
}

// Selected is the selected message, if any.
func (m *Model) Selected() (chat.Message, bool) {
	if e := m.selectedEntry(); e != nil {
		return e.msg, true
	}
	return chat.Message{}, false
}

func (m *Model) selectedEntry() *entry {
	if m.sel == 0 {
		return nil
	}
	return m.st.get(m.sel)
}

// Message returns a loaded message by id.
func (m *Model) Message(id chat.ID) (chat.Message, bool) {
	if e := m.st.get(id); e != nil {
		return e.msg, true
	}
	return chat.Message{}, false
}

// LastOwn is my newest loaded text message that can still be edited (for
// "↑ edits the last message"). It looks back at most lastOwnScan messages.
func (m *Model) LastOwn() (chat.Message, bool) {
	for i := m.st.len() - 1; i >= max(0, m.st.len()-lastOwnScan); i-- {
		msg := &m.st.items[i].msg
		if msg.Sender == m.c.Me.UID && msg.Type == chat.TypeText && msg.Category == chat.CategoryMessage && !msg.IsDeleted() {
			return *msg, true
		}
	}
	return chat.Message{}, false
}

const lastOwnScan = 200

// Len is how many messages are loaded.
func (m *Model) Len() int { return m.st.len() }

// SetNames gives the display names, by uid, shown for senders, mentions
// and actions.
func (m *Model) SetNames(names map[string]string) {
	m.r.SetNames(names)
	m.gen++
}

// SetLoading shows that the first page is loading. Setting it false also
// ends an older-page request that failed, so reaching the top asks again.
func (m *Model) SetLoading(loading bool) {
	m.loading = loading
	if !loading {
		m.older = false
	}
}

// SetTheme drops every cached rendering after a theme change.
func (m *Model) SetTheme() { m.gen++ }

// SetFocused gives the pane the keyboard: it selects the newest visible
// message when nothing is selected, and drops the selection on blur.
func (m *Model) SetFocused(f bool) {
	m.focused = f
	if !f {
		m.sel, m.menu = 0, nil
		return
	}
	if m.sel == 0 {
		m.selectBottom()
	}
}

// Focused reports whether the pane has the keyboard.
func (m *Model) Focused() bool { return m.focused }

// MenuOpen reports whether the action menu has the keyboard, so the root
// forwards esc instead of taking it.
func (m *Model) MenuOpen() bool { return m.menu != nil }

// Pinned reports whether the view follows the newest message.
func (m *Model) Pinned() bool { return m.pinned }

// Overflowing reports whether the lines of the messages added since the
// last View fill half the pane: drawn much later, some would scroll past
// unseen.
// Whoever paces frames draws such a pane soon.
func (m *Model) Overflowing() bool {
	return m.pinned && m.height > 0 && m.fresh*2 >= m.height
}

// Crowded reports whether the lines of the messages added since the last
// View fill three quarters of the pane: the next message could scroll
// some past before any frame showed them.
func (m *Model) Crowded() bool {
	return m.pinned && m.height > 0 && m.fresh*4 >= m.height*3
}

// SetSize sets the pane's size. A new width drops the caches; the scroll
// anchor is kept.
func (m *Model) SetSize(w, h int) {
	if w != m.width {
		m.gen++
	}
	m.width, m.height = max(w, 0), max(h, 0)
	m.normalize()
}

// Update handles keys and the mouse wheel; intents come back as Cmds.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	m.refresh()
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.menu != nil {
			return m, m.updateMenu(msg)
		}
		return m, m.updateKeys(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scrollUp(3)
			return m, m.maybeLoadOlder()
		case tea.MouseWheelDown:
			m.scrollDown(3)
		}
	}
	return m, nil
}

// refresh drops caches that went stale: theme replaced, day rolled over
// ("Today" labels), or too many kept.
func (m *Model) refresh() {
	now := m.c.Now().In(m.c.Loc)
	y, mo, d := now.Date()
	day := y*10000 + int(mo)*100 + d
	if m.theme != m.c.Theme || m.day != day || m.rendered > cacheCap {
		m.theme, m.day, m.rendered = m.c.Theme, day, 0
		m.gen++
	}
}

// rowFor is the context of message i: date separator and grouping.
func (m *Model) rowFor(i int) Row {
	cur := &m.st.items[i].msg
	row := Row{Thread: m.parentID == 0}
	if m.kind == chat.ReceiverGroup && cur.Sender == m.c.Me.UID {
		row.DeliveredBy, row.ReadBy = m.groupCounts(cur.ID)
	}
	if i == 0 || !sameDay(m.st.items[i-1].msg.SentAt, cur.SentAt, m.c.Loc) {
		row.Separator = DayLabel(cur.SentAt, m.c.Now(), m.c.Loc)
		return row
	}
	prev := &m.st.items[i-1].msg
	row.Grouped = !prev.IsAction() && !cur.IsAction() && prev.Sender == cur.Sender &&
		cur.SentAt-prev.SentAt < groupGap
	return row
}

// lines is message i drawn at the pane's width, from the cache if valid.
func (m *Model) lines(i int) []string {
	e := m.st.items[i]
	if e.lines != nil && e.cver == e.ver && e.cgen == m.gen {
		return e.lines
	}
	e.lines = m.r.render(&e.msg, m.contentWidth(), m.rowFor(i), leadCell)
	e.cver, e.cgen = e.ver, m.gen
	m.rendered++
	return e.lines
}

func (m *Model) heightOf(i int) int { return len(m.lines(i)) }

// contentWidth leaves one column for the selection bar.
func (m *Model) contentWidth() int { return max(m.width-1, 1) }
