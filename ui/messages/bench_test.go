package messages

import (
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"
)

const benchN = 100_000

func benchPane(b *testing.B) *Model {
	b.Helper()
	m := newPane(120, 40, many(1000, benchN), true)
	m.SetFocused(true)
	m.View()
	return m
}

// A key the pane ignores, then a frame: the cost of any keystroke.
func BenchmarkNoopKey100k(b *testing.B) {
	m := benchPane(b)
	k := tea.KeyPressMsg{Code: 'x', Text: "x"}
	for b.Loop() {
		m.Update(k)
		_ = m.View()
	}
}

// Selection up by one message, alternating direction so it stays in the
// middle of history.
func BenchmarkScrollLine100k(b *testing.B) {
	m := benchPane(b)
	for range 500 {
		m.Update(keyPress("up"))
	}
	up, down := keyPress("up"), keyPress("down")
	i := 0
	for b.Loop() {
		k := up
		if i%200 >= 100 {
			k = down
		}
		i++
		m.Update(k)
		_ = m.View()
	}
}

// Page up through fresh history: every page draws messages never drawn
// before, so this is the uncached cost.
func BenchmarkScrollPage100k(b *testing.B) {
	m := benchPane(b)
	up := keyPress("pgup")
	for b.Loop() {
		m.Update(up)
		_ = m.View()
	}
}

// Memory held by a pane with 100,000 messages loaded and one page drawn.
func BenchmarkMemory100k(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m := newPane(120, 40, many(1000, benchN), true)
		m.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-held")
		runtime.KeepAlive(m)
	}
}
