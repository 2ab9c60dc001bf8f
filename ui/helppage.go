package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"cometterm/ui/composer"
	"cometterm/ui/convlist"
	"cometterm/ui/directory"
	"cometterm/ui/inspector"
	"cometterm/ui/members"
	"cometterm/ui/messages"
	"cometterm/ui/msginfo"
)

// keySection is one area of the help page and every key it takes.
type keySection struct {
	title string
	keys  []key.Binding
}

// keyReference is every key of every part, whatever has the focus and
// whatever my scope allows (the footer shows what applies right now).
func (m Model) keyReference() []keySection {
	k := m.keys
	// Global letters give way to typing in the composer; their function
	// keys always work, so both are listed.
	both := func(b key.Binding) key.Binding {
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(strings.Join(b.Keys(), "/"), b.Help().Desc))
	}
	l, p, c := convlist.DefaultKeyMap(), messages.DefaultKeyMap(), composer.DefaultKeyMap()
	mb, in, mi, d := members.DefaultKeyMap(), inspector.DefaultKeyMap(), msginfo.DefaultKeyMap(), directory.DefaultKeyMap()
	return []keySection{
		{"Everywhere", []key.Binding{k.NextFocus, k.PrevFocus, both(k.NewChat), both(k.Members), both(k.Inspector),
			both(k.Help), k.Compose, k.CloseThread, k.Quit}},
		{"This page", []key.Binding{k.HelpScroll, k.CloseHelp}},
		{"Conversations", []key.Binding{l.Up, l.Down, l.Top, l.Bottom, l.Open, l.Filter, l.ClearFilter}},
		{"Messages", []key.Binding{p.Up, p.Down, p.PageUp, p.PageDown, p.Top, p.Bottom, p.Actions}},
		{"Message menu", []key.Binding{p.Choose, p.Close, p.Left, p.Right}},
		{"Composer", []key.Binding{c.Send, c.Newline, c.EditLast, c.Complete, c.Next, c.Prev, c.Cancel}},
		{"Members", []key.Binding{mb.Up, mb.Down, mb.Scope, mb.Kick, mb.Ban, mb.Banned, mb.Unban, mb.Add,
			mb.Confirm, mb.Cancel}},
		{"Message info", []key.Binding{mi.Up, mi.Down}},
		{"Events", []key.Binding{in.Up, in.Down, in.Top, in.Bottom, in.Pause, in.Clear, in.Filter, in.Conv,
			in.Expand, in.Collapse}},
		{"New chat", []key.Binding{d.Up, d.Down, d.Choose, d.SwitchTab, d.Close}},
	}
}

// helpLines is the whole help page at width w: every key by area, then
// every slash command.
func (m Model) helpLines(w int) []string {
	t := m.c.Theme
	const titleW = 15
	var lines []string
	lines = append(lines, " "+t.Title.Render("Keys"))
	for _, sec := range m.keyReference() {
		var items []string
		for _, b := range sec.keys {
			if b.Enabled() && b.Help().Key != "" {
				items = append(items, t.Bold.Render(b.Help().Key)+" "+t.Dim.Render(b.Help().Desc))
			}
		}
		head := " " + t.Bold.Render(sec.title) + strings.Repeat(" ", max(1, titleW-ansi.StringWidth(sec.title)))
		lines = append(lines, flow(head, strings.Repeat(" ", titleW+1), items, "  ", w)...)
	}
	lines = append(lines, "", " "+t.Title.Render("Commands"))
	for _, c := range composer.Commands {
		lines = append(lines, " "+t.Bold.Render(c.Usage())+"  "+t.Dim.Render(c.Help))
	}
	return lines
}

// flow lays items out after head, wrapping onto lines that start with
// indent, so that no line is wider than w (an item wider than a line gets
// a line of its own and is cut by the frame).
func flow(head, indent string, items []string, sep string, w int) []string {
	var out []string
	line, lw := head, ansi.StringWidth(head)
	empty := true
	for _, it := range items {
		iw := ansi.StringWidth(it)
		if !empty && lw+len(sep)+iw > w {
			out = append(out, line)
			line, lw, empty = indent, ansi.StringWidth(indent), true
		}
		if !empty {
			line += sep
			lw += len(sep)
		}
		line += it
		lw += iw
		empty = false
	}
	return append(out, line)
}

// helpPage draws the visible part of the help page (h lines of w cells),
// from the scroll position, with a hint line at the bottom.
func (m Model) helpPage(w, h int) string {
	t := m.c.Theme
	all := m.helpLines(w)
	body := max(1, h-1)
	top := min(m.st.helpTop, max(0, len(all)-body))
	shown := all[top:min(len(all), top+body)]
	hint := "esc or ? closes this page"
	if len(all) > body {
		hint = "↑/↓ pgup/pgdn scroll · " + hint
	}
	lines := append(append([]string{}, shown...), " "+t.Dim.Render(hint))
	return strings.Join(m.st.fit.block(w, h, strings.Join(lines, "\n")), "\n")
}

// scrollHelp moves the help page by n lines, within its length.
func (m *Model) scrollHelp(n int) {
	g := m.st.geo
	body := max(1, g.bodyH-1-g.composerH-1)
	m.st.helpTop = max(0, min(m.st.helpTop+n, len(m.helpLines(g.mainW))-body))
}
