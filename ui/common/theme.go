package common

import (
	"hash/fnv"
	"image/color"
	"sync/atomic"

	"charm.land/lipgloss/v2"
)

// Theme is every style the TUI uses, built once per background (dark or
// light) and per NO_COLOR; components never build styles per frame.
type Theme struct {
	IsDark  bool
	NoColor bool

	// Palette.
	Accent, Muted, Subtle, Text, Danger, Success, Warning color.Color
	senderStyles                                          []lipgloss.Style

	// Frame.
	App, Title, Border, FocusedBorder, Divider lipgloss.Style
	// Lists and rows.
	Item, ItemSelected, ItemUnread, Badge, Dim, Bold lipgloss.Style
	// Presence and marks.
	Online, Offline, Receipt, ReceiptRead lipgloss.Style
	// Messages.
	Time, System, Edited, Deleted, Reaction, ThreadCount, DateSeparator, Mention, Link lipgloss.Style
	// ReactionMine marks a reaction I added; Hint is the "new messages"
	// badge and other short notices drawn over a pane.
	ReactionMine, Hint lipgloss.Style
	// Status bar, header, help.
	StatusBar, StatusOK, StatusBad, StatusWarn, Header, HeaderDim, Typing, Error lipgloss.Style
	// Scopes.
	ScopeAdmin, ScopeModerator, ScopeParticipant lipgloss.Style
}

// themes are the themes SharedTheme has built, by [isDark][noColor].
var themes [2][2]atomic.Pointer[Theme]

// SharedTheme is NewTheme(isDark, noColor) built once per process: a
// theme is never changed once built, and a server with hundreds of SSH
// sessions would otherwise hold hundreds of copies (about 35 KB each).
func SharedTheme(isDark, noColor bool) *Theme {
	slot := &themes[b2i(isDark)][b2i(noColor)]
	if t := slot.Load(); t != nil {
		return t
	}
	slot.CompareAndSwap(nil, NewTheme(isDark, noColor))
	return slot.Load()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NewTheme builds the theme for a dark or light terminal. With noColor
// (NO_COLOR set) it keeps only bold/faint/underline attributes.
func NewTheme(isDark, noColor bool) *Theme {
	ld := lipgloss.LightDark(isDark)
	t := &Theme{IsDark: isDark, NoColor: noColor}
	t.Accent = ld(lipgloss.Color("#6B4EE6"), lipgloss.Color("#A594FF"))
	t.Muted = ld(lipgloss.Color("#6E6E7A"), lipgloss.Color("#8B8B99"))
	t.Subtle = ld(lipgloss.Color("#D4D4DC"), lipgloss.Color("#3A3A46"))
	t.Text = ld(lipgloss.Color("#1F1F28"), lipgloss.Color("#E8E8F0"))
	t.Danger = ld(lipgloss.Color("#C4283F"), lipgloss.Color("#FF6B81"))
	t.Success = ld(lipgloss.Color("#1E8A4C"), lipgloss.Color("#5FD38D"))
	t.Warning = ld(lipgloss.Color("#A86400"), lipgloss.Color("#F5B14C"))
	for _, hex := range [][2]string{
		{"#B3261E", "#FF8A80"}, {"#1565C0", "#82B1FF"}, {"#2E7D32", "#B9F6CA"},
		{"#6A1B9A", "#EA80FC"}, {"#E65100", "#FFD180"}, {"#00838F", "#84FFFF"},
		{"#AD1457", "#FF80AB"}, {"#4E342E", "#BCAAA4"}, {"#283593", "#8C9EFF"},
		{"#558B2F", "#CCFF90"},
	} {
		st := lipgloss.NewStyle().Bold(true)
		if !noColor {
			st = st.Foreground(ld(lipgloss.Color(hex[0]), lipgloss.Color(hex[1])))
		}
		t.senderStyles = append(t.senderStyles, st)
	}

	fg := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle()
		if noColor {
			return s
		}
		return s.Foreground(c)
	}
	t.App = lipgloss.NewStyle()
	t.Title = fg(t.Accent).Bold(true)
	t.Border = fg(t.Subtle)
	t.FocusedBorder = fg(t.Accent)
	t.Divider = fg(t.Subtle)
	t.Item = fg(t.Text)
	t.ItemSelected = fg(t.Accent).Bold(true)
	t.ItemUnread = fg(t.Text).Bold(true)
	t.Badge = lipgloss.NewStyle().Bold(true).Padding(0, 1)
	if !noColor {
		t.Badge = t.Badge.Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1F1F28"))).Background(t.Accent)
	} else {
		t.Badge = t.Badge.Reverse(true)
	}
	t.Dim = fg(t.Muted)
	t.Bold = lipgloss.NewStyle().Bold(true)
	t.Online = fg(t.Success)
	t.Offline = fg(t.Muted)
	t.Receipt = fg(t.Muted)
	t.ReceiptRead = fg(t.Accent)
	t.Time = fg(t.Muted)
	t.System = fg(t.Muted).Italic(true)
	t.Edited = fg(t.Muted)
	t.Deleted = fg(t.Muted).Italic(true)
	t.Reaction = fg(t.Text)
	t.ReactionMine = fg(t.Accent).Bold(true)
	t.Hint = t.Badge
	t.ThreadCount = fg(t.Accent)
	t.DateSeparator = fg(t.Muted)
	t.Mention = fg(t.Accent).Bold(true)
	t.Link = fg(t.Accent).Underline(true)
	t.StatusBar = fg(t.Muted)
	t.StatusOK = fg(t.Success)
	t.StatusBad = fg(t.Danger)
	t.StatusWarn = fg(t.Warning)
	t.Header = fg(t.Text).Bold(true)
	t.HeaderDim = fg(t.Muted)
	t.Typing = fg(t.Accent).Italic(true)
	t.Error = fg(t.Danger).Bold(true)
	t.ScopeAdmin = fg(t.Danger).Bold(true)
	t.ScopeModerator = fg(t.Warning)
	t.ScopeParticipant = fg(t.Muted)
	return t
}

// SenderStyle gives each uid a stable colour, the same in every session.
func (t *Theme) SenderStyle(uid string) lipgloss.Style {
	h := fnv.New32a()
	h.Write([]byte(uid))
	return t.senderStyles[int(h.Sum32()%uint32(len(t.senderStyles)))]
}
