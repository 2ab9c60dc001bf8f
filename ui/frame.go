package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Frames are assembled by hand rather than with lipgloss Join and Width:
// every part already draws its own width, so one width check per line is
// all a frame needs, and it runs on every keystroke.

// block cuts or pads the lines of parts (joined top to bottom) to exactly
// w×h cells.
func block(w, h int, parts ...string) []string {
	out := make([]string, 0, h)
	for _, p := range parts {
		for line := range strings.SplitSeq(p, "\n") {
			if len(out) == h {
				return out
			}
			out = append(out, fitWidth(line, w))
		}
	}
	pad := strings.Repeat(" ", w)
	for len(out) < h {
		out = append(out, pad)
	}
	return out
}

func fitWidth(s string, w int) string {
	lw := ansi.StringWidth(s)
	switch {
	case lw > w:
		return ansi.Truncate(s, w, "")
	case lw < w:
		return s + strings.Repeat(" ", w-lw)
	}
	return s
}
