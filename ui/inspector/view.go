package inspector

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// View draws a header with the state and filters, then the rows; the
// selected row's JSON opens under it when expanded.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	t := m.c.Theme
	rows := m.visible()
	sel := m.selected(rows)

	state := "live"
	if m.paused {
		state = "paused · " + strconv.FormatUint(m.seq-m.pauseSeq, 10) + " new"
	}
	what := kinds[m.filter] + " types"
	if m.filter != 0 {
		what = kinds[m.filter]
	}
	if m.convOnly {
		what += " · this conversation"
	}
	left := " " + t.Title.Render("Events") + t.HeaderDim.Render(" · ") + m.stateStyle().Render(state) + t.HeaderDim.Render(" · "+what)
	right := t.Dim.Render("f filter · p pause · c clear ")
	lines := []string{spread(left, right, m.width)}

	body := m.height - 1
	var detail []string
	if m.expanded && sel >= 0 {
		detail = rows[sel].pretty(m.c.Me.UID)
		detail = detail[:min(len(detail), max(0, body-1))]
	}
	n := body - len(detail)
	// The window ends at the selected row (or shows it first when its
	// JSON is open).
	first := max(0, sel-n+1)
	if m.expanded {
		first = max(0, sel)
	}
	for i := first; i < len(rows) && len(lines) < m.height; i++ {
		lines = append(lines, m.line(rows[i], i == sel && !m.follow))
		if i == sel && m.expanded {
			for _, d := range detail {
				lines = append(lines, t.Dim.Render("   "+d))
			}
		}
	}
	if len(rows) == 0 {
		lines = append(lines, t.Dim.Render(" no events yet"))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i := range lines {
		lines[i] = common.FitLine(lines[i], m.width, "…")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) stateStyle() interface{ Render(...string) string } {
	if m.paused {
		return m.c.Theme.StatusWarn
	}
	return m.c.Theme.StatusOK
}

// line is one row: "10:06:01.203 ← message    a → b   summary".
func (m *Model) line(r *row, selected bool) string {
	t := m.c.Theme
	dir := "·"
	switch {
	case r.kind == "connection" && r.dir == chat.Local:
		dir = "⟳"
	case r.dir == chat.Inbound:
		dir = "←"
	case r.dir == chat.Outbound:
		dir = "→"
	}
	label := r.label
	if len(label) < 10 {
		label += strings.Repeat(" ", 10-len(label))
	}
	who, summary := r.describe(m.c.Me.UID)
	who = ansi.Strip(who)
	if w := ansi.StringWidth(who); w < 28 {
		who += strings.Repeat(" ", 28-w)
	}
	bar := " "
	if selected {
		bar = t.ItemSelected.Render("▌")
	}
	return bar + t.Time.Render(r.at.In(m.c.Loc).Format("15:04:05.000")) + " " + t.Bold.Render(dir) + " " +
		t.Title.Render(label) + " " + who + " " + ansi.Strip(summary)
}

func spread(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}
