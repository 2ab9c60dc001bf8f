package statusbar

import (
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/ui/common"
)

// The remembered bar must always be what drawing afresh gives.
func TestViewMemoFollowsEveryChange(t *testing.T) {
	m := newBar(80)
	check := func(step string) {
		t.Helper()
		if got, want := m.View(), m.draw(); got != want {
			t.Fatalf("after %s: remembered %q, fresh %q", step, got, want)
		}
	}
	check("start")
	m.SetStatus(chat.ConnConnected, 0, 0)
	check("connected")
	m.SetStatus(chat.ConnDisconnected, 2, 1500*time.Millisecond)
	check("disconnected")
	m.SetStatus(chat.ConnConnecting, 3, 0)
	check("reconnecting")
	m.Notice("saved", false)
	check("notice")
	m.Notice("failed", true)
	check("error notice")
	m.SetSize(50, 1)
	check("resize")
	m.c.Me.Name = "Tony"
	check("renamed")
	m.c.Theme = common.NewTheme(false, false)
	check("theme")
}
