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
	if s.showHelp && (k.String() == "esc" || key.Matches(k, keys.Help)) {
		s.showHelp = false
		return nil
	}
	if s.dirOpen {
		_, cmd := m.dir.Update(k)
		return cmd
	}
	// Open menus and completion lists own their keys (esc, tab, enter).
	if (s.focus == focusPane && m.pane.MenuOpen()) || (s.focus == focusComposer && m.composer.PopupOpen()) {
		return m.forwardKey(k)
	}
	switch {
	case key.Matches(k, keys.Help):
		s.showHelp = !s.showHelp
		return nil
	case key.Matches(k, keys.NextFocus):
		return m.cycleFocus(1)
	case key.Matches(k, keys.PrevFocus):
		return m.cycleFocus(-1)
	case key.Matches(k, keys.NewChat):
		return m.openDirectory()
	case key.Matches(k, keys.Compose) && !m.list.Filtering():
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
		_, cmd = m.pane.Update(k)
	default:
		_, cmd = m.composer.Update(k)
	}
	return cmd
}

// cycleFocus moves the keyboard list → pane → composer, skipping the list
// when it is folded away and the pane when no conversation is open.
func (m *Model) cycleFocus(d int) tea.Cmd {
	order := []focus{focusList, focusPane, focusComposer}
	i := int(m.st.focus)
	for range order {
		i = (i + d + len(order)) % len(order)
		f := order[i]
		if f == focusList && m.st.geo.listW == 0 {
			continue
		}
		if f == focusPane && m.st.open == "" {
			continue
		}
		return m.setFocus(f)
	}
	return nil
}

func (m *Model) setFocus(f focus) tea.Cmd {
	m.st.focus = f
	m.list.SetFocused(f == focusList)
	m.pane.SetFocused(f == focusPane)
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
	switch {
	case m.st.dirOpen:
		return nil
	case mouse.X < g.listW:
		switch mouse.Button {
		case tea.MouseWheelUp:
			m.list.Scroll(-1)
		case tea.MouseWheelDown:
			m.list.Scroll(1)
		}
		return nil
	case mouse.Y >= g.paneY && mouse.Y < g.paneY+g.paneH:
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
	case mouse.X >= g.mainX && mouse.Y >= g.paneY && mouse.Y < g.paneY+g.paneH && m.st.open != "":
		return m.setFocus(focusPane)
	case mouse.X >= g.mainX && mouse.Y >= g.paneY+g.paneH && mouse.Y < g.bodyY+g.bodyH:
		return m.setFocus(focusComposer)
	}
	return nil
}
