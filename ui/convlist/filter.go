package convlist

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// filterInput is the filter's text input. Its view is drawn from its
// state alone (text, cursor, scroll, focus, the virtual cursor's blink,
// width, styles), and that state changes only through the methods below,
// each of which counts a change: the list redraws the filter's line only
// when gen moved. textinput.Model is about 8 KB and its methods take it
// by value, so the text is kept aside too for the list's many reads.
type filterInput struct {
	ti    textinput.Model
	value string // ti.Value()
	gen   int    // changes to ti so far
}

func newFilterInput() filterInput {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "filter"
	return filterInput{ti: ti}
}

func (f *filterInput) changed() {
	f.value = f.ti.Value()
	f.gen++
}

// Update passes msg on: keys, and the cursor's blinks while focused.
func (f *filterInput) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.ti, cmd = f.ti.Update(msg)
	f.changed()
	return cmd
}

func (f *filterInput) Focus() tea.Cmd {
	cmd := f.ti.Focus()
	f.changed()
	return cmd
}

func (f *filterInput) Blur() {
	f.ti.Blur()
	f.changed()
}

func (f *filterInput) SetValue(s string) {
	f.ti.SetValue(s)
	f.changed()
}

func (f *filterInput) SetStyles(st textinput.Styles) {
	f.ti.SetStyles(st)
	f.changed()
}

func (f *filterInput) SetWidth(w int) {
	f.ti.SetWidth(w)
	f.changed()
}

// Value is the filter's text.
func (f *filterInput) Value() string { return f.value }

// View draws the input.
func (f *filterInput) View() string { return f.ti.View() }
