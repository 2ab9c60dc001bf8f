package ui

import (
	"strings"
	"unicode/utf8"

	"cometterm/ui/common"

	"github.com/charmbracelet/x/ansi"
)

// Frames are assembled by hand rather than with lipgloss Join and Width:
// every part already draws its own width, so one width check per line is
// all a frame needs, and it runs on every keystroke.

// lineFitter remembers the lines it fitted in the last frames. Most lines
// of a frame are the same as in the one before (a new message changes the
// pane and the list, not the composer, header or footer), and measuring a
// line's width is the costly part of fitting it.
type lineFitter struct {
	fitted map[fitKey]string
}

type fitKey struct {
	line string
	w    int
}

// fitterCap bounds what a fitter remembers: a few screens' worth.
const fitterCap = 1024

func (f *lineFitter) fit(line string, w int) string {
	k := fitKey{line, w}
	if out, ok := f.fitted[k]; ok {
		return out
	}
	if f.fitted == nil || len(f.fitted) >= fitterCap {
		f.fitted = make(map[fitKey]string, 256)
	}
	out := common.FitLine(line, w, "")
	f.fitted[k] = out
	return out
}

// block cuts or pads the lines of parts (joined top to bottom) to exactly
// w×h cells.
func (f *lineFitter) block(w, h int, parts ...string) []string {
	out := make([]string, 0, h)
	for _, p := range parts {
		for line := range strings.SplitSeq(p, "\n") {
			if len(out) == h {
				return out
			}
			out = append(out, f.fit(line, w))
		}
	}
	pad := strings.Repeat(" ", w)
	for len(out) < h {
		out = append(out, pad)
	}
	return out
}

// Terminals without grapheme clustering (mode 2027; tmux 3.3a is one)
// advance the cursor once per code point, and Bubble Tea's renderer then
// measures text the same way. A cluster such as ❤️ (a narrow heart plus
// VS16) is one cell there but two in the layout, and 👨‍👩‍👧‍👦 is eight
// cells to the renderer and two to tmux, so everything to the right of it
// on the line shifts. Until the terminal reports mode 2027, every frame
// gets such clusters replaced by a form that is equally wide everywhere:
// the cluster's first code point, padded with spaces to the width the
// layout gave the cluster.

// plainFrame applies plainLine to the lines of a frame that need it.
func plainFrame(frame string) string {
	if !mayDiffer(frame) {
		return frame
	}
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		if mayDiffer(l) {
			lines[i] = plainLine(l)
		}
	}
	return strings.Join(lines, "\n")
}

// mayDiffer reports whether s holds a code point that can make a
// cluster's width per code point differ from its width as a cluster:
// joiners, variation selectors, keycaps, skin tones, tags, and the
// scripts whose conjuncts form one cluster from several letters.
func mayDiffer(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x900:
		case r == 0x200D, r >= 0xFE00 && r <= 0xFE0F, r == 0x20E3,
			r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F,
			r >= 0x900 && r <= 0xDFF, r >= 0x1100 && r <= 0x11FF,
			r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
			return true
		}
	}
	return false
}

// plainLine rewrites the clusters of one styled line whose width as a
// cluster differs from the sum of their code points' widths, or that
// join with ZWJ (tmux joins those by its own rules). Escape sequences pass
// through untouched.
func plainLine(line string) string {
	var b strings.Builder
	b.Grow(len(line) + 8)
	var state byte
	for rest := line; rest != ""; {
		if c := rest[0]; c == 0x1b || c < 0x20 || c == 0x7f {
			seq, _, n, next := ansi.DecodeSequence(rest, state, nil)
			if n == 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(seq)
			state, rest = next, rest[n:]
			continue
		}
		seq, w := ansi.FirstGraphemeCluster(rest, ansi.GraphemeWidth)
		if seq == "" {
			b.WriteString(rest)
			break
		}
		rest = rest[len(seq):]
		if ansi.StringWidthWc(seq) == w && !strings.ContainsRune(seq, 0x200D) {
			b.WriteString(seq)
			continue
		}
		first, _ := utf8.DecodeRuneInString(seq)
		fw := ansi.StringWidthWc(string(first))
		if fw == 0 || fw > w {
			b.WriteString(strings.Repeat("?", w))
			continue
		}
		b.WriteRune(first)
		b.WriteString(strings.Repeat(" ", w-fw))
	}
	return b.String()
}
