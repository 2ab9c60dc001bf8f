package composer

import (
	"runtime"
	"strings"
	"testing"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
)

type taState struct {
	value, view                          string
	line, col, height, scroll, lineCount int
	selection                            bool
}

func stateOf(m *Model) taState {
	ta := &m.in.ta
	return taState{value: ta.Value(), view: ta.View(), line: ta.Line(), col: ta.Column(),
		height: ta.Height(), scroll: ta.ScrollYOffset(), lineCount: ta.LineCount(), selection: ta.HasSelection()}
}

// edit changes the textarea with methods input does not have.
func edit(m *Model, f func(ta *textarea.Model)) {
	f(&m.in.ta)
	m.in.ok = false
}

// setText and clearText leave the textarea exactly as SetValue and Reset
// do, whatever came before: a long text scrolled to its end, the cursor
// in the middle, a selection.
func TestSetTextIsSetValue(t *testing.T) {
	long := strings.Repeat("line of text\n", 9) + "last line"
	befores := map[string]func(m *Model){
		"empty":    func(*Model) {},
		"one line": func(m *Model) { typeText(m, "hello there") },
		"long":     func(m *Model) { m.in.InsertString(long) },
		"cursor mid": func(m *Model) {
			m.in.InsertString(long)
			edit(m, func(ta *textarea.Model) { ta.CursorUp(); ta.CursorUp(); ta.SetCursorColumn(3) })
		},
		"at top": func(m *Model) { m.in.InsertString(long); m.in.MoveToBegin() },
		"selection": func(m *Model) {
			m.in.InsertString(long)
			m.Update(tea.KeyPressMsg{Code: tea.KeyLeft, Mod: tea.ModShift})
			m.Update(tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModShift})
		},
	}
	afters := []string{"", "x", "two\nlines", long, "wide ✓ 漢字 text"}
	for name, before := range befores {
		for _, s := range afters {
			want, _ := newComposer(t)
			got, _ := newComposer(t)
			before(want)
			before(got)
			if stateOf(want) != stateOf(got) {
				t.Fatalf("%s: the two composers differ before the change", name)
			}
			edit(want, func(ta *textarea.Model) { ta.SetValue(s) })
			got.setText(s)
			if w, g := stateOf(want), stateOf(got); w != g {
				t.Errorf("%s, then %q:\nSetValue %+v\nsetText  %+v", name, s, w, g)
			}
			edit(want, (*textarea.Model).Reset)
			got.clearText()
			if w, g := stateOf(want), stateOf(got); w != g {
				t.Errorf("%s, then %q, then cleared:\nReset     %+v\nclearText %+v", name, s, w, g)
			}
			// Both go on alike.
			typeText(want, "ab")
			typeText(got, "ab")
			want.Update(keyMsg("ctrl+j"))
			got.Update(keyMsg("ctrl+j"))
			typeText(want, "c")
			typeText(got, "c")
			if w, g := stateOf(want), stateOf(got); w != g {
				t.Errorf("%s, then %q, cleared and typed into:\nReset     %+v\nclearText %+v", name, s, w, g)
			}
		}
	}
}

// A composer keeps no 10,000-line reserve: not once built, nor after
// sending, switching conversations or editing.
func TestComposerHoldsLittleMemory(t *testing.T) {
	const n = 20
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	keep := make([]*Model, 0, n)
	base := heap()
	for range n {
		m, _ := newComposer(t)
		typeText(m, "hello")
		_, cmd := m.Update(keyMsg("enter"))
		run(cmd)
		m.SetTarget(Target{ConversationID: "group_other", Receiver: "other", ReceiverType: avengers.ReceiverType})
		m.SetTarget(avengers)
		typeText(m, "a draft\nof two lines")
		m.Update(keyMsg("esc"))
		keep = append(keep, m)
	}
	per := (int64(heap()) - int64(base)) / n
	runtime.KeepAlive(keep)
	// textarea.Reset alone reserves 240 KB.
	if per > 100<<10 {
		t.Fatalf("a composer holds %d KB", per>>10)
	}
	t.Logf("a composer holds %d KB", per>>10)
}
