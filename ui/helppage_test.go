package ui

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/ui/composer"
	"cometterm/ui/convlist"
	"cometterm/ui/directory"
	"cometterm/ui/inspector"
	"cometterm/ui/members"
	"cometterm/ui/messages"
	"cometterm/ui/msginfo"
)

// bindings is every key.Binding field of a keymap struct.
func bindings(keymap any) []key.Binding {
	v := reflect.ValueOf(keymap)
	var out []key.Binding
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out = append(out, b)
		}
	}
	return out
}

// The help page names every key of every keymap, so a key added to a
// part without a place on the page fails here.
func TestHelpPageListsEveryKey(t *testing.T) {
	m := screenFixture(t, 120, 36)
	page := ansi.Strip(strings.Join(m.helpLines(1000), "\n"))
	for name, km := range map[string]any{
		"root": DefaultKeyMap(), "convlist": convlist.DefaultKeyMap(), "messages": messages.DefaultKeyMap(),
		"composer": composer.DefaultKeyMap(), "members": members.DefaultKeyMap(), "inspector": inspector.DefaultKeyMap(),
		"msginfo": msginfo.DefaultKeyMap(), "directory": directory.DefaultKeyMap(),
	} {
		for _, b := range bindings(km) {
			h := b.Help()
			if strings.Contains(page, h.Key+" "+h.Desc) || strings.Contains(page, strings.Join(b.Keys(), "/")+" "+h.Desc) {
				continue
			}
			t.Errorf("%s: %q %q is not on the help page", name, h.Key, h.Desc)
		}
	}
	for _, c := range composer.Commands {
		if !strings.Contains(page, c.Usage()) {
			t.Errorf("command %s is not on the help page", c.Usage())
		}
	}
}

func TestHelpPageScrollsAndCloses(t *testing.T) {
	m := screenFixture(t, 80, 24) // too small for the whole page
	m.Update(tea.KeyPressMsg{Code: tea.KeyF1})
	scr := ansi.Strip(m.View().Content)
	if !strings.Contains(scr, "Everywhere") || strings.Contains(scr, "/quit") {
		t.Fatalf("the page does not start at the top:\n%s", scr)
	}
	if !strings.Contains(scr, "esc close help") {
		t.Fatalf("the footer does not say how to scroll and close:\n%s", scr)
	}
	for range 20 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	if scr := ansi.Strip(m.View().Content); !strings.Contains(scr, "/quit") || strings.Contains(scr, "Everywhere") {
		t.Fatalf("pgdn did not reach the end:\n%s", scr)
	}
	g := m.st.geo
	for range 100 {
		m.Update(tea.MouseWheelMsg{X: g.mainX + 3, Y: g.paneY + 2, Button: tea.MouseWheelUp})
	}
	if scr := ansi.Strip(m.View().Content); !strings.Contains(scr, "Everywhere") {
		t.Fatalf("the wheel did not scroll back to the top:\n%s", scr)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if m.st.showHelp {
		t.Fatal("esc did not close the help page")
	}
}
