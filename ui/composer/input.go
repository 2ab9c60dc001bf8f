package composer

import (
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
)

// input is the textarea with the answers of its getters kept until it
// changes. textarea.Model is about 15 KB and its getters take it by
// value, so each call copies all of it; the composer asks some ten of
// them on every frame (for its view's key) and after every message (for
// the layout's height). Every change goes through input's methods, which
// drop the answers.
type input struct {
	ta textarea.Model
	ok bool // st holds the getters' answers for ta as it is
	st inputState
}

// inputState is what the composer reads of the textarea: with the
// placeholder, styles and width (which the composer sets), everything the
// textarea's view is drawn from.
type inputState struct {
	value                     string
	line, col, scroll, height int
	focused, selecting        bool
	selFrom, selTo            textarea.Position
}

// state is the getters' answers, asked again after a change.
func (in *input) state() *inputState {
	if !in.ok {
		ta := &in.ta
		s := inputState{value: ta.Value(), line: ta.Line(), col: ta.Column(), scroll: ta.ScrollYOffset(),
			height: ta.Height(), focused: ta.Focused()}
		s.selFrom, s.selTo, s.selecting = ta.Selection()
		in.st, in.ok = s, true
	}
	return &in.st
}

func (in *input) Value() string { return in.state().value }
func (in *input) Line() int     { return in.state().line }
func (in *input) Column() int   { return in.state().col }
func (in *input) Height() int   { return in.state().height }
func (in *input) Focused() bool { return in.state().focused }

// View draws the textarea.
func (in *input) View() string { return in.ta.View() }

func (in *input) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	in.ta, cmd = in.ta.Update(msg)
	in.ok = false
	return cmd
}

func (in *input) InsertString(s string) {
	in.ta.InsertString(s)
	in.ok = false
}

func (in *input) SelectAll() {
	in.ta.SelectAll()
	in.ok = false
}

func (in *input) DeleteSelection() {
	in.ta.DeleteSelection()
	in.ok = false
}

func (in *input) MoveToBegin() {
	in.ta.MoveToBegin()
	in.ok = false
}

func (in *input) Focus() tea.Cmd {
	cmd := in.ta.Focus()
	in.ok = false
	return cmd
}

func (in *input) Blur() {
	in.ta.Blur()
	in.ok = false
}

func (in *input) SetStyles(st textarea.Styles) {
	in.ta.SetStyles(st)
	in.ok = false
}

func (in *input) SetWidth(w int) {
	in.ta.SetWidth(w)
	in.ok = false
}

// SetPlaceholder sets the text shown while empty.
func (in *input) SetPlaceholder(s string) { in.ta.Placeholder = s }

// Placeholder is the text shown while empty.
func (in *input) Placeholder() string { return in.ta.Placeholder }
