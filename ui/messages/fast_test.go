package messages

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

var textSeeds = []string{
	"", "hi", "load T1000234", "hello there, this is a somewhat longer message that wraps onto a second line",
	"a-very-long-hyphenated-word-that-will-not-fit-on-any-line-at-all", "  leading and trailing  ",
	"line one\nline two\n\n  indented\n", "x-", "- -- ---", "word        spaced        out   ",
	"ping <@uid:superhero3> about https://example.com/plan?x=1.", "日本語 and 🕷️", "tab\there", "\x1b[31mred\x1b[0m",
	"https://a.b/c)", "<@uid:nobody> <@uid:superhero2>",
}

// FuzzWrapASCII holds wrapASCII to ansi.Wrap on plain text.
func FuzzWrapASCII(f *testing.F) {
	for i, s := range textSeeds {
		f.Add([]byte(s), i%20)
	}
	f.Fuzz(func(t *testing.T, raw []byte, w int) {
		if w > 300 {
			return
		}
		// Any input becomes plain text, rich in spaces, hyphens and
		// breaks, the characters wrapping turns on.
		for i, c := range raw {
			if c < 0x20 || c > 0x7e {
				raw[i] = " -\n"[int(c)%3]
			}
		}
		s := string(raw)
		if got, want := wrapASCII(s, w), ansi.Wrap(s, w, ""); got != want {
			t.Fatalf("wrapASCII(%q, %d) = %q, ansi.Wrap = %q", s, w, got, want)
		}
	})
}

// slowSanitize is sanitize without its fast path.
func slowSanitize(s string) string {
	s = ansi.Strip(s)
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r == '\n':
			b.WriteRune(r)
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slowWrap is styledText.wrap as it was, with ansi doing every measure.
func (t *styledText) slowWrap(width int, st *palette) []string {
	display := t.String()
	if width < 1 {
		width = 1
	}
	wrapped := strings.Split(ansi.Wrap(display, width, ""), "\n")
	out := make([]string, 0, len(wrapped))
	cursor := 0
	for _, line := range wrapped {
		at := strings.Index(display[cursor:], line)
		if at < 0 {
			if w := ansi.StringWidth(line); w < width {
				line += strings.Repeat(" ", width-w)
			}
			out = append(out, line)
			continue
		}
		start := cursor + at
		end := start + len(line)
		cursor = end
		styled := string(t.styleRange(nil, display, start, end, st))
		out = append(out, styled+strings.Repeat(" ", max(0, width-ansi.StringWidth(line))))
	}
	return out
}

// FuzzRichText holds sanitize, the mention and link scan and wrap to their
// slow forms on any text a user may send.
func FuzzRichText(f *testing.F) {
	for i, s := range textSeeds {
		f.Add(s, i%30)
	}
	pal := newPalette(testCommon().Theme)
	name := func(uid string) string { return "N" + uid }
	f.Fuzz(func(t *testing.T, s string, w int) {
		if w > 300 {
			return
		}
		if got, want := sanitize(s), slowSanitize(s); got != want {
			t.Fatalf("sanitize(%q) = %q, want %q", s, got, want)
		}
		var fast, slow styledText
		fast.addRich(s, name)
		slowAddRich(&slow, s, name)
		if fast.String() != slow.String() || len(fast.spans) != len(slow.spans) {
			t.Fatalf("addRich(%q): %q %v, want %q %v", s, fast.String(), fast.spans, slow.String(), slow.spans)
		}
		for i := range fast.spans {
			if fast.spans[i] != slow.spans[i] {
				t.Fatalf("addRich(%q): span %d is %v, want %v", s, i, fast.spans[i], slow.spans[i])
			}
		}
		var buf []byte
		got, want := fast.wrap(nil, w, pal, "", "", &buf), fast.slowWrap(w, pal)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("wrap(%q, %d) = %q, want %q", s, w, got, want)
		}
		// With what goes in front of the lines, after lines already there.
		got = fast.wrap([]string{"kept"}, w, pal, "1st ", "  ", &buf)
		for i := range want {
			if i == 0 {
				want[i] = "1st " + want[i]
			} else {
				want[i] = "  " + want[i]
			}
		}
		if want = append([]string{"kept"}, want...); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("wrap(%q, %d) with prefixes = %q, want %q", s, w, got, want)
		}
	})
}

// slowAddRich is addRich without skipping the patterns.
func slowAddRich(t *styledText, s string, name func(uid string) string) {
	s = slowSanitize(s)
	for s != "" {
		mi := mentionRe.FindStringSubmatchIndex(s)
		li := linkRe.FindStringIndex(s)
		switch {
		case mi == nil && li == nil:
			t.add(s, spanPlain, "")
			return
		case li == nil || (mi != nil && mi[0] < li[0]):
			t.add(s[:mi[0]], spanPlain, "")
			t.add("@"+name(s[mi[2]:mi[3]]), spanMention, "")
			s = s[mi[1]:]
		default:
			url := strings.TrimRight(s[li[0]:li[1]], ".,;:!?)]}'")
			t.add(s[:li[0]], spanPlain, "")
			t.add(url, spanLink, url)
			s = s[li[0]+len(url):]
		}
	}
}
