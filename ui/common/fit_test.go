package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitLine(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		tail string
		want string
	}{
		{"abc", 5, "…", "abc  "},
		{"abcdef", 4, "…", "abc…"},
		{"abcdef", 4, "", "abcd"},
		{"日本語", 5, "", "日本 "}, // a wide rune does not fit in the last cell
		{"\x1b[1mbold\x1b[0m", 6, "", "\x1b[1mbold\x1b[0m  "},
		{"x", 0, "", ""},
	}
	for _, c := range cases {
		got := FitLine(c.in, c.w, c.tail)
		if got != c.want {
			t.Errorf("FitLine(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
		if ansi.StringWidth(got) != c.w {
			t.Errorf("FitLine(%q, %d) is %d cells", c.in, c.w, ansi.StringWidth(got))
		}
	}
}

func TestFitBlock(t *testing.T) {
	got := FitBlock([]string{"one", "a line that is too long", "three", "four"}, 6, 3, "…")
	want := "one   \na lin…\nthree "
	if got != want {
		t.Fatalf("FitBlock = %q, want %q", got, want)
	}
	if lines := strings.Split(FitBlock(nil, 2, 2, ""), "\n"); len(lines) != 2 || lines[0] != "  " {
		t.Fatalf("empty block = %q", lines)
	}
}
