package demo

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for text, want := range map[string]kind{
		"hey team":                      greeting,
		"Hello!":                        greeting,
		"hey, can you check the jet?":   question, // longer than a greeting
		"hey Cap, how are you?":         greeting, // short: a greeting
		"thanks Cap":                    thanks,
		"Thank you so much":             thanks,
		"Are we still on for training?": question,
		"where is the shield":           question,
		"The jet is parked crooked?":    question,
		"Training moved to noon.":       statement,
		"they say hello to everyone":    statement,
		"":                              statement,
		"🕷️":                            statement,
	} {
		if got := classify(text); got != want {
			t.Errorf("classify(%q) = %d, want %d", text, got, want)
		}
	}
}

// Every demo user can answer every kind of message and can chat, whoever
// sits at the keyboard, and every line is short enough for one row.
func TestEveryoneHasLines(t *testing.T) {
	for _, p := range cast() {
		uid := p.user.UID
		for _, k := range []kind{statement, question, greeting, thanks} {
			if len(replies[uid][k]) == 0 {
				t.Errorf("%s has no replies of kind %d", uid, k)
			}
		}
		if len(chatter[uid]) == 0 || len(followUps[uid]) == 0 {
			t.Errorf("%s has no chatter or follow-ups", uid)
		}
		all := append(append([]string{}, chatter[uid]...), followUps[uid]...)
		for _, lines := range replies[uid] {
			all = append(all, lines...)
		}
		for _, l := range all {
			if n := len([]rune(fill(l, "Tony"))); n > 80 || strings.Contains(fill(l, "x"), "{") {
				t.Errorf("%s: line %q (%d runes) is too long or has an unknown placeholder", uid, l, n)
			}
		}
	}
}
