package common

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
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

// FuzzPaint holds Paint and LineWidth to lipgloss for every style of both
// themes, with and without colour.
func FuzzPaint(f *testing.F) {
	for _, s := range widthSeeds {
		f.Add(s)
	}
	f.Add("a\tb")
	f.Add("a\r\nb")
	var styles []lipgloss.Style
	for _, th := range []*Theme{NewTheme(true, false), NewTheme(false, false), NewTheme(true, true)} {
		v := reflect.ValueOf(th).Elem()
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if st, ok := v.Field(i).Interface().(lipgloss.Style); ok {
				styles = append(styles, st)
			}
		}
		styles = append(styles, th.SenderStyle("superhero2"), th.Badge.Width(5), th.Link.MaxWidth(4))
	}
	paints := make([]Paint, len(styles))
	plain := 0
	for i, st := range styles {
		paints[i] = NewPaint(st)
		if paints[i].plain {
			plain++
		}
	}
	if plain < len(styles)/2 {
		f.Fatalf("only %d of %d styles reduce to escape codes", plain, len(styles))
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, st := range styles {
			if got, want := paints[i].Render(s), st.Render(s); got != want {
				t.Fatalf("style %d: Paint(%q) = %q, Render = %q", i, s, got, want)
			}
			if got, want := string(paints[i].AppendOn([]byte("x"), s)), "x"+st.Render(s); got != want {
				t.Fatalf("style %d: AppendOn(%q) = %q, want %q", i, s, got, want)
			}
		}
		if got, want := LineWidth(s), lipgloss.Width(s); got != want {
			t.Fatalf("LineWidth(%q) = %d, lipgloss.Width = %d", s, got, want)
		}
	})
}

// styledTokens are the pieces styled lines are made of; FuzzStyledLine
// strings them together in the order its input gives.
var styledTokens = []string{
	"a", "Z", " ", "  ", "-", "~", "word", "\x1b[m", "\x1b[1;38;2;165;148;255m", "\x1b[4m", "\x1b[38;5;8m",
	"\x1b]8;;https://x.io/a?b=c\x1b\\", "\x1b]8;;\x1b\\", "\x1b]8;;u\a", "│", "▌", "─", "✓", "…", "·", "é", "●",
	"山", "🕷️", "👍🏽", "\u0301", "\ufe0f", "\u200d", "\t", "\n", "\x1b", "\x1b[", "\x1b[ 0m", "\x7f", "\xff",
}

// FuzzStyledLine builds lines from styledTokens and holds Width, Truncate
// and FitLine to ansi on them.
func FuzzStyledLine(f *testing.F) {
	f.Add([]byte{8, 6, 2, 6, 7, 14, 15, 16}, 5, true)
	f.Add([]byte{11, 0, 0, 0, 12, 17, 18, 19, 1, 1}, 3, false)
	f.Add([]byte{20, 21, 22, 23, 24, 25, 26}, 4, true)
	f.Fuzz(func(t *testing.T, recipe []byte, w int, ellipsis bool) {
		if w < -2 || w > 200 {
			return
		}
		var b strings.Builder
		for _, r := range recipe {
			b.WriteString(styledTokens[int(r)%len(styledTokens)])
		}
		s := b.String()
		tail := ""
		if ellipsis {
			tail = "…"
		}
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("Width(%q) = %d, ansi = %d", s, got, want)
		}
		if got, want := Truncate(s, w, tail), ansi.Truncate(s, w, tail); got != want {
			t.Fatalf("Truncate(%q, %d, %q) = %q, ansi = %q", s, w, tail, got, want)
		}
		if got, want := string(AppendTruncate([]byte("pre"), s, w, tail)), "pre"+ansi.Truncate(s, w, tail); got != want {
			t.Fatalf("AppendTruncate(%q, %d, %q) = %q, want %q", s, w, tail, got, want)
		}
		if got, want := FitLine(s, w, tail), slowFitLine(s, w, tail); got != want {
			t.Fatalf("FitLine(%q, %d, %q) = %q, want %q", s, w, tail, got, want)
		}
	})
}
