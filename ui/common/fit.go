package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// FitLine pads or cuts a styled line to exactly w cells; a cut line ends
// in tail ("…" or ""). Cutting before a wide character can leave a cell
// free, so the result is padded again.
func FitLine(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	lw := ansi.StringWidth(s)
	if lw > w {
		s = ansi.Truncate(s, w, tail)
		lw = ansi.StringWidth(s)
	}
	if lw < w {
		s += strings.Repeat(" ", w-lw)
	}
	return s
}

// FitBlock lays lines out as exactly h lines of exactly w cells each.
func FitBlock(lines []string, w, h int, tail string) string {
	var b strings.Builder
	for i := range h {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString(FitLine(line, w, tail))
		if i < h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
