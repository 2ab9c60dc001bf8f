package members

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// View draws the header, the rows (or the banned list) and a footer with
// the allowed actions, a question, the uid input or the last error.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	t := m.c.Theme
	count := max(m.group.MembersCount, len(m.members))
	left := t.Title.Render("Members (" + strconv.Itoa(count) + ")")
	right := ""
	if m.me.Scope != "" {
		right = t.HeaderDim.Render("you: ") + m.scopeStyle(m.me.Scope).Render(string(m.me.Scope))
	}
	lines := []string{spread(" "+left, right+" ", m.width)}

	footer := m.footer()
	body := max(0, m.height-1-len(footer))
	if m.mode == modeBanned {
		lines = append(lines, m.bannedRows(body)...)
	} else {
		lines = append(lines, m.memberRows(body)...)
	}
	for len(lines) < m.height-len(footer) {
		lines = append(lines, "")
	}
	lines = append(lines, footer...)
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for i := range lines {
		lines[i] = common.FitLine(lines[i], m.width, "…")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) memberRows(n int) []string {
	if n <= 0 {
		return nil
	}
	if !m.listed {
		return []string{m.c.Theme.Dim.Render(" loading members…")}
	}
	if len(m.members) == 0 {
		return []string{m.c.Theme.Dim.Render(" no members loaded")}
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+n {
		m.offset = m.cursor - n + 1
	}
	m.offset = max(0, min(m.offset, len(m.members)-n))
	t := m.c.Theme
	nameW := min(16, max(6, m.width/3))
	var out []string
	for i := m.offset; i < len(m.members) && len(out) < n; i++ {
		g := m.members[i]
		bar := " "
		if i == m.cursor {
			bar = t.ItemSelected.Render("▌")
		}
		dot := t.Offline.Render("○")
		if g.Online() {
			dot = t.Online.Render("●")
		}
		name := ansi.Truncate(ansi.Strip(g.Name), nameW, "…")
		if name == "" {
			name = g.UID
		}
		if i == m.cursor {
			name = t.ItemSelected.Render(name)
		}
		row := bar + dot + " " + common.FitLine(name, nameW, "…") + " " + m.scopeStyle(g.Scope).Render(fmt.Sprintf("%-11s", g.Scope))
		if g.UID == m.group.Owner {
			row += " " + t.Dim.Render("(owner)")
		}
		if !g.Online() && g.LastActiveAt > 0 {
			row += " " + t.Dim.Render("last seen "+ago(m.c.Now(), g.LastActiveAt))
		}
		out = append(out, row)
	}
	if m.mode == modeScope {
		out = m.overlayScope(out, n)
	}
	return out
}

// overlayScope puts the scope chooser over the bottom rows.
func (m *Model) overlayScope(rows []string, n int) []string {
	t := m.c.Theme
	sel, _ := m.Selected()
	box := []string{t.Bold.Render(" New scope for " + sel.Name + ":")}
	for i, s := range m.scopes {
		if i == m.scur {
			box = append(box, t.ItemSelected.Render("  › "+string(s)))
		} else {
			box = append(box, "    "+string(s))
		}
	}
	for len(rows) < n {
		rows = append(rows, "")
	}
	if len(box) > n {
		box = box[len(box)-n:]
	}
	copy(rows[n-len(box):], box)
	return rows
}

func (m *Model) bannedRows(n int) []string {
	t := m.c.Theme
	out := []string{t.Bold.Render(" Banned (" + strconv.Itoa(len(m.banned)) + ")")}
	switch {
	case !m.loaded:
		out = append(out, t.Dim.Render(" loading…"))
	case len(m.banned) == 0:
		out = append(out, t.Dim.Render(" nobody is banned"))
	}
	start := max(0, m.bcursor-(n-2))
	for i := start; i < len(m.banned) && len(out) < n; i++ {
		u := m.banned[i]
		row := "  ⊘ " + u.Name + " " + t.Dim.Render("("+u.UID+")")
		if i == m.bcursor {
			row = t.ItemSelected.Render("▌") + " ⊘ " + t.ItemSelected.Render(u.Name) + " " + t.Dim.Render("("+u.UID+")")
		}
		out = append(out, row)
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (m *Model) footer() []string {
	t := m.c.Theme
	switch {
	case m.mode == modeAdd:
		return []string{" " + m.input.View()}
	case m.err != "":
		return []string{t.Error.Render(" " + m.err)}
	case m.mode == modeConfirm:
		sel, _ := m.Selected()
		verb := "Kick"
		if m.pending == chat.ActBan {
			verb = "Ban"
		}
		return []string{t.StatusWarn.Render(" "+verb+" "+sel.Name+"?") + t.Dim.Render("  enter/y yes · esc/n no")}
	}
	var hints []string
	for _, b := range m.ShortHelp() {
		h := b.Help()
		if h.Key == "↑" || h.Key == "↓" {
			continue
		}
		hints = append(hints, t.Bold.Render(h.Key)+t.Dim.Render(" "+h.Desc))
	}
	if len(hints) == 0 {
		return []string{t.Dim.Render(" no member actions for your scope")}
	}
	return []string{" " + strings.Join(hints, t.Dim.Render(" · "))}
}

func (m *Model) scopeStyle(s chat.Scope) interface{ Render(...string) string } {
	t := m.c.Theme
	switch s {
	case chat.ScopeAdmin:
		return t.ScopeAdmin
	case chat.ScopeModerator:
		return t.ScopeModerator
	}
	return t.ScopeParticipant
}

// ago is a short relative time: now, 5m, 3h, 2d, 3w.
func ago(now time.Time, at int64) string {
	d := now.Sub(time.Unix(at, 0))
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return strconv.Itoa(int(d/(7*24*time.Hour))) + "w"
}

// spread puts left and right at the two ends of a width-cell line.
func spread(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return common.FitLine(left, width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}
