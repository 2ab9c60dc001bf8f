package messages

// Selection: the selected message is kept by id, so it survives older
// pages arriving; action messages are never selected.

// selectable reports whether message i can be selected.
func (m *Model) selectable(i int) bool { return !m.st.items[i].msg.IsAction() }

// selectFrom selects the first selectable message from i in direction dir.
func (m *Model) selectFrom(i, dir int) bool {
	for ; i >= 0 && i < m.st.len(); i += dir {
		if m.selectable(i) {
			m.sel = m.st.items[i].msg.ID
			return true
		}
	}
	return false
}

// selectBottom selects the newest selectable message on screen.
func (m *Model) selectBottom() {
	if !m.focused || m.st.len() == 0 {
		return
	}
	last := m.lastVisible()
	top, _ := m.topPos()
	for i := last; i >= top; i-- {
		if m.selectable(i) {
			m.sel = m.st.items[i].msg.ID
			return
		}
	}
	m.selectFrom(last, 1)
}

// lastVisible is the index of the last message with a line on screen.
func (m *Model) lastVisible() int {
	i, off := m.topPos()
	used := m.heightOf(i) - off
	for i+1 < m.st.len() && used < m.height {
		i++
		used += m.heightOf(i)
	}
	return i
}

// selectInView keeps the selection on screen after a page scroll.
func (m *Model) selectInView() {
	if !m.focused {
		return
	}
	i, ok := m.st.find(m.sel)
	top, off := m.topPos()
	last := m.lastVisible()
	switch {
	case !ok || i > last:
		m.selectBottom()
	case i < top || (i == top && off > 0):
		if !m.selectFrom(top+min(off, 1), 1) {
			m.selectBottom()
		}
	}
}

// moveSel moves the selection by one selectable message and scrolls it
// into view.
func (m *Model) moveSel(dir int) {
	if m.st.len() == 0 {
		return
	}
	i, ok := m.st.find(m.sel)
	if !ok {
		m.selectBottom()
		if m.sel != 0 {
			i, _ = m.st.find(m.sel)
			m.show(i)
		}
		return
	}
	if m.selectFrom(i+dir, dir) {
		i, _ = m.st.find(m.sel)
	}
	m.show(i)
}

// show scrolls as little as possible to bring message i fully on screen
// (its top, when it is taller than the screen).
func (m *Model) show(i int) {
	top, off := m.topPos()
	if i < top || (i == top && off > 0) {
		m.unpin()
		m.top, m.off = i, 0
		m.normalize()
		return
	}
	used := m.heightOf(top) - off
	for j := top + 1; j <= i && used <= m.height; j++ {
		used += m.heightOf(j)
	}
	if used <= m.height {
		return
	}
	m.unpin()
	acc, j := m.heightOf(i), i
	for acc < m.height && j > 0 {
		j--
		acc += m.heightOf(j)
	}
	m.top, m.off = j, max(0, acc-m.height)
	if m.heightOf(i) > m.height {
		m.top, m.off = i, 0
	}
	m.normalize()
}
