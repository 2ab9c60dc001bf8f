package directory

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// View draws the directory, exactly width×height.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	t := m.c.Theme
	lines := []string{" " + t.Title.Render("New chat") + t.Dim.Render(" · start a direct chat or join a group"), m.tabs()}
	if m.joining != nil {
		lines = append(lines, " "+t.Bold.Render("Join "+groupMark(m.joining.Type)+" "+m.joining.Name)+t.Dim.Render(": it needs a password"),
			" "+m.password.View())
	} else {
		lines = append(lines, " "+m.search.View())
	}
	wrapped := func(s string, st lipgloss.Style) {
		for _, l := range strings.Split(lipgloss.Wrap(s, max(1, m.width-2), " "), "\n") {
			lines = append(lines, " "+st.Render(l))
		}
	}
	switch {
	case m.errText != "":
		wrapped("✗ "+m.errText, t.Error)
	case m.info != "":
		wrapped(m.info, t.Typing)
	case m.pending:
		lines = append(lines, " "+t.Dim.Render("joining…"))
	default:
		lines = append(lines, "")
	}
	if m.joining == nil {
		lines = append(lines, m.rows()...)
	}
	return common.FitBlock(lines, m.width, m.height, "…")
}

func (m *Model) tabs() string {
	t := m.c.Theme
	tab := func(label string, on bool) string {
		if on {
			return t.ItemSelected.Render("[" + label + "]")
		}
		return t.Dim.Render(" " + label + " ")
	}
	return " " + tab("Users", m.tab == TabUsers) + " " + tab("Groups", m.tab == TabGroups)
}

func (m *Model) rows() []string {
	t := m.c.Theme
	if !m.loaded[m.tab] {
		return []string{" " + t.Dim.Render("loading…")}
	}
	if len(m.shown) == 0 {
		return []string{" " + t.Dim.Render("nobody and nothing matches")}
	}
	var out []string
	end := min(len(m.shown), m.offset+m.listHeight())
	for i := m.offset; i < end; i++ {
		bar := " "
		if i == m.cursor {
			bar = t.ItemSelected.Render("▌")
		}
		var mark, name, detail string
		if m.tab == TabUsers {
			u := m.users[m.shown[i]]
			mark = t.Offline.Render("○")
			if u.Online() {
				mark = t.Online.Render("●")
			}
			name, detail = u.Name, u.UID
			if u.BlockedByMe {
				detail += " · blocked"
			}
		} else {
			g := m.groups[m.shown[i]]
			mark = t.Dim.Render(groupMark(g.Type))
			name = g.Name
			detail = g.GUID + " · " + string(g.Type) + " · " + plural(g.MembersCount, "member")
			switch {
			case g.HasJoined:
				detail += " · joined"
			case g.IsBanned:
				detail += " · banned"
			case g.Type == chat.GroupPrivate:
				detail += " · members only"
			}
		}
		st := t.Item
		if i == m.cursor {
			st = t.ItemSelected
		}
		pad := strings.Repeat(" ", max(0, 2-lipgloss.Width(ansi.Strip(mark))))
		out = append(out, bar+mark+pad+" "+st.Render(name)+"  "+t.Dim.Render(detail))
	}
	return out
}

func groupMark(t chat.GroupType) string {
	switch t {
	case chat.GroupPassword:
		return "🔒"
	case chat.GroupPrivate:
		return "◆"
	}
	return "#"
}
