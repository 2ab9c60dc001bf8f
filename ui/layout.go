package ui

import (
	"strconv"
	"strings"

	"cometterm/ui/common"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// geometry is where the parts were laid out, for mouse routing.
type geometry struct {
	listW        int // 0 when the list is folded away
	mainX, mainW int
	sideX, sideW int // 0 when no side panel is shown
	bodyY, bodyH int
	paneY, paneH int
	eventsH      int // bottom inspector, 0 when hidden
	footerH      int
	composerH    int
}

// listWidth narrows the conversation list on small terminals and folds it
// away below 60 columns.
func listWidth(w int) int {
	switch {
	case w >= 110:
		return 30
	case w >= 80:
		return 24
	case w >= 60:
		return 20
	}
	return 0
}

// minMain is the narrowest the message column gets before the list folds
// away to make room for a side panel.
const minMain = 40

// sideShown reports whether the right panel has something to show.
func (m *Model) sideShown() bool {
	return m.st.infoOpen || (m.st.showMembers && m.openGroup() != "")
}

// layout sizes every part from the terminal size and the composer's
// current height; it runs on resize and whenever a part may have changed
// height.
func (m *Model) layout() {
	s := m.st
	if s.width == 0 || s.height == 0 {
		return
	}
	g := geometry{listW: listWidth(s.width), bodyY: 1}
	if m.sideShown() {
		g.sideW = min(40, max(28, s.width/4))
		if s.width-g.listW-g.sideW-2 < minMain {
			g.listW = 0
		}
		if s.width-g.sideW-1 < minMain {
			g.sideW = max(0, s.width-minMain-1)
		}
	}
	if g.listW > 0 {
		g.mainX = g.listW + 1
	}
	g.mainW = max(1, s.width-g.mainX)
	if g.sideW > 0 {
		g.mainW = max(1, g.mainW-g.sideW-1)
		g.sideX = g.mainX + g.mainW + 1
	}
	m.help.SetWidth(max(1, s.width-1)) // the footer starts with a space
	g.footerH = lipgloss.Height(m.footer())
	rest := max(1, s.height-1-g.footerH)
	if s.showEvents {
		g.eventsH = min(max(6, rest/3), rest-4)
		if g.eventsH < 3 {
			g.eventsH = 0
		}
	}
	g.bodyH = max(1, rest-g.eventsH)
	m.composer.SetSize(g.mainW, 0)
	g.composerH = m.composer.Height()
	g.paneY = g.bodyY + 1
	g.paneH = max(1, g.bodyH-2-g.composerH)

	k := m.activeKeys()
	m.header.SetPanelKeys(k.Members, k.Inspector) // f3/f4 while typing, m/i elsewhere
	m.status.SetSize(s.width, 1)
	m.list.SetSize(g.listW, g.bodyH)
	m.header.SetSize(g.mainW, 1)
	m.pane.SetSize(g.mainW, g.paneH)
	m.thread.SetSize(g.mainW, g.paneH)
	m.dir.SetSize(g.mainW, g.bodyH)
	m.members.SetSize(g.sideW, g.bodyH)
	m.info.SetSize(g.sideW, g.bodyH)
	m.events.SetSize(s.width, max(0, g.eventsH-1))
	s.geo, s.laid = g, m.layoutKey()
}

// FrameDue reports that the open conversation received enough messages
// since the last frame that, drawn much later, some would scroll past
// without ever being on screen. A server pacing the frames of many
// sessions draws such a session soon.
func (m Model) FrameDue() bool {
	s := m.st
	return !s.dirOpen && !s.showHelp && !s.threadOpen && m.pane.Overflowing()
}

// View draws the whole screen.
func (m Model) View() tea.View {
	frame := m.render()
	if !m.st.graphemes {
		frame = plainFrame(frame)
	}
	v := tea.NewView(frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "cometterm"
	if c := m.st.openConv; m.st.open != "" {
		v.WindowTitle = "cometterm · " + c.Title()
	}
	return v
}

func (m Model) render() string {
	s := m.st
	if s.width == 0 || s.height == 0 {
		return ""
	}
	g := s.geo
	s.fit.nextFrame()
	var main []string
	switch {
	case s.dirOpen:
		main = s.fit.block(g.mainW, g.bodyH, m.dir.View())
	case s.showHelp:
		main = s.fit.block(g.mainW, g.bodyH, m.header.View(), m.helpPage(g.mainW, g.bodyH-1-g.composerH), m.composer.View())
	case s.threadOpen:
		main = s.fit.block(g.mainW, g.bodyH, m.header.View(), m.thread.View(), m.header.TypingLine(), m.composer.View())
	default:
		main = s.fit.block(g.mainW, g.bodyH, m.header.View(), m.pane.View(), m.header.TypingLine(), m.composer.View())
	}
	var list, side []string
	if g.listW > 0 {
		list = s.fit.block(g.listW, g.bodyH, m.list.View())
	}
	if g.sideW > 0 {
		if s.infoOpen {
			side = s.fit.block(g.sideW, g.bodyH, m.info.View())
		} else {
			side = s.fit.block(g.sideW, g.bodyH, m.members.View())
		}
	}
	t := m.c.Theme
	sep := t.Border.Render("│")
	var b strings.Builder
	b.Grow(s.fit.size + s.fit.size/8)
	b.WriteString(s.fit.fit(m.status.View(), s.width))
	for i, line := range main {
		b.WriteByte('\n')
		if list != nil {
			b.WriteString(list[i])
			b.WriteString(sep)
		}
		b.WriteString(line)
		if side != nil {
			b.WriteString(sep)
			b.WriteString(side[i])
		}
	}
	if g.eventsH > 0 {
		b.WriteByte('\n')
		b.WriteString(t.Border.Render(strings.Repeat("─", s.width)))
		for _, line := range s.fit.block(s.width, g.eventsH-1, m.events.View()) {
			b.WriteByte('\n')
			b.WriteString(line)
		}
	}
	for _, line := range s.fit.block(s.width, g.footerH, m.footer()) {
		b.WriteByte('\n')
		b.WriteString(line)
	}
	s.fit.size = b.Len()
	return b.String()
}

// footer is the focused part's keys plus the global ones.
func (m Model) footer() string {
	keys := m.helpKeys()
	k := footerKey(m.help.Width(), m.help.ShowAll, keys)
	f := &m.st.footerMemo
	if f.ok && f.key == k && f.theme == m.c.Theme {
		return f.view
	}
	f.key, f.theme, f.view, f.ok = k, m.c.Theme, " "+m.help.View(keys), true
	return f.view
}

// footerMemo is the last footer with what it was drawn from: it changes
// with focus and mode, not with every frame.
type footerMemo struct {
	key, view string
	theme     *common.Theme
	ok        bool
}

// footerKey is everything the help line shows of keys at width w.
func footerKey(w int, all bool, keys helpKeys) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(w))
	b.WriteString(strconv.FormatBool(all))
	add := func(bs []key.Binding) {
		for _, k := range bs {
			h := k.Help()
			b.WriteByte(0)
			b.WriteString(h.Key)
			b.WriteByte(1)
			b.WriteString(h.Desc)
			b.WriteString(strconv.FormatBool(k.Enabled()))
		}
	}
	add(keys.short)
	add(keys.global)
	for _, p := range keys.part {
		b.WriteByte(2)
		add(p)
	}
	return b.String()
}

// helpKeys is what the footer shows: the focused part's keys first.
type helpKeys struct {
	part   [][]key.Binding
	short  []key.Binding
	global []key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding { return append(h.short, h.global...) }
func (h helpKeys) FullHelp() [][]key.Binding {
	return append(h.part, h.global)
}

func (m Model) helpKeys() helpKeys {
	k := m.activeKeys()
	global := []key.Binding{k.NextFocus, k.NewChat, k.Members, k.Inspector, k.Help, k.Quit}
	if m.composer.PopupOpen() && m.st.focus == focusComposer {
		global = global[1:] // tab completes
	}
	switch {
	case m.st.showHelp:
		return helpKeys{short: []key.Binding{k.HelpScroll, k.CloseHelp}, global: []key.Binding{k.Quit}}
	case m.st.dirOpen:
		return helpKeys{short: m.dir.ShortHelp(), part: m.dir.FullHelp(), global: []key.Binding{k.Quit}}
	case m.st.focus == focusList:
		return helpKeys{short: m.list.ShortHelp(), part: m.list.FullHelp(), global: global}
	case m.st.focus == focusPane && m.st.threadOpen:
		return helpKeys{short: append(m.thread.ShortHelp(), m.keys.CloseThread), part: m.thread.FullHelp(), global: global}
	case m.st.focus == focusPane:
		return helpKeys{short: m.pane.ShortHelp(), part: m.pane.FullHelp(), global: global}
	case m.st.focus == focusSide && m.st.infoOpen:
		return helpKeys{short: append(m.info.ShortHelp(), m.keys.CloseThread), part: m.info.FullHelp(), global: global}
	case m.st.focus == focusSide:
		return helpKeys{short: m.members.ShortHelp(), part: m.members.FullHelp(), global: global}
	case m.st.focus == focusEvents:
		return helpKeys{short: m.events.ShortHelp(), part: m.events.FullHelp(), global: global}
	}
	return helpKeys{short: m.composer.ShortHelp(), part: m.composer.FullHelp(), global: global}
}

// activeKeys is the global keymap for the current focus: letters are
// text while the composer (or a text input) has the keyboard.
func (m Model) activeKeys() KeyMap {
	if m.st.focus == focusComposer || m.st.dirOpen || m.list.Filtering() ||
		(m.st.focus == focusSide && !m.st.infoOpen && m.members.Capturing()) {
		return m.composeKeys
	}
	return m.keys
}
