package statusbar

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

func newBar(w int) *Model {
	c := &common.Common{Theme: common.NewTheme(true, false), Now: time.Now,
		Me: chat.User{UID: "superhero1", Name: "Iron Man"}, Loc: time.UTC}
	m := New(c, "embedded")
	m.SetSize(w, 1)
	return m
}

func TestGoldenStates(t *testing.T) {
	m := newBar(90)
	var out strings.Builder
	for _, st := range []struct {
		s       chat.ConnStatus
		attempt int
		retry   time.Duration
	}{{chat.ConnConnecting, 0, 0}, {chat.ConnConnected, 0, 0}, {chat.ConnConnecting, 2, 0}, {chat.ConnDisconnected, 3, 1200 * time.Millisecond}} {
		m.SetStatus(st.s, st.attempt, st.retry)
		out.WriteString(ansi.Strip(m.View()) + "\n")
	}
	m.SetStatus(chat.ConnConnected, 0, 0)
	m.Notice("joined Shield Ops", false)
	out.WriteString(ansi.Strip(m.View()) + "\n")
	golden.RequireEqual(t, []byte(out.String()))
}

func TestNarrowKeepsConnectionState(t *testing.T) {
	m := newBar(50)
	m.SetStatus(chat.ConnConnected, 0, 0)
	m.Notice("a long notice that cannot fit in a narrow terminal at all", true)
	v := ansi.Strip(m.View())
	if ansi.StringWidth(v) != 50 || !strings.Contains(v, "● connected") {
		t.Fatalf("%q", v)
	}
}

func TestNoticeClearsOnlyWithItsOwnTick(t *testing.T) {
	m := newBar(80)
	m.Notice("first", false)
	stale := clearMsg{gen: m.gen}
	m.Notice("second", false)
	m.Update(stale)
	if m.NoticeText() != "second" {
		t.Fatal("an old tick cleared a newer notice")
	}
	m.Update(clearMsg{gen: m.gen})
	if m.NoticeText() != "" {
		t.Fatal("notice not cleared")
	}
}
