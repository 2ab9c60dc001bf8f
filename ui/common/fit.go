package common

import (
	"strings"
)

// FitLine pads or cuts a styled line to exactly w cells; a cut line ends
// in tail ("…" or ""). Cutting before a wide character can leave a cell
// free, so the result is padded again.
func FitLine(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	lw := Width(s)
	if lw > w {
		s = Truncate(s, w, tail)
		lw = Width(s)
	}
	if lw < w {
		s += Pad(w - lw)
	}
	return s
}

// FitBlock lays lines out as exactly h lines of exactly w cells each.
func FitBlock(lines []string, w, h int, tail string) string {
	if h <= 0 {
		return ""
	}
	if w <= 0 {
		return strings.Repeat("\n", h-1)
	}
	size := h * (w + 1)
	for _, l := range lines[:min(h, len(lines))] {
		size += len(l)
	}
	var b strings.Builder
	b.Grow(size)
	for i := range h {
		lw := 0
		if i < len(lines) {
			line := lines[i]
			if lw = Width(line); lw > w {
				line = Truncate(line, w, tail)
				lw = Width(line)
			}
			b.WriteString(line)
		}
		b.WriteString(Pad(w - lw))
		if i < h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
