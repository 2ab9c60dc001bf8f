package convlist

import (
	"slices"
	"testing"

	"github.com/sahilm/fuzzy"

	"cometterm/chat"
)

type titleList []chat.Conversation

func (t titleList) String(i int) string { return t[i].Title() }
func (t titleList) Len() int            { return len(t) }

// findFrom is the ranking the filter must give: fuzzy.FindFrom over the
// titles in the list's order.
func findFrom(q string, all []chat.Conversation) []int {
	var out []int
	for _, m := range fuzzy.FindFrom(q, titleList(all)) {
		out = append(out, m.Index)
	}
	return out
}

func convsTitled(titles ...string) []chat.Conversation {
	out := make([]chat.Conversation, len(titles))
	for i, t := range titles {
		g := chat.Group{GUID: "g" + t, Name: t}
		out[i] = chat.Conversation{ConversationID: "group_g" + t, WithGroup: &g}
	}
	return out
}

// TestFilterRankMatchesFindFrom: remembered scores rank like a fresh
// fuzzy search, also after the list's order changed under the same text
// and after the text changed.
func TestFilterRankMatchesFindFrom(t *testing.T) {
	all := convsTitled("Avengers HQ", "avengers", "Ava", "Hawkeye", "Vision", "Ant", "Avg", "a v", "HQ")
	if all[0].Title() != "Avengers HQ" {
		t.Fatalf("fixture: title %q", all[0].Title())
	}
	var f filterScores
	for _, q := range []string{"av", "av", "a", "hq", "zz", "AV", "e"} {
		for shift := range len(all) {
			order := append(slices.Clone(all[shift:]), all[:shift]...)
			got := f.rank(q, order, nil)
			if want := findFrom(q, order); !slices.Equal(got, want) {
				t.Fatalf("q=%q shift=%d: rank %v, FindFrom %v", q, shift, got, want)
			}
		}
	}
}

func FuzzFilterRank(f *testing.F) {
	f.Add("av", "Avengers HQ", "avengers", "Ava")
	f.Add("", "a", "b", "c")
	f.Add("é", "été", "ete", "É")
	f.Fuzz(func(t *testing.T, q, a, b, c string) {
		if q == "" || len(q)+len(a)+len(b)+len(c) > 200 {
			return // an empty filter shows everything without ranking; titles are short
		}
		all := convsTitled(a, b, c, a)
		var fs filterScores
		for range 2 {
			if got, want := fs.rank(q, all, nil), findFrom(q, all); !slices.Equal(got, want) {
				t.Fatalf("q=%q titles %q %q %q: rank %v, FindFrom %v", q, a, b, c, got, want)
			}
			slices.Reverse(all)
		}
	})
}
