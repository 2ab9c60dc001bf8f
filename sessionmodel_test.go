package main

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"cometterm/ui"
)

// TestSSHSessionModelIsSteppedAndDrawnInRows: the model an SSH session
// gets (a *ui.Model) has the methods through which the SSH server updates
// it in place, draws it a row at a time and paces its events. The server finds them by
// interface, so a changed signature would not fail to compile; it would
// only make every session cost more.
func TestSSHSessionModelIsSteppedAndDrawnInRows(t *testing.T) {
	var m tea.Model = new(ui.Model)
	if _, ok := m.(interface{ Step(tea.Msg) tea.Cmd }); !ok {
		t.Error("*ui.Model has no Step(tea.Msg) tea.Cmd")
	}
	if _, ok := m.(interface {
		ViewRows([][]string) (tea.View, [][]string, []int, bool)
	}); !ok {
		t.Error("*ui.Model has no ViewRows([][]string) (tea.View, [][]string, []int, bool)")
	}
	if _, ok := m.(interface {
		PumpEventsPaced(func(tea.Msg), func() bool, <-chan struct{})
	}); !ok {
		t.Error("*ui.Model has no PumpEventsPaced(func(tea.Msg), func() bool, <-chan struct{})")
	}
}
