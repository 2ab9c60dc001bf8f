package composer

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

var now = time.Date(2026, 11, 26, 10, 10, 0, 0, time.UTC)

var avengers = Target{ConversationID: "group_avengers", Receiver: "avengers", ReceiverType: chat.ReceiverGroup, Title: "#Avengers HQ"}

func newComposer(t *testing.T) (*Model, *time.Time) {
	t.Helper()
	clock := now
	c := &common.Common{Theme: common.NewTheme(true, false), Now: func() time.Time { return clock },
		Me: chat.User{UID: "superhero1", Name: "Iron Man"}, Loc: time.UTC}
	m := New(c)
	m.IdleTimeout = time.Millisecond // ticks fire at once when a test runs them
	m.SetSize(60, 0)
	m.SetTarget(avengers)
	m.SetMentionables([]chat.User{
		{UID: "superhero1", Name: "Iron Man"}, {UID: "superhero2", Name: "Captain America"},
		{UID: "superhero3", Name: "Spiderman"}, {UID: "superhero4", Name: "Wolverine"},
	})
	return m, &clock
}

// run executes a command tree and returns the messages it produced.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "alt+enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt}
	case "ctrl+j":
		return tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// typeText sends each rune as a key press and returns every message the
// commands produced.
func typeText(m *Model, s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		k := keyMsg(string(r))
		if r == ' ' {
			k = keyMsg("space")
		}
		_, cmd := m.Update(k)
		out = append(out, run(cmd)...)
	}
	return out
}

func press(m *Model, k string) []tea.Msg {
	_, cmd := m.Update(keyMsg(k))
	return run(cmd)
}

func only[T any](msgs []tea.Msg) []T {
	var out []T
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func TestGoldenEmpty(t *testing.T) {
	m, _ := newComposer(t)
	golden.RequireEqual(t, []byte(view(m)))
}

func TestGoldenMultiLine(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "first line")
	press(m, "alt+enter")
	typeText(m, "second")
	press(m, "ctrl+j")
	typeText(m, "三行目 🚀")
	if got := m.Value(); got != "first line\nsecond\n三行目 🚀" {
		t.Fatalf("value %q", got)
	}
	if m.Height() != 5 {
		t.Fatalf("height %d", m.Height())
	}
	golden.RequireEqual(t, []byte(view(m)))
}

func TestGoldenSlashCompletion(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "/b")
	if !m.PopupOpen() {
		t.Fatal("no popup for /b")
	}
	golden.RequireEqual(t, []byte(view(m)))
	press(m, "down")
	press(m, "tab")
	if m.Value() != "/block " {
		t.Fatalf("completed to %q", m.Value())
	}
}

func TestGoldenMentionPopup(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "ping @sp")
	golden.RequireEqual(t, []byte(view(m)))
}

func TestEnterSendsAndEndsTyping(t *testing.T) {
	m, _ := newComposer(t)
	msgs := typeText(m, "hello")
	if starts := only[common.Typing](msgs); len(starts) != 1 || !starts[0].Started || starts[0].Receiver != "avengers" {
		t.Fatalf("typing started %+v", starts)
	}
	out := press(m, "enter")
	sends := only[common.SendText](out)
	if len(sends) != 1 || sends[0].Text != "hello" || sends[0].ConversationID != "group_avengers" || sends[0].ReceiverType != chat.ReceiverGroup {
		t.Fatalf("sent %+v", out)
	}
	if ends := only[common.Typing](out); len(ends) != 1 || ends[0].Started {
		t.Fatalf("typing not ended on send: %+v", out)
	}
	if m.Value() != "" {
		t.Fatal("composer not cleared")
	}
	if press(m, "enter") != nil {
		t.Fatal("empty enter sent something")
	}
}

func TestTypingEndsWhenIdle(t *testing.T) {
	m, clock := newComposer(t)
	msgs := typeText(m, "hi")
	idles := only[idleMsg](msgs)
	if len(idles) != 2 {
		t.Fatalf("%d idle ticks", len(idles))
	}
	_, cmd := m.Update(idles[0]) // stale: a later keystroke came
	if cmd != nil {
		t.Fatal("stale idle tick ended typing")
	}
	_, cmd = m.Update(idles[1])
	if ends := only[common.Typing](run(cmd)); len(ends) != 1 || ends[0].Started {
		t.Fatal("idle did not end typing")
	}
	// Typing on for longer than the refresh sends "started" again.
	typeText(m, "a")
	*clock = clock.Add(typingRefresh)
	if starts := only[common.Typing](typeText(m, "b")); len(starts) != 1 || !starts[0].Started {
		t.Fatal("no refresh of typing started")
	}
}

func TestSlashCommandsNeverSendTyping(t *testing.T) {
	m, _ := newComposer(t)
	if ty := only[common.Typing](typeText(m, "/kick x")); len(ty) != 0 {
		t.Fatalf("typing sent for a command: %+v", ty)
	}
}

func TestUpOnEmptyAsksToEditLast(t *testing.T) {
	m, _ := newComposer(t)
	out := press(m, "up")
	if e := only[EditLastMsg](out); len(e) != 1 || e[0].ConversationID != "group_avengers" {
		t.Fatalf("up gave %+v", out)
	}
	m.BeginEdit(chat.Message{ID: 42, Data: chat.MessageData{Text: "helo <@uid:superhero3>",
		Mentions: map[string]chat.User{"superhero3": {UID: "superhero3", Name: "Spiderman"}}}})
	if m.Value() != "helo @Spiderman" {
		t.Fatalf("edit shows %q", m.Value())
	}
	if !strings.Contains(view(m), "editing message #42") {
		t.Fatal("no editing status")
	}
	press(m, "esc")
	if m.Editing() != nil || m.Value() != "" {
		t.Fatal("esc did not cancel the edit")
	}
	m.BeginEdit(chat.Message{ID: 42, Data: chat.MessageData{Text: "helo"}})
	typeText(m, "!")
	out = press(m, "enter")
	if e := only[common.EditMessage](out); len(e) != 1 || e[0].ID != 42 || e[0].Text != "helo!" {
		t.Fatalf("edit sent %+v", out)
	}
	if only[common.SendText](out) != nil {
		t.Fatal("an edit also sent a new message")
	}
}

func TestMentionInsertsToken(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "hey @cap")
	press(m, "enter") // accepts the completion, does not send
	if m.Value() != "hey @Captain America " {
		t.Fatalf("value %q", m.Value())
	}
	typeText(m, "and :fire:")
	out := press(m, "enter")
	if s := only[common.SendText](out); len(s) != 1 || s[0].Text != "hey <@uid:superhero2> and 🔥" {
		t.Fatalf("sent %+v", out)
	}
}

func TestMentionPopupNeverOffersMe(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "@")
	for _, c := range m.items {
		if c.uid == "superhero1" {
			t.Fatal("offered to mention myself")
		}
	}
	if len(m.items) != 3 {
		t.Fatalf("%d candidates", len(m.items))
	}
}

func TestCommands(t *testing.T) {
	good := map[string]common.Command{
		"/msg superhero2":                   {Name: "msg", Args: []string{"superhero2"}},
		"/msg superhero2 hi  there":         {Name: "msg", Args: []string{"superhero2", "hi  there"}},
		"/join shield s3cret":               {Name: "join", Args: []string{"shield", "s3cret"}},
		"/create lab \"Stark Lab\" private": {Name: "create", Args: []string{"lab", "Stark Lab", "private"}},
		"/create ops Ops password pw":       {Name: "create", Args: []string{"ops", "Ops", "password", "pw"}},
		"/add a b c":                        {Name: "add", Args: []string{"a", "b", "c"}},
		"/scope superhero3 moderator":       {Name: "scope", Args: []string{"superhero3", "moderator"}},
		"/edit new text here":               {Name: "edit", Args: []string{"new text here"}},
		"/quit":                             {Name: "quit"},
	}
	for line, want := range good {
		got, err := ParseCommand(line)
		if err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if got.Name != want.Name || strings.Join(got.Args, "|") != strings.Join(want.Args, "|") {
			t.Errorf("%s: got %+v", line, got)
		}
	}
	bad := map[string]string{
		"/frobnicate":               "unknown command /frobnicate",
		"/kick":                     "usage: /kick <uid>",
		"/kick a b":                 "usage: /kick <uid>",
		"/scope superhero3 king":    `scope must be admin, moderator or participant, not "king"`,
		"/create ops Ops password":  "a password group needs a password",
		"/create ops Ops secret":    "group type must be public, password or private",
		"/create ops Ops public pw": "only password groups take a password",
		"/leave now":                "usage: /leave",
		"/join \"open":              "a quote is not closed",
		"/":                         "type a command after /",
	}
	for line, want := range bad {
		_, err := ParseCommand(line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", line, err, want)
		}
	}
}

func TestWrongCommandShowsErrorAndSendsNothing(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "/kick")
	press(m, "esc") // close the completion
	out := press(m, "enter")
	if len(out) != 0 {
		t.Fatalf("sent %+v", out)
	}
	if !strings.Contains(view(m), "usage: /kick <uid>") || m.Value() != "/kick" {
		t.Fatalf("no inline error:\n%s", view(m))
	}
	golden.RequireEqual(t, []byte(view(m)))
	typeText(m, " superhero3")
	out = press(m, "enter")
	if c := only[common.Command](out); len(c) != 1 || c[0].Name != "kick" || c[0].Args[0] != "superhero3" {
		t.Fatalf("command %+v", out)
	}
}

func TestDoubleSlashSendsText(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "//shrug")
	if s := only[common.SendText](press(m, "enter")); len(s) != 1 || s[0].Text != "/shrug" {
		t.Fatalf("sent %+v", s)
	}
}

func TestDraftsKeptPerConversation(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "draft for avengers")
	out := run(m.SetTarget(Target{ConversationID: "superhero1_user_superhero2", Receiver: "superhero2", ReceiverType: chat.ReceiverUser, Title: "Captain America"}))
	if ends := only[common.Typing](out); len(ends) != 1 || ends[0].Started || ends[0].Receiver != "avengers" {
		t.Fatalf("switching did not end typing in the old conversation: %+v", out)
	}
	if m.Value() != "" {
		t.Fatal("draft leaked into another conversation")
	}
	m.SetTarget(avengers)
	if m.Value() != "draft for avengers" {
		t.Fatalf("draft lost: %q", m.Value())
	}
}

func TestViewWidth(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "/")
	for i, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w != 60 {
			t.Errorf("line %d width %d: %q", i, w, ansi.Strip(l))
		}
	}
	if n := len(strings.Split(m.View(), "\n")); n != m.Height() {
		t.Fatalf("View has %d lines, Height says %d", n, m.Height())
	}
}

func TestGoldenArgumentCompletion(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "/scope ")
	golden.RequireEqual(t, []byte(view(m)))
	typeText(m, "superhero3 m")
	press(m, "tab")
	if m.Value() != "/scope superhero3 moderator " {
		t.Fatalf("completed to %q", m.Value())
	}
	out := press(m, "enter")
	if c := only[common.Command](out); len(c) != 1 || c[0].Args[1] != "moderator" {
		t.Fatalf("command %+v", out)
	}
}

func TestUserArgumentsCompleteFromTheDirectory(t *testing.T) {
	m, _ := newComposer(t)
	m.SetDirectory([]chat.User{
		{UID: "fury", Name: "Nick Fury"}, {UID: "superhero1", Name: "Iron Man"},
		{UID: "superhero2", Name: "Captain America"}, {UID: "superhero5", Name: "Cyclops"},
	})
	typeText(m, "/msg f")
	if v := view(m); !strings.Contains(v, "fury") || !strings.Contains(v, "Nick Fury") {
		t.Fatalf("/msg does not offer a user outside the conversation:\n%s", v)
	}
	press(m, "tab")
	if m.Value() != "/msg fury " {
		t.Fatalf("completed to %q", m.Value())
	}
	m.reset()

	// /add offers only who is not in the conversation yet; /kick only who is.
	typeText(m, "/add superhero")
	v := view(m)
	if !strings.Contains(v, "superhero5") || strings.Contains(v, "superhero2") || strings.Contains(v, "superhero1") {
		t.Fatalf("/add candidates:\n%s", v)
	}
	m.reset()
	typeText(m, "/kick superhero")
	if v := view(m); strings.Contains(v, "superhero5") || !strings.Contains(v, "superhero2") {
		t.Fatalf("/kick candidates:\n%s", v)
	}
}

func TestDirectoryArrivingWhileTypingOpensCompletion(t *testing.T) {
	m, _ := newComposer(t)
	typeText(m, "/msg fu")
	if m.PopupOpen() {
		t.Fatal("a completion list with nothing to offer")
	}
	m.SetDirectory([]chat.User{{UID: "fury", Name: "Nick Fury"}})
	if !m.PopupOpen() || !strings.Contains(view(m), "Nick Fury") {
		t.Fatalf("the directory arrived but the completion did not show it:\n%s", view(m))
	}
}
