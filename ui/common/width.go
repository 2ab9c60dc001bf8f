package common

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Measuring a styled line with ansi.StringWidth segments it into grapheme
// clusters, one lookup per character even for plain ASCII, and that is the
// largest part of drawing a frame. Almost every line the TUI draws is
// ASCII text, SGR colours, hyperlinks and a few box-drawing characters;
// for those the width is the number of characters. Width counts them
// directly and leaves everything else to ansi.StringWidth, so the two
// always agree (FuzzWidth checks it).

// Width is the number of cells s takes, exactly as ansi.StringWidth counts
// them.
func Width(s string) int {
	if w, ok := SimpleWidth(s); ok {
		return w
	}
	return ansi.StringWidth(s)
}

// SimpleWidth measures s when every character outside its escape
// sequences is printable ASCII or one of the narrow characters below, and
// every escape sequence is a well-formed CSI or OSC. Each such character
// is a grapheme cluster of its own and one cell wide. ok is false for
// anything else: the caller measures it the slow way.
func SimpleWidth(s string) (w int, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			w++
			i++
		case c == 0x1b:
			n := escapeLen(s[i:])
			if n == 0 {
				return 0, false
			}
			i += n
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowAlone(r) {
				return 0, false
			}
			w++
			i += size
		default:
			return 0, false
		}
	}
	return w, true
}

// escapeLen is the length of the CSI or OSC sequence at the start of s, or
// 0 when s does not start with one in its plain form: CSI is ESC [, then
// parameter bytes, then intermediate bytes, then a final byte; OSC is
// ESC ], then printable ASCII, ended by BEL or ESC \. Such a sequence
// takes no cells.
func escapeLen(s string) int {
	if len(s) < 3 {
		return 0
	}
	switch s[1] {
	case '[':
		i := 2
		for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
			i++
		}
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
	case ']':
		for i := 2; i < len(s); i++ {
			switch c := s[i]; {
			case c == 0x07:
				return i + 1
			case c == 0x1b:
				if i+1 < len(s) && s[i+1] == '\\' {
					return i + 2
				}
				return 0
			case c < 0x20 || c > 0x7e:
				return 0
			}
		}
	}
	return 0
}

// narrowAlone reports whether r is one cell wide and never joins the
// characters around it into one grapheme cluster: the punctuation, arrows,
// box-drawing and geometric characters the TUI draws. TestNarrowAlone
// checks each against ansi.
func narrowAlone(r rune) bool {
	switch {
	case r >= 0xa1 && r <= 0xff && r != 0xad: // Latin-1 letters and signs, not the soft hyphen
		return true
	case r >= 0x2010 && r <= 0x2027: // dashes, quotes, bullets, …
		return true
	case r >= 0x2190 && r <= 0x2193, r == 0x21b3: // ← ↑ → ↓ ↳
		return true
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements
		return true
	case r == 0x25c6, r == 0x25cb, r == 0x25cf: // ◆ ○ ●
		return true
	case r == 0x2713, r == 0x2717: // ✓ ✗
		return true
	}
	return false
}

// spaces is padding for most lines without an allocation of its own.
const spaces = "                                                                                                                                                                                                                                                                "

// Pad returns n spaces.
func Pad(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(spaces) {
		return spaces[:n]
	}
	return strings.Repeat(" ", n)
}

// Truncate is ansi.Truncate: s cut to w cells, ending in tail when cut.
// Plain styled text (see SimpleWidth) is cut here; escape sequences past
// the cut are kept, as ansi keeps them.
func Truncate(s string, w int, tail string) string {
	sw, ok := SimpleWidth(s)
	_, tok := SimpleWidth(tail)
	if !ok || !tok {
		return ansi.Truncate(s, w, tail)
	}
	if sw <= w {
		return s
	}
	return string(AppendTruncate(make([]byte, 0, len(s)+len(tail)), s, w, tail))
}

// AppendTruncate appends Truncate(s, w, tail) to b.
func AppendTruncate(b []byte, s string, w int, tail string) []byte {
	sw, ok := SimpleWidth(s)
	tw, tok := SimpleWidth(tail)
	if !ok || !tok {
		return append(b, ansi.Truncate(s, w, tail)...)
	}
	if sw <= w {
		return append(b, s...)
	}
	keep := w - tw // characters kept before the tail
	if keep < 0 {
		return b
	}
	k := 0
	for i := 0; i < len(s); {
		size := 1
		switch c := s[i]; {
		case c == 0x1b:
			size = escapeLen(s[i:])
			b = append(b, s[i:i+size]...)
			i += size
			continue
		case c >= 0x80:
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case k < keep:
			b = append(b, s[i:i+size]...)
		case k == keep:
			b = append(b, tail...)
		}
		k++
		i += size
	}
	return b
}
