// Package inspector is the event inspector: every frame in and out and
// every connection change, one line each, kept in a bounded ring.
package inspector

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Capacity is how many events are kept by default; the oldest go first.
const Capacity = 5000

// Model is the event inspector.
type Model struct {
	c    *common.Common
	keys KeyMap

	buf      []row // ring: buf[start] is the oldest once full
	start    int
	capacity int
	seq      uint64 // seq of the newest row

	paused   bool
	pauseSeq uint64 // rows after it are buffered, not shown, while paused

	filter   int // index into kinds
	convOnly bool
	convID   string

	follow   bool   // the cursor sits on the newest row
	cursor   uint64 // seq of the selected row when not following
	expanded bool

	width, height int
}

var _ common.Component = (*Model)(nil)

// New builds an empty inspector following the newest event.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: DefaultKeyMap(), follow: true, capacity: Capacity}
}

// SetCapacity sets how many events are kept (at least one), dropping the
// oldest ones past it. A server with hundreds of sessions keeps fewer.
func (m *Model) SetCapacity(n int) {
	n = max(1, n)
	rows := m.ordered()
	if len(rows) > n {
		rows = rows[len(rows)-n:]
	}
	m.buf, m.start, m.capacity = rows, 0, n
}

// ordered is the kept rows, oldest first, in a fresh slice.
func (m *Model) ordered() []row {
	out := make([]row, 0, len(m.buf))
	out = append(out, m.buf[m.start:]...)
	return append(out, m.buf[:m.start]...)
}

// Add records an event (any chat.Event). It never blocks or drops the
// newest: past its capacity the oldest row is overwritten. A server calls
// it for every event of every session, the pane shown or not, so it keeps
// only what the filters need and what the row's text is made from, the
// first time the row is drawn.
//
// The event's Raw frame is kept by reference, never copied: it is
// read-only, and the chat client may hand the same exact-size slice to
// every session that received the frame, so keeping it costs a session
// nothing where a copy would cost each session its own.
func (m *Model) Add(ev chat.Event) {
	ev = deref(ev)
	r := newRow(ev, m.c.Me.UID)
	if len(r.raw) == 0 {
		r.src = source{v: ev} // no frame: the text is made from the event, which pretty shows
	}
	m.seq++
	r.seq = m.seq
	if len(m.buf) < m.capacity {
		if cap(m.buf) < m.capacity {
			// The whole ring at once: grown by append it would be
			// copied at every doubling and sit in room for 256 rows.
			m.buf = append(make([]row, 0, m.capacity), m.buf...)
		}
		m.buf = append(m.buf, r)
		return
	}
	m.buf[m.start] = r
	m.start = (m.start + 1) % m.capacity
}

// SetConversation is the conversation F filters by.
func (m *Model) SetConversation(id string) { m.convID = id }

// Len is how many events are kept.
func (m *Model) Len() int { return len(m.buf) }

// at is the i-th kept row, oldest first.
func (m *Model) at(i int) *row { return &m.buf[(m.start+i)%len(m.buf)] }

// shows reports whether r passes the filters and the pause.
func (m *Model) shows(r *row) bool {
	if m.paused && r.seq > m.pauseSeq {
		return false
	}
	if k := kinds[m.filter]; k != "all" && r.kind != k {
		return false
	}
	if m.convOnly && r.kind != "connection" && r.conv != m.convID {
		return false
	}
	return true
}

// visible lists the kept rows that pass, oldest first. At most Capacity
// cheap checks: the inspector is a debugging pane, not the message list.
func (m *Model) visible() []*row {
	out := make([]*row, 0, min(len(m.buf), 256))
	for i := range m.buf {
		if r := m.at(i); m.shows(r) {
			out = append(out, r)
		}
	}
	return out
}

// selected is the index in rows of the selected row (-1 if none).
func (m *Model) selected(rows []*row) int {
	if len(rows) == 0 {
		return -1
	}
	if m.follow {
		return len(rows) - 1
	}
	i, found := slices.BinarySearchFunc(rows, m.cursor, func(r *row, s uint64) int {
		switch {
		case r.seq < s:
			return -1
		case r.seq > s:
			return 1
		}
		return 0
	})
	if !found {
		i = min(i, len(rows)-1) // the selected row was dropped or filtered
	}
	return i
}

// SetSize sets the pane's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update handles the inspector's keys.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.keys
	rows := m.visible()
	sel := m.selected(rows)
	move := func(i int) { m.moveTo(rows, i) }
	switch {
	case key.Matches(kp, k.Up):
		move(sel - 1)
	case key.Matches(kp, k.Down):
		move(sel + 1)
	case key.Matches(kp, k.Top):
		move(0)
	case key.Matches(kp, k.Bottom):
		m.follow = true
	case key.Matches(kp, k.Pause):
		m.paused = !m.paused
		m.pauseSeq = m.seq
		if !m.paused && sel == len(rows)-1 {
			m.follow = true
		} else if m.paused && sel >= 0 {
			m.cursor, m.follow = rows[sel].seq, false
		}
	case key.Matches(kp, k.Clear):
		m.buf, m.start, m.expanded = nil, 0, false
		m.pauseSeq, m.follow = m.seq, true
	case key.Matches(kp, k.Filter):
		m.filter = (m.filter + 1) % len(kinds)
	case key.Matches(kp, k.Conv):
		m.convOnly = !m.convOnly
	case key.Matches(kp, k.Expand):
		if sel >= 0 {
			m.expanded = !m.expanded
			m.cursor, m.follow = rows[sel].seq, false
		}
	case key.Matches(kp, k.Collapse):
		m.expanded = false
	}
	return m, nil
}

// Scroll moves the selection by n rows (mouse wheel); reaching the newest
// row follows new events again.
func (m *Model) Scroll(n int) {
	rows := m.visible()
	m.moveTo(rows, m.selected(rows)+n)
}

func (m *Model) moveTo(rows []*row, i int) {
	if len(rows) == 0 {
		return
	}
	i = max(0, min(i, len(rows)-1))
	m.cursor, m.follow = rows[i].seq, i == len(rows)-1 && !m.paused
}

// Paused reports whether the view is frozen.
func (m *Model) Paused() bool { return m.paused }

// Expanded reports whether a row's JSON is open (esc closes it).
func (m *Model) Expanded() bool { return m.expanded }
