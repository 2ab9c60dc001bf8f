package convlist

import (
	"strings"
	"testing"
)

func FuzzSqueeze(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a \nb", "load T1000201",
		"x\u00a0y", "x\u0085y", "héllo wörld", "\x80", "a \x1c b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := squeeze(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("squeeze(%q) = %q, want %q", s, got, want)
		}
	})
}
