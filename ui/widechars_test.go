package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
)

// wideCharsFixture is the group open with the members panel, and lines
// whose emoji carry a variation selector, a ZWJ sequence or a skin tone,
// with my receipt marks and the panel's border to their right.
func wideCharsFixture(t *testing.T) Model {
	t.Helper()
	m := screenFixture(t, 100, 20)
	now := m.c.Now()
	cap := chat.User{UID: "superhero2", Name: "Captain America", Status: chat.StatusOnline}
	msg := func(id chat.ID, from chat.User, body string) chat.Message {
		mm := text(id, "group_avengers", from.UID, body)
		mm.SentAt = now.Add(-time.Duration(10-id) * time.Minute).Unix()
		mm.Data.Entities.Sender = chat.UserEntity(from)
		return mm
	}
	m.Update(historyMsg{conv: "group_avengers", msgs: []chat.Message{
		msg(4, cap, "🛡️ shield up, 👍🏽 from me"),
		msg(5, m.c.Me, "I ❤️ this plan"),
		msg(6, cap, "family 👨‍👩‍👧‍👦 and 🕷️ web"),
		msg(7, m.c.Me, "❤️❤️❤️ ok"),
	}})
	m.Update(tea.KeyPressMsg{Code: tea.KeyF3})
	return m
}

// Under tmux 3.3a (no mode 2027) the frame must measure the same to the
// renderer (per code point) as to the layout, or the receipts and the
// panel's border move left on those lines.
func TestGoldenWideCharsWithoutGraphemeMode(t *testing.T) {
	m := wideCharsFixture(t)
	frame := m.View().Content
	for i, l := range strings.Split(frame, "\n") {
		if w := ansi.StringWidthWc(l); w != 100 {
			t.Errorf("line %d is %d cells per code point, want 100: %q", i, w, ansi.Strip(l))
		}
		if strings.ContainsRune(l, 0x200D) || strings.ContainsRune(l, 0xFE0F) {
			t.Errorf("line %d still holds a joiner or VS16: %q", i, ansi.Strip(l))
		}
	}
	golden.RequireEqual(t, []byte(ansi.Strip(frame)))
}

// A terminal that answers the mode 2027 query gets the clusters as they
// are, measured as clusters.
func TestGoldenWideCharsWithGraphemeMode(t *testing.T) {
	m := wideCharsFixture(t)
	m.Update(tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeReset})
	frame := m.View().Content
	if !strings.Contains(frame, "I ❤️ this plan") || !strings.Contains(frame, "👨‍👩‍👧‍👦") {
		t.Fatalf("the clusters were rewritten although the terminal measures graphemes:\n%s", ansi.Strip(frame))
	}
	for i, l := range strings.Split(frame, "\n") {
		if w := ansi.StringWidth(l); w != 100 {
			t.Errorf("line %d is %d cells, want 100: %q", i, w, ansi.Strip(l))
		}
	}
	golden.RequireEqual(t, []byte(ansi.Strip(frame)))
}

func TestPlainLineKeepsStylesAndPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[1mI ❤️ it\x1b[m │": "\x1b[1mI ❤  it\x1b[m │",
		"a👨‍👩‍👧‍👦b":              "a👨b",
		"👍🏽!":                    "👍!",
		"1️⃣":                    "1 ",
		"plain 👍 山田":             "plain 👍 山田",
	} {
		if got := plainLine(in); got != want {
			t.Errorf("plainLine(%q) = %q, want %q", in, got, want)
		}
		if ansi.StringWidth(in) != ansi.StringWidthWc(plainLine(in)) {
			t.Errorf("%q: %d cells as clusters, %d per code point after", in, ansi.StringWidth(in), ansi.StringWidthWc(plainLine(in)))
		}
	}
}
