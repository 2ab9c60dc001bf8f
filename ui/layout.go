package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cometterm/ui/composer"
)

// geometry is where the parts were laid out, for mouse routing.
type geometry struct {
	listW        int // 0 when the list is folded away
	mainX, mainW int
	bodyY, bodyH int
	paneY, paneH int
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

// layout sizes every part from the terminal size and the composer's
// current height; it runs on resize and whenever a part may have changed
// height.
func (m *Model) layout() {
	s := m.st
	if s.width == 0 || s.height == 0 {
		return
	}
	g := geometry{listW: listWidth(s.width), bodyY: 1}
	if g.listW > 0 {
		g.mainX = g.listW + 1
	}
	g.mainW = max(1, s.width-g.mainX)
	m.help.SetWidth(s.width)
	g.footerH = lipgloss.Height(m.footer())
	g.bodyH = max(1, s.height-1-g.footerH)
	m.composer.SetSize(g.mainW, 0)
	g.composerH = m.composer.Height()
	g.paneY = g.bodyY + 1
	g.paneH = max(1, g.bodyH-2-g.composerH)

	m.status.SetSize(s.width, 1)
	m.list.SetSize(g.listW, g.bodyH)
	m.header.SetSize(g.mainW, 1)
	m.pane.SetSize(g.mainW, g.paneH)
	m.dir.SetSize(g.mainW, g.bodyH)
	s.geo = g
}

// View draws the whole screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
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
	var main []string
	switch {
	case s.dirOpen:
		main = block(g.mainW, g.bodyH, m.dir.View())
	case s.showHelp:
		main = block(g.mainW, g.bodyH, m.header.View(), m.helpPage(g.mainW, g.bodyH-1-g.composerH), m.composer.View())
	default:
		main = block(g.mainW, g.bodyH, m.header.View(), m.pane.View(), m.header.TypingLine(), m.composer.View())
	}
	var b strings.Builder
	b.WriteString(fitWidth(m.status.View(), s.width))
	var list []string
	var sep string
	if g.listW > 0 {
		list = block(g.listW, g.bodyH, m.list.View())
		sep = m.c.Theme.Border.Render("│")
	}
	for i, line := range main {
		b.WriteByte('\n')
		if list != nil {
			b.WriteString(list[i])
			b.WriteString(sep)
		}
		b.WriteString(line)
	}
	for _, line := range block(s.width, g.footerH, m.footer()) {
		b.WriteByte('\n')
		b.WriteString(line)
	}
	return b.String()
}

// footer is the focused part's keys plus the global ones.
func (m Model) footer() string {
	return " " + m.help.View(m.helpKeys())
}

// helpPage lists every key and every slash command.
func (m Model) helpPage(w, h int) string {
	t := m.c.Theme
	full := m.help
	full.ShowAll = true
	full.SetWidth(w - 2)
	lines := []string{" " + t.Title.Render("Keys"), " " + strings.ReplaceAll(full.View(m.helpKeys()), "\n", "\n "), "", " " + t.Title.Render("Commands")}
	for _, c := range composer.Commands {
		lines = append(lines, " "+t.Bold.Render(c.Usage())+"  "+t.Dim.Render(c.Help))
	}
	lines = append(lines, "", " "+t.Dim.Render("esc or ? closes this page"))
	return strings.Join(block(w, h, strings.Join(lines, "\n")), "\n")
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
	case m.st.dirOpen:
		return helpKeys{short: m.dir.ShortHelp(), part: m.dir.FullHelp(), global: []key.Binding{k.Quit}}
	case m.st.focus == focusList:
		return helpKeys{short: m.list.ShortHelp(), part: m.list.FullHelp(), global: global}
	case m.st.focus == focusPane:
		return helpKeys{short: m.pane.ShortHelp(), part: m.pane.FullHelp(), global: global}
	}
	return helpKeys{short: m.composer.ShortHelp(), part: m.composer.FullHelp(), global: global}
}

// activeKeys is the global keymap for the current focus: letters are
// text while the composer (or a text input) has the keyboard.
func (m Model) activeKeys() KeyMap {
	if m.st.focus == focusComposer || m.st.dirOpen || m.list.Filtering() {
		return m.composeKeys
	}
	return m.keys
}
