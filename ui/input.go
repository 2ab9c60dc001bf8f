package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// handleKey takes global keys first, then gives the key to the part that
// has the keyboard.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	s := m.st
	keys := m.activeKeys()
	if key.Matches(k, keys.Quit) {
		return tea.Quit
	}
	if s.showHelp {
		switch {
		case key.Matches(k, keys.CloseHelp, keys.Help):
			s.showHelp = false
			return nil
		case key.Matches(k, keys.HelpScroll):
			page := max(1, m.st.geo.paneH-2)
			m.scrollHelp(map[string]int{"up": -1, "down": 1, "pgup": -page, "pgdown": page}[k.String()])
			return nil
		}
	}
	if s.dirOpen {
		_, cmd := m.dir.Update(k)
		return cmd
	}
	// Open menus, prompts and completion lists own their keys (esc, tab,
	// enter).
	if m.partOwnsKeys() {
		return m.forwardKey(k)
	}
	switch {
	case key.Matches(k, keys.CloseThread) && m.closable():
		return m.closePanel()
	case key.Matches(k, keys.Help):
		s.showHelp, s.helpTop = true, 0
		return nil
	case key.Matches(k, keys.NextFocus):
		return m.cycleFocus(1)
	case key.Matches(k, keys.PrevFocus):
		return m.cycleFocus(-1)
	case key.Matches(k, keys.NewChat):
		return m.openDirectory()
	case key.Matches(k, keys.Members):
		return m.toggleMembers()
	case key.Matches(k, keys.Inspector):
		s.showEvents = !s.showEvents
		m.layout()
		if !s.showEvents && s.focus == focusEvents {
			return m.setFocus(focusComposer)
		}
		return nil
	// esc in a filtered list clears the filter (the list does) first.
	case key.Matches(k, keys.Compose) && !m.list.Filtering() && !(s.focus == focusList && m.list.Filtered()):
		return m.setFocus(focusComposer)
	}
	return m.forwardKey(k)
}

func (m *Model) forwardKey(k tea.KeyPressMsg) tea.Cmd {
	var cmd tea.Cmd
	switch m.st.focus {
	case focusList:
		_, cmd = m.list.Update(k)
	case focusPane:
		if m.st.threadOpen {
			_, cmd = m.thread.Update(k)
		} else {
			_, cmd = m.pane.Update(k)
		}
	case focusSide:
		if m.st.infoOpen {
			_, cmd = m.info.Update(k)
		} else {
			_, cmd = m.members.Update(k)
		}
	case focusEvents:
		_, cmd = m.events.Update(k)
	default:
		_, cmd = m.composer.Update(k)
	}
	return cmd
}

// partOwnsKeys reports whether the focused part has a menu, prompt or
// completion list open that esc, tab and enter belong to.
func (m *Model) partOwnsKeys() bool {
	s := m.st
	switch s.focus {
	case focusPane:
		return (s.threadOpen && m.thread.MenuOpen()) || (!s.threadOpen && m.pane.MenuOpen())
	case focusComposer:
		return m.composer.PopupOpen()
	case focusSide:
		return !s.infoOpen && m.members.Capturing()
	case focusEvents:
		return m.events.Expanded()
	}
	return false
}

// closable reports whether esc should close the thread or message info:
// from the part itself, or from an empty composer.
func (m *Model) closable() bool {
	s := m.st
	switch s.focus {
	case focusPane:
		return s.threadOpen
	case focusSide:
		return s.infoOpen
	case focusComposer:
		return (s.threadOpen || s.infoOpen) && m.composer.Value() == "" && m.composer.Editing() == nil
	}
	return false
}

// closePanel closes message info first, then the thread.
func (m *Model) closePanel() tea.Cmd {
	s := m.st
	if s.infoOpen {
		s.infoOpen = false
		m.layout()
		if s.focus == focusSide {
			return m.setFocus(focusComposer)
		}
		return nil
	}
	return m.closeThread()
}

// toggleMembers shows or hides the members panel of the open group.
func (m *Model) toggleMembers() tea.Cmd {
	s := m.st
	if m.openGroup() == "" {
		return m.notice("the members panel is for groups", false)
	}
	s.showMembers = !s.showMembers
	s.infoOpen = false
	m.layout()
	if s.showMembers {
		return tea.Batch(m.needMembers(), m.setFocus(focusSide))
	}
	if s.focus == focusSide {
		return m.setFocus(focusComposer)
	}
	return nil
}

// cycleFocus moves the keyboard list → pane → composer → side panel →
// events, skipping what is not on screen.
func (m *Model) cycleFocus(d int) tea.Cmd {
	order := []focus{focusList, focusPane, focusComposer, focusSide, focusEvents}
	i := int(m.st.focus)
	for range order {
		i = (i + d + len(order)) % len(order)
		f := order[i]
		switch {
		case f == focusList && m.st.geo.listW == 0,
			f == focusPane && m.st.open == "",
			f == focusSide && m.st.geo.sideW == 0,
			f == focusEvents && m.st.geo.eventsH == 0:
			continue
		}
		return m.setFocus(f)
	}
	return nil
}

func (m *Model) setFocus(f focus) tea.Cmd {
	m.st.focus = f
	m.list.SetFocused(f == focusList)
	m.pane.SetFocused(f == focusPane && !m.st.threadOpen)
	m.thread.SetFocused(f == focusPane && m.st.threadOpen)
	if f == focusComposer {
		return m.composer.Focus()
	}
	m.composer.Blur()
	return nil
}

func (m *Model) openDirectory() tea.Cmd {
	m.st.dirOpen = true
	m.composer.Blur()
	return tea.Batch(m.dir.Reset(), m.loadDirectory())
}

func (m *Model) closeDirectory() tea.Cmd {
	m.st.dirOpen = false
	return m.setFocus(m.st.focus)
}

// handleWheel scrolls the part under the pointer.
func (m *Model) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	g := m.st.geo
	mouse := msg.Mouse()
	d := 0
	switch mouse.Button {
	case tea.MouseWheelUp:
		d = -1
	case tea.MouseWheelDown:
		d = 1
	}
	switch {
	case m.st.dirOpen || d == 0:
		return nil
	case m.st.showHelp && mouse.X >= g.mainX && mouse.X < g.mainX+g.mainW:
		m.scrollHelp(d)
		return nil
	case mouse.X < g.listW && mouse.Y < g.bodyY+g.bodyH:
		m.list.Scroll(d)
		return nil
	case g.sideW > 0 && mouse.X >= g.sideX && mouse.Y >= g.bodyY && mouse.Y < g.bodyY+g.bodyH:
		if m.st.infoOpen {
			m.info.Scroll(d)
		} else {
			m.members.Scroll(d)
		}
		return nil
	case g.eventsH > 0 && mouse.Y > g.bodyY+g.bodyH && mouse.Y < g.bodyY+g.bodyH+g.eventsH:
		m.events.Scroll(d)
		return nil
	case mouse.X >= g.mainX && mouse.X < g.mainX+g.mainW && mouse.Y >= g.paneY && mouse.Y < g.paneY+g.paneH:
		if m.st.threadOpen {
			_, cmd := m.thread.Update(msg)
			return cmd
		}
		_, cmd := m.pane.Update(msg)
		return cmd
	}
	return nil
}

// handleClick opens the conversation clicked in the list, or focuses the
// part clicked.
func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	g := m.st.geo
	mouse := msg.Mouse()
	if m.st.dirOpen || mouse.Button != tea.MouseLeft {
		return nil
	}
	switch {
	case mouse.X < g.listW && mouse.Y >= g.bodyY:
		return m.list.ClickRow(mouse.Y - g.bodyY)
	case g.sideW > 0 && mouse.X >= g.sideX && mouse.Y >= g.bodyY && mouse.Y < g.bodyY+g.bodyH:
		return m.setFocus(focusSide)
	case g.eventsH > 0 && mouse.Y >= g.bodyY+g.bodyH && mouse.Y < g.bodyY+g.bodyH+g.eventsH:
		return m.setFocus(focusEvents)
	case mouse.X >= g.mainX && mouse.Y >= g.paneY && mouse.Y < g.paneY+g.paneH && m.st.open != "":
		return m.setFocus(focusPane)
	case mouse.X >= g.mainX && mouse.Y >= g.paneY+g.paneH && mouse.Y < g.bodyY+g.bodyH:
		return m.setFocus(focusComposer)
	}
	return nil
}
