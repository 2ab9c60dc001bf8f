package inspector

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

var t0 = time.Date(2026, 11, 26, 10, 6, 1, 203_000_000, time.UTC)

func meta(ms int, dir chat.Direction, ft string, raw string) chat.EventMeta {
	var b []byte
	if raw != "" {
		b = []byte(raw)
	}
	return chat.EventMeta{At: t0.Add(time.Duration(ms) * time.Millisecond), Dir: dir, FrameType: ft, Raw: b}
}

func mixed() []chat.Event {
	msg := chat.Message{ID: 1043, ConversationID: "group_avengers", Sender: "superhero3", Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText,
		Data: chat.MessageData{Text: "on my way"}}
	return []chat.Event{
		chat.ConnectionChanged{EventMeta: meta(-3000, chat.Local, "", ""), Status: chat.ConnConnected},
		chat.MessageReceived{EventMeta: meta(0, chat.Inbound, "message", `{"type":"message","body":{"id":"1043","data":{"text":"on my way"}}}`), Message: msg},
		chat.FrameSent{EventMeta: meta(207, chat.Outbound, "receipts",
			`{"receiver":"superhero3","receiverType":"user","type":"receipts","body":{"action":"read","messageId":"1043"}}`)},
		chat.TypingStarted{EventMeta: meta(798, chat.Inbound, "typing_indicator", `{}`),
			Typing: chat.Typing{Sender: chat.User{UID: "superhero3"}, Receiver: "avengers", ReceiverType: chat.ReceiverGroup}},
		chat.PresenceChanged{EventMeta: meta(3914, chat.Inbound, "presence", `{}`), User: chat.User{UID: "superhero4"}, Online: true},
		chat.GroupMemberChanged{EventMeta: meta(6787, chat.Inbound, "message", `{}`), Action: chat.ActionScopeChanged,
			Message: chat.Message{ConversationID: "group_avengers", Sender: "superhero1", Receiver: "avengers"},
			By:      chat.User{UID: "superhero1"}, On: chat.User{UID: "superhero2"}, OldScope: chat.ScopeParticipant, NewScope: chat.ScopeModerator},
		&chat.ReactionChanged{EventMeta: meta(7000, chat.Inbound, "reaction", `{}`), Added: true, ConversationID: "group_avengers",
			Reaction: chat.Reaction{MessageID: 1043, Reaction: "👍", UID: "superhero2"}},
		chat.ReceiptReceived{EventMeta: meta(7100, chat.Inbound, "receipts", `{}`),
			Receipt: chat.Receipt{MessageID: 1044, Sender: "superhero2", Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Type: chat.ReceiptDelivered}},
		chat.TransientReceived{EventMeta: meta(7200, chat.Inbound, "transient_message", `{}`), Sender: chat.User{UID: "superhero5"},
			Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Data: map[string]any{"live": "🎉"}},
		chat.ConnectionChanged{EventMeta: meta(7797, chat.Local, "", ""), Status: chat.ConnConnecting, Attempt: 2,
			RetryIn: 1200 * time.Millisecond, Err: errors.New("read: connection reset")},
	}
}

func newInspector(w, h int) *Model {
	c := &common.Common{Theme: common.NewTheme(true, false), Now: func() time.Time { return t0 },
		Me: chat.User{UID: "superhero1"}, Loc: time.UTC}
	m := New(c)
	m.SetSize(w, h)
	m.SetConversation("group_avengers")
	for _, ev := range mixed() {
		m.Add(ev)
	}
	return m
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		default:
			msg = tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		}
		m.Update(msg)
	}
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func TestGoldenMixed(t *testing.T) {
	golden.RequireEqual(t, []byte(view(newInspector(110, 12))))
}

func TestGoldenPaused(t *testing.T) {
	m := newInspector(110, 8)
	press(m, "p")
	for _, ev := range mixed()[:3] {
		m.Add(ev)
	}
	golden.RequireEqual(t, []byte(view(m)))
}

func TestGoldenExpanded(t *testing.T) {
	m := newInspector(90, 14)
	press(m, "up", "up", "up", "up", "up", "up", "up", "enter")
	golden.RequireEqual(t, []byte(view(m)))
}

func TestPauseKeepsBuffering(t *testing.T) {
	m := newInspector(110, 20)
	press(m, "p")
	m.Add(chat.PresenceChanged{EventMeta: meta(9000, chat.Inbound, "presence", `{}`), User: chat.User{UID: "superhero9"}})
	if v := view(m); strings.Contains(v, "superhero9") || !strings.Contains(v, "paused · 1 new") {
		t.Fatalf("paused view:\n%s", v)
	}
	press(m, "p")
	if v := view(m); !strings.Contains(v, "superhero9") || !strings.Contains(v, "live") {
		t.Fatalf("resumed view lost the buffered event:\n%s", v)
	}
}

func TestFiltersAndClear(t *testing.T) {
	m := newInspector(110, 20)
	press(m, "f", "f", "f") // all → message → typing → receipts
	v := view(m)
	if !strings.Contains(v, "receipts") || strings.Contains(v, "on my way") || strings.Contains(v, "online") {
		t.Fatalf("receipts filter:\n%s", v)
	}
	if n := strings.Count(v, "#104"); n != 2 {
		t.Fatalf("%d receipt rows, want 2 (one in, one out):\n%s", n, v)
	}
	press(m, "f", "f", "f", "f", "f", "F") // back to all, this conversation only
	v = view(m)
	if strings.Contains(v, "superhero4 ") || strings.Contains(v, "superhero5") || !strings.Contains(v, "reconnecting") {
		t.Fatalf("conversation filter:\n%s", v)
	}
	press(m, "c")
	if m.Len() != 0 || !strings.Contains(view(m), "no events yet") {
		t.Fatalf("clear kept %d", m.Len())
	}
}

func TestRingIsBounded(t *testing.T) {
	m := newInspector(80, 5)
	for i := range Capacity + 10 {
		m.Add(chat.PresenceChanged{EventMeta: meta(i, chat.Inbound, "presence", ""), User: chat.User{UID: "u"}, Online: true})
	}
	if m.Len() != Capacity {
		t.Fatalf("kept %d, want %d", m.Len(), Capacity)
	}
	if first := m.at(0); first.seq != uint64(len(mixed())+10+1) {
		t.Fatalf("oldest kept is #%d", first.seq)
	}
}

func TestFrameSize(t *testing.T) {
	for _, w := range []int{30, 60, 120} {
		m := newInspector(w, 9)
		press(m, "up", "enter")
		lines := strings.Split(m.View(), "\n")
		if len(lines) != 9 {
			t.Fatalf("%d lines", len(lines))
		}
		for i, l := range lines {
			if ansi.StringWidth(l) != w {
				t.Fatalf("width %d line %d: %d %q", w, i, ansi.StringWidth(l), ansi.Strip(l))
			}
		}
	}
}

func TestSetCapacityKeepsTheNewest(t *testing.T) {
	m := newInspector(80, 5)
	for i := range 20 {
		m.Add(chat.PresenceChanged{EventMeta: meta(i, chat.Inbound, "presence", ""), User: chat.User{UID: "u"}, Online: true})
	}
	newest := m.at(m.Len() - 1).seq
	m.SetCapacity(5)
	if m.Len() != 5 || m.at(4).seq != newest || m.at(0).seq != newest-4 {
		t.Fatalf("kept %d rows, #%d to #%d; want 5 ending at #%d", m.Len(), m.at(0).seq, m.at(m.Len()-1).seq, newest)
	}
	for i := range 7 {
		m.Add(chat.PresenceChanged{EventMeta: meta(100+i, chat.Inbound, "presence", ""), User: chat.User{UID: "u"}, Online: true})
	}
	if m.Len() != 5 || m.at(4).seq != newest+7 || m.at(0).seq != newest+3 {
		t.Fatalf("after more: kept %d rows, #%d to #%d", m.Len(), m.at(0).seq, m.at(m.Len()-1).seq)
	}
}
