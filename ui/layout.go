package ui

import (
	"slices"

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
// without ever being on screen, or messages that were held back for a
// frame already. A server pacing the frames of many sessions draws such
// a session soon. Without a screen size nothing is drawn, so no frame is
// ever due.
func (m Model) FrameDue() bool {
	return m.paneShown() && (m.pane.Overflowing() || m.st.heldTaken)
}

// crowded reports whether the open pane has taken in so many new lines
// since the last frame that the next message could scroll some past
// before a frame shows them.
func (m Model) crowded() bool { return m.paneShown() && m.pane.Crowded() }

// paneShown reports whether the frame shows the message pane.
func (m Model) paneShown() bool {
	s := m.st
	return s.width > 0 && s.height > 0 && !s.dirOpen && !s.showHelp && !s.threadOpen
}

// View draws the whole screen.
func (m Model) View() tea.View {
	frame := m.render()
	if !m.st.graphemes {
		frame = m.st.fit.plain(frame)
	}
	return m.viewOf(frame)
}

// viewOf is the view of frame: the alternate screen, the mouse and the
// window title.
func (m Model) viewOf(frame string) tea.View {
	v := tea.NewView(frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "cometterm"
	if c := m.st.openConv; m.st.open != "" {
		v.WindowTitle = "cometterm · " + c.Title()
	}
	return v
}

// ViewRows is View for a renderer that draws a frame a row at a time
// (the SSH server's): the frame as rows, each the segments that go side
// by side on it (the conversation list, a separator, the main column,
// ...), appended to dst with its rows' room reused, so that no frame is
// joined into one string only to be split again. lead is, per row, the
// width of its first segment when others follow it, else 0. Joined, the
// rows are View's content; the view carries the
// rest of View's. The rows are the caller's; lead is read before the next
// call. ok is false when only View draws the frame: before the terminal's
// size is known, and for a frame holding clusters that View replaces for
// a terminal that does not cluster graphemes.
func (m Model) ViewRows(dst [][]string) (v tea.View, rows [][]string, lead []int, ok bool) {
	ls := &m.st.partLines
	p, ok := m.parts(ls)
	if !ok {
		return tea.View{}, dst, nil, false
	}
	l := m.st.fit.lay(&p, ls)
	if l.differs && !m.st.graphemes {
		return tea.View{}, dst, nil, false
	}
	rows, lead = m.st.fit.rows(dst, l, p.geo.listW)
	return m.viewOf(""), rows, lead, true
}

func (m Model) render() string {
	p, ok := m.parts(nil)
	if !ok {
		return ""
	}
	return m.st.fit.frame(&p)
}

// parts are what the next frame is drawn from; ok is false before the
// terminal's size is known. With ls, the parts that can come as lines do,
// in ls (see partLines), and are not joined.
func (m Model) parts(ls *partLines) (p frameParts, ok bool) {
	s := m.st
	if s.width == 0 || s.height == 0 {
		return p, false
	}
	g := s.geo
	s.fit.nextFrame()
	s.heldTaken = false // this frame shows them
	if ls != nil {
		*ls = partLines{}
	}
	p = frameParts{geo: g, width: s.width, height: s.height, theme: m.c.Theme}
	switch {
	case s.dirOpen:
		p.main = [4]string{m.dir.View()}
		p.nMain = 1
	case s.showHelp:
		p.main = [4]string{m.header.View(), m.helpPage(g.mainW, g.bodyH-1-g.composerH), m.composer.View()}
		p.nMain = 3
	case s.threadOpen:
		p.main = [4]string{m.header.View(), m.thread.View(), m.header.TypingLine(), m.composer.View()}
		p.nMain = 4
	default:
		// The pane and the list change with every message: as lines, a
		// frame drawn line by line does not join them only to split them.
		pane := ""
		if ls != nil {
			s.paneLines = m.pane.ViewLines(s.paneLines)
			ls.main[1] = s.paneLines
		} else {
			pane = m.pane.View()
		}
		p.main = [4]string{m.header.View(), pane, m.header.TypingLine(), m.composer.View()}
		p.nMain = 4
	}
	if g.listW > 0 {
		if ls != nil {
			ls.list = m.list.ViewLines()
		} else {
			p.list = m.list.View()
		}
	}
	if g.sideW > 0 {
		if s.infoOpen {
			p.side = m.info.View()
		} else {
			p.side = m.members.View()
		}
	}
	p.status = m.status.View()
	if g.eventsH > 0 {
		p.events = m.events.View()
	}
	p.footer = m.footer()
	return p, true
}

// footer is the focused part's keys plus the global ones.
func (m Model) footer() string {
	keys := m.helpKeys()
	f := &m.st.footerMemo
	f.scratch = appendFooterEntries(f.scratch[:0], keys)
	w, all := m.help.Width(), m.help.ShowAll
	if f.ok && f.width == w && f.all == all && f.theme == m.c.Theme && slices.Equal(f.keys, f.scratch) {
		return f.view
	}
	f.keys, f.scratch = f.scratch, f.keys
	f.width, f.all, f.theme, f.view, f.ok = w, all, m.c.Theme, " "+m.help.View(keys), true
	return f.view
}

// footerMemo is the last footer with what it was drawn from: it changes
// with focus and mode, not with every frame.
type footerMemo struct {
	keys, scratch []footerEntry
	width         int
	all           bool
	theme         *common.Theme
	view          string
	ok            bool
}

// footerEntry is what the help line shows of one key binding, and which
// group it is in.
type footerEntry struct {
	key, desc string
	enabled   bool
	group     int // 0 short, 1 global, 2+ the full help's columns
}

// appendFooterEntries lists what the help line shows of keys.
func appendFooterEntries(dst []footerEntry, keys helpKeys) []footerEntry {
	add := func(group int, bs []key.Binding) {
		for _, k := range bs {
			h := k.Help()
			dst = append(dst, footerEntry{key: h.Key, desc: h.Desc, enabled: k.Enabled(), group: group})
		}
	}
	add(0, keys.short)
	add(1, keys.global)
	for i, p := range keys.part {
		add(2+i, p)
	}
	return dst
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

// globalKeys are the global keys the footer lists with a keymap, listed
// once: the footer asks for them on every frame. They are clipped, so an
// append to them copies.
type globalKeys struct {
	all, quit []key.Binding
}

func newGlobalKeys(k *KeyMap) globalKeys {
	return globalKeys{all: []key.Binding{k.NextFocus, k.NewChat, k.Members, k.Inspector, k.Help, k.Quit},
		quit: []key.Binding{k.Quit}}
}

func (m Model) helpKeys() helpKeys {
	g := &m.globals[0]
	if m.typing() {
		g = &m.globals[1]
	}
	global := g.all
	if m.composer.PopupOpen() && m.st.focus == focusComposer {
		global = global[1:] // tab completes
	}
	switch {
	case m.st.showHelp:
		k := m.activeKeys()
		return helpKeys{short: []key.Binding{k.HelpScroll, k.CloseHelp}, global: g.quit}
	case m.st.dirOpen:
		return helpKeys{short: m.dir.ShortHelp(), part: m.dir.FullHelp(), global: g.quit}
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
	if m.typing() {
		return *m.composeKeys
	}
	return *m.keys
}

// typing reports whether the composer or a text input has the keyboard.
func (m Model) typing() bool {
	return m.st.focus == focusComposer || m.st.dirOpen || m.list.Filtering() ||
		(m.st.focus == focusSide && !m.st.infoOpen && m.members.Capturing())
}
