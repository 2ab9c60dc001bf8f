package sshd

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// burstModel counts to n as fast as Bubble Tea delivers its own messages
// (one Update each), and counts how often its View runs.
type burstModel struct {
	i, n  int
	views *atomic.Int64
}

type step struct{}

func next() tea.Msg { return step{} }

func (m burstModel) Init() tea.Cmd { return next }
func (m burstModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(step); ok && m.i < m.n {
		m.i++
		if m.i < m.n {
			return m, next
		}
	}
	return m, nil
}
func (m burstModel) View() tea.View {
	m.views.Add(1)
	if m.i == m.n && m.n > 2 {
		// Unlike anything drawn before, so it reaches the stream whole.
		return tea.NewView("ALL DONE")
	}
	return tea.NewView(fmt.Sprintf("count %d/%d", m.i, m.n))
}

// burst runs a session whose model makes n updates in a burst and returns
// how many views were computed by the time the last count is on screen.
func burst(t *testing.T, frame time.Duration, n int) int64 {
	t.Helper()
	var views atomic.Int64
	f := startWith(t, false, 0, frame, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		return burstModel{n: n, views: &views}, func() {}, nil
	})
	c := dialNewKey(t, f.addr, "fran")
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "ALL DONE")
	return views.Load()
}

// TestViewsCappedToFrames: a burst of updates computes about one view a
// frame, not one per update, and the last state still reaches the screen.
func TestViewsCappedToFrames(t *testing.T) {
	const n = 3000
	capped := burst(t, 0, n)
	uncapped := burst(t, -1, n)
	t.Logf("%d updates: %d views with the frame cap, %d without", n, capped, uncapped)
	if uncapped < n {
		t.Fatalf("without the cap only %d views for %d updates: the burst did not exercise the cap", uncapped, n)
	}
	if capped > n/10 {
		t.Fatalf("with the cap %d views for %d updates", capped, n)
	}
}

// TestFrameCapCatchesUp: the first update is drawn at once; an update
// inside the next frame interval is drawn when the interval ends, without
// any further update to trigger it.
func TestFrameCapCatchesUp(t *testing.T) {
	var views atomic.Int64
	clock := time.Unix(1000, 0)
	fc := newFrameCap(burstModel{n: 2, views: &views}, 50*time.Millisecond, nil, func() time.Time { return clock })
	if got := fc.View().Content; got != "count 0/2" {
		t.Fatalf("first view %q", got)
	}
	m, _ := fc.Update(step{})
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 1/2" {
		t.Fatalf("the first update was not drawn at once: %q", got)
	}
	m, cmd := fc.Update(step{})
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 1/2" {
		t.Fatalf("a view inside the frame interval was recomputed: %q", got)
	}
	// The update's command carries the refresh; feed it back as Bubble
	// Tea would once the interval is over.
	clock = clock.Add(50 * time.Millisecond)
	refresh := findRefresh(t, cmd)
	m, _ = fc.Update(refresh)
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 2/2" {
		t.Fatalf("after the refresh the view is %q", got)
	}
	if views.Load() != 3 {
		t.Fatalf("%d views computed, want 3", views.Load())
	}
}

// findRefresh runs cmd (and the commands of a batch) until it yields the
// frame cap's refresh message; the model's own step command is skipped.
func findRefresh(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command: the stale view was never scheduled for a refresh")
	}
	switch msg := cmd().(type) {
	case refreshMsg:
		return msg
	case tea.BatchMsg:
		for _, c := range msg {
			if c == nil {
				continue
			}
			if r, ok := c().(refreshMsg); ok {
				return r
			}
		}
	}
	t.Fatal("no refresh scheduled")
	return nil
}

// loadedFrameCap is a frame cap over a ten-step burstModel with the base
// interval given, whose load interval and clock are *load and *clock as
// the test moves them; views counts the views computed.
func loadedFrameCap(interval time.Duration, load *time.Duration, clock *time.Time) (fc *frameCap, views *atomic.Int64) {
	views = new(atomic.Int64)
	fc = newFrameCap(burstModel{n: 10, views: views}, interval,
		func() time.Duration { return *load }, func() time.Time { return *clock })
	return fc, views
}

// TestFrameCapUnderLoad: chat events wait for the load interval, the
// person's keys only for the base interval, even with a chat event's
// refresh already scheduled for later.
func TestFrameCapUnderLoad(t *testing.T) {
	clock := time.Unix(1000, 0)
	load := 200 * time.Millisecond
	fc, _ := loadedFrameCap(50*time.Millisecond, &load, &clock)
	fc.View()
	m, _ := fc.Update(step{}) // the first update is drawn at once
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 1/10" {
		t.Fatalf("first update: %q", got)
	}

	// A chat event 60ms later waits: 60ms is past the base interval but
	// not the load interval.
	clock = clock.Add(60 * time.Millisecond)
	m, late := fc.Update(step{})
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 1/10" {
		t.Fatalf("a chat event was drawn before the load interval: %q", got)
	}
	if late == nil {
		t.Fatal("no refresh scheduled for the chat event")
	}

	// A key press in the same frame is drawn at once: the last frame was
	// more than the base interval ago.
	m, _ = fc.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 2/10" {
		t.Fatalf("a key press was not drawn within the base interval: %q", got)
	}

	// A key press right after a frame gets a refresh at the base
	// interval, earlier than the one pending for chat events.
	clock = clock.Add(10 * time.Millisecond)
	m, _ = fc.Update(step{}) // a chat event: waits for the load interval
	fc = m.(*frameCap)
	m, early := fc.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 2/10" {
		t.Fatalf("drawn inside the base interval: %q", got)
	}
	if early == nil {
		t.Fatal("the key press got no refresh of its own")
	}
	clock = clock.Add(50 * time.Millisecond)
	m, _ = fc.Update(findRefresh(t, early))
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 3/10" {
		t.Fatalf("the key press's refresh did not draw: %q", got)
	}
}

// dueModel is a burstModel that says its frame is due once it has counted
// past due: like a pane about to scroll unseen messages past.
type dueModel struct {
	burstModel
	due int
}

func (m dueModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	b, cmd := m.burstModel.Update(msg)
	m.burstModel = b.(burstModel)
	return m, cmd
}

func (m dueModel) FrameDue() bool { return m.i >= m.due }

// TestFrameDueSkipsTheLoadInterval: chat events that the model says must
// be drawn soon wait only for the base interval.
func TestFrameDueSkipsTheLoadInterval(t *testing.T) {
	var views atomic.Int64
	clock := time.Unix(1000, 0)
	fc := newFrameCap(dueModel{burstModel: burstModel{n: 10, views: &views}, due: 3}, 50*time.Millisecond,
		func() time.Duration { return time.Second }, func() time.Time { return clock })
	fc.View()
	m, _ := fc.Update(step{}) // drawn at once
	fc = m.(*frameCap)
	fc.View()
	clock = clock.Add(60 * time.Millisecond)
	m, _ = fc.Update(step{}) // count 2: not due, waits for the load interval
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 1/10" {
		t.Fatalf("drawn before the load interval: %q", got)
	}
	m, _ = fc.Update(step{}) // count 3: due, past the base interval
	fc = m.(*frameCap)
	if got := fc.View().Content; got != "count 3/10" {
		t.Fatalf("a due frame waited for the load interval: %q", got)
	}
}

// stepModel counts like burstModel, but in place through Step; its Update
// must not run: the frame cap steps a model that can.
type stepModel struct {
	i, n    int
	updates *atomic.Int64 // Update calls, which should be none
}

func (m *stepModel) Init() tea.Cmd { return next }
func (m *stepModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.updates.Add(1)
	return m, m.Step(msg)
}
func (m *stepModel) Step(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(step); ok && m.i < m.n {
		m.i++
		if m.i < m.n {
			return next
		}
	}
	return nil
}
func (m *stepModel) View() tea.View {
	if m.i == m.n {
		return tea.NewView("STEPPED ALL")
	}
	return tea.NewView(fmt.Sprintf("count %d/%d", m.i, m.n))
}

// TestFrameCapStepsInPlace: a session model that updates in place is
// stepped, never copied through Update, and its last state is drawn.
func TestFrameCapStepsInPlace(t *testing.T) {
	var updates atomic.Int64
	f := startWith(t, false, 0, 0, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		return &stepModel{n: 500, updates: &updates}, func() {}, nil
	})
	c := dialNewKey(t, f.addr, "gus")
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "STEPPED ALL")
	if n := updates.Load(); n != 0 {
		t.Fatalf("Update ran %d times; the frame cap should step the model in place", n)
	}
}
