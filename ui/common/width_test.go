package common

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Every character narrowAlone lets through is one cell and a grapheme
// cluster of its own, next to ASCII, escapes and each other.
func TestNarrowAlone(t *testing.T) {
	var allowed []rune
	for r := rune(0x80); r < 0x30000; r++ {
		if narrowAlone(r) {
			allowed = append(allowed, r)
		}
	}
	if len(allowed) < 100 {
		t.Fatalf("only %d characters allowed", len(allowed))
	}
	for _, r := range allowed {
		s := string(r)
		if w := ansi.StringWidth(s); w != 1 {
			t.Errorf("%U is %d cells", r, w)
		}
		for _, around := range []string{"a", " ", "-", "\x1b[0m", s, "·", "─"} {
			if c, _ := ansi.FirstGraphemeCluster(s+around, ansi.GraphemeWidth); c != s {
				t.Errorf("%U joins %q after it: %q", r, around, c)
			}
			if c, _ := ansi.FirstGraphemeCluster(around+s, ansi.GraphemeWidth); len(c) >= len(around) && around != "\x1b[0m" {
				if c != around[:len(c)] {
					t.Errorf("%U joins %q before it: %q", r, around, c)
				}
			}
		}
	}
}

var widthSeeds = []string{
	"",
	"plain ascii",
	"\x1b[1mbold\x1b[0m  ",
	"\x1b[38;2;1;2;3;48;5;4mcolour\x1b[m",
	"\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\",
	"\x1b]8;;https://example.com\alink\x1b]8;;\a",
	"│ ▌ ─ ✓✓ … ● ○ ◆ ↳ ↓ · × é ✗",
	"日本語 🕷️ 👨‍👩‍👧‍👦 ❤️ 👍🏽",
	"e\u0301 a\u0308",
	"✓\ufe0f ─\u20e3 1\ufe0f\u20e3",
	"\x1b[ 0m",
	"\x1b[0 m\x1b[?25h",
	"\x1b7x\x1b(B",
	"\x1b",
	"\x1b[",
	"\x1b]8;;x",
	"tab\there\nnew line\r",
	"\x9b31m",
	"\xc2\xb7\xc2",
	"\x7f",
}

// FuzzWidth holds the fast path to ansi.StringWidth.
func FuzzWidth(f *testing.F) {
	for _, s := range widthSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("Width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	})
}

// slowFitLine is FitLine as it was before Width.
func slowFitLine(s string, w int, tail string) string {
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

// FuzzFitLine holds FitLine, FitBlock and Truncate to what ansi does.
func FuzzFitLine(f *testing.F) {
	for i, s := range widthSeeds {
		f.Add(s, i%12, i%3 == 0)
	}
	f.Add(strings.Repeat("x", 300), 290, true)
	f.Fuzz(func(t *testing.T, s string, w int, ellipsis bool) {
		if w > 1000 || w < -10 {
			return
		}
		tail := ""
		if ellipsis {
			tail = "…"
		}
		if got, want := FitLine(s, w, tail), slowFitLine(s, w, tail); got != want {
			t.Fatalf("FitLine(%q, %d, %q) = %q, want %q", s, w, tail, got, want)
		}
		if got, want := Truncate(s, w, tail), ansi.Truncate(s, w, tail); got != want {
			t.Fatalf("Truncate(%q, %d, %q) = %q, want %q", s, w, tail, got, want)
		}
		if !utf8.ValidString(s) || strings.Contains(s, "\n") {
			return
		}
		lines := []string{s, "", s + s}
		for h := range 5 {
			var want []string
			for i := range h {
				l := ""
				if i < len(lines) {
					l = lines[i]
				}
				want = append(want, slowFitLine(l, w, tail))
			}
			if got := FitBlock(lines, w, h, tail); got != strings.Join(want, "\n") {
				t.Fatalf("FitBlock(%q, %d, %d) = %q, want %q", lines, w, h, got, strings.Join(want, "\n"))
			}
		}
	})
}

func BenchmarkWidth(b *testing.B) {
	line := "\x1b[38;5;8m10:02\x1b[m  \x1b[1;38;5;4mCaptain America\x1b[m  Morning team. Briefing at eleven, bring the ✓ list  │"
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			Width(line)
		}
	})
	b.Run("ansi", func(b *testing.B) {
		for b.Loop() {
			ansi.StringWidth(line)
		}
	})
}
