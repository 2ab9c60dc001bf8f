package messages

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cometterm/ui/common"
)

// topPos is the first visible message and how many of its lines are
// above the screen. Pinned, it is found by walking up from the newest
// message, so only what fits on screen is measured.
func (m *Model) topPos() (int, int) {
	if !m.pinned {
		return m.top, m.off
	}
	need := m.height
	for i := m.st.len() - 1; i >= 0; i-- {
		h := m.heightOf(i)
		if h >= need {
			return i, h - need
		}
		need -= h
	}
	return 0, 0
}

// unpin turns the pinned position into an anchor before moving it.
func (m *Model) unpin() {
	if m.pinned {
		m.top, m.off = m.topPos()
		m.pinned = false
	}
}

// normalize keeps the anchor inside the list: off within its message,
// walking to neighbours as needed, and pins when the newest line shows.
func (m *Model) normalize() {
	if m.pinned {
		return
	}
	n := m.st.len()
	if n == 0 {
		m.pinned, m.top, m.off = true, 0, 0
		return
	}
	m.top = min(max(m.top, 0), n-1)
	for m.off < 0 && m.top > 0 {
		m.top--
		m.off += m.heightOf(m.top)
	}
	m.off = max(m.off, 0)
	for m.top < n-1 && m.off >= m.heightOf(m.top) {
		m.off -= m.heightOf(m.top)
		m.top++
	}
	m.off = min(m.off, m.heightOf(m.top)-1)
	m.pinIfAtBottom()
}

// pinIfAtBottom pins when everything from the anchor down fits.
func (m *Model) pinIfAtBottom() {
	rest := m.heightOf(m.top) - m.off
	for i := m.top + 1; i < m.st.len() && rest <= m.height; i++ {
		rest += m.heightOf(i)
	}
	if rest <= m.height {
		m.pinned, m.unseen = true, 0
	}
}

func (m *Model) scrollUp(n int) {
	if m.st.len() == 0 {
		return
	}
	m.unpin()
	m.off -= n
	m.normalize()
}

func (m *Model) scrollDown(n int) {
	if m.pinned {
		return
	}
	m.off += n
	m.normalize()
}

// atTop reports whether the oldest loaded line is on screen.
func (m *Model) atTop() bool {
	top, off := m.topPos()
	return top == 0 && off == 0
}

// maybeLoadOlder asks for the page before the oldest loaded message when
// the user has reached it — once: not while a request is in flight, and
// an arriving page moves the anchor down, so it never cascades.
func (m *Model) maybeLoadOlder() tea.Cmd {
	if !m.hasMore || m.older || m.st.len() == 0 || !m.atTop() {
		return nil
	}
	m.older = true
	return emit(common.LoadOlder{ConversationID: m.convID, ParentID: m.parentID, Before: m.st.items[0].msg.ID})
}

func (m *Model) updateKeys(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	page := max(m.height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		m.moveSel(-1)
		return m.maybeLoadOlder()
	case key.Matches(msg, k.Down):
		m.moveSel(1)
	case key.Matches(msg, k.PageUp):
		m.scrollUp(page)
		m.selectInView()
		return m.maybeLoadOlder()
	case key.Matches(msg, k.PageDown):
		m.scrollDown(page)
		m.selectInView()
	case key.Matches(msg, k.Top):
		if m.st.len() > 0 {
			m.unpin()
			m.top, m.off = 0, 0
			m.normalize()
			m.selectFrom(0, 1)
		}
		return m.maybeLoadOlder()
	case key.Matches(msg, k.Bottom):
		m.pinned, m.unseen = true, 0
		m.selectBottom()
	case key.Matches(msg, k.Actions):
		m.openMenu()
	}
	return nil
}
