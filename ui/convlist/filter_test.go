package convlist

import (
	"testing"
	"time"
	"unsafe"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// The title line kept while a filter is set is the one drawing the input
// afresh gives, whatever happened to the input, the list's size or the
// theme; and a new message does not draw it again.
func TestFilterTitleMatchesFreshDraw(t *testing.T) {
	m, _ := cachedList(t, 24, 12) // the input is 21 cells: long text scrolls
	// The cursor blinks every millisecond, so that a blink is one step.
	st := m.filter.ti.Styles()
	st.Cursor.BlinkSpeed = time.Millisecond
	m.filter.SetStyles(st)

	var blink tea.Cmd // the next blink, once the input has focus
	key := func(k tea.KeyPressMsg) func() {
		return func() {
			if _, cmd := m.Update(k); cmd != nil {
				blink = cmd
			}
		}
	}
	typed := func(s string) func() {
		return func() {
			for _, r := range s {
				key(press(string(r)))()
			}
		}
	}
	wolv := user("superhero4", "Wolverine", false)
	steps := []struct {
		name string
		do   func()
	}{
		{"no filter", func() {}},
		{"starting the filter", key(press("/"))},
		{"typing", typed("w")},
		{"typing more", typed("olverine")},
		{"typing past the width", typed(" and some more text")},
		{"cursor left", key(tea.KeyPressMsg{Code: tea.KeyLeft})},
		{"cursor to the start", key(tea.KeyPressMsg{Code: tea.KeyHome})},
		{"cursor right", key(tea.KeyPressMsg{Code: tea.KeyRight})},
		{"the cursor blinks", func() {
			if _, cmd := m.Update(blink()); cmd != nil {
				blink = cmd
			}
		}},
		{"the cursor blinks back", func() { m.Update(blink()) }},
		{"cursor to the end", key(tea.KeyPressMsg{Code: tea.KeyEnd})},
		{"deleting a word", key(tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl})},
		{"deleting to the start", key(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})},
		{"typing again", typed("wlv")},
		{"the list loses focus", func() { m.SetFocused(false) }},
		{"a message while blurred", func() {
			m.ApplyMessage(*text(50, wolv, "superhero1", chat.ReceiverUser, "snikt", now.Unix()), true)
		}},
		{"the list regains focus", func() { m.SetFocused(true) }},
		{"filtering again", key(press("/"))},
		{"backspace", key(tea.KeyPressMsg{Code: tea.KeyBackspace})},
		{"a message while typing", func() {
			m.ApplyMessage(*text(51, wolv, "superhero1", chat.ReceiverUser, "bub", now.Unix()), true)
		}},
		{"narrower", func() { m.SetSize(18, 12) }},
		{"wider", func() { m.SetSize(40, 12) }},
		{"a light theme", func() { m.c.Theme = common.NewTheme(false, false); m.SetTheme() }},
		{"no colour", func() { m.c.Theme = common.NewTheme(true, true); m.SetTheme() }},
		{"opening with enter", key(press("enter"))},
		{"clearing with esc", key(press("esc"))},
		{"an empty filter", key(press("/"))},
		{"leaving the empty filter", func() { m.SetFocused(false) }},
	}
	prev := ""
	for _, s := range steps {
		s.do()
		got := m.fittedTitle()
		if want := common.FitLine(referenceTitleLine(m), m.width, ""); got != want {
			t.Fatalf("after %s the title line is\n%q\nwant\n%q", s.name, got, want)
		}
		checkFresh(t, m, s.name)
		if s.name == "the cursor blinks" && got == prev {
			t.Fatal("the blink left the title line as it was: the test does not reach it")
		}
		prev = got
	}

	// A message redraws the list but not its title.
	m.SetFocused(true)
	typed("wlv")()
	m.View()
	before := m.title.line
	m.ApplyMessage(*text(52, wolv, "superhero1", chat.ReceiverUser, "again", now.Unix()), true)
	m.View()
	if unsafe.StringData(m.title.line) != unsafe.StringData(before) {
		t.Fatal("a new message drew the filter's title line again")
	}
}

// filterInput's text is the input's, after every kind of change.
func TestFilterInputKeepsItsValue(t *testing.T) {
	f := newFilterInput()
	check := func(step string) {
		t.Helper()
		if f.Value() != f.ti.Value() {
			t.Fatalf("after %s: Value %q, the input holds %q", step, f.Value(), f.ti.Value())
		}
	}
	f.Focus()
	check("focus")
	f.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	check("a key")
	f.Update(tea.PasteMsg{Content: "pasted\ttext"})
	check("a paste")
	f.SetValue("set")
	check("SetValue")
	f.SetWidth(2)
	f.SetStyles(textinput.DefaultStyles(false))
	f.Blur()
	check("blur")
	f.Update(tea.KeyPressMsg{Code: 'b', Text: "b"}) // ignored: no focus
	check("a key while blurred")
}
