package sshd

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// DefaultFrameInterval is how often a session's view is recomputed at
// most: 30 frames a second.
const DefaultFrameInterval = time.Second / 30

// frameCap wraps a session's model so that its View runs at most once a
// frame. Bubble Tea calls View after every Update, but the renderer only
// draws the latest view at its frame rate; with hundreds of sessions each
// receiving a stream of chat events, the views computed between two
// frames were most of the server's work, and all thrown away.
//
// Between frames View returns the view it computed last. Each Update
// that leaves the view stale makes sure a refresh is scheduled, so the
// screen always catches up within one interval of the last change.
type frameCap struct {
	m  tea.Model
	st *frameState // shared by the copies Bubble Tea's value Update makes
}

type frameState struct {
	interval time.Duration
	now      func() time.Time

	view    tea.View
	drawn   time.Time // when view was computed
	have    bool      // view holds a computed view
	stale   bool      // an Update ran since view was computed
	pending bool      // a refresh is scheduled
}

// refreshMsg asks for a fresh view; st tells sessions' refreshes apart.
type refreshMsg struct{ st *frameState }

func newFrameCap(m tea.Model, interval time.Duration, now func() time.Time) frameCap {
	if interval <= 0 {
		interval = DefaultFrameInterval
	}
	return frameCap{m: m, st: &frameState{interval: interval, now: now}}
}

func (f frameCap) Init() tea.Cmd { return f.m.Init() }

func (f frameCap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	st := f.st
	if r, ok := msg.(refreshMsg); ok && r.st == st {
		st.pending = false
		return f, f.schedule()
	}
	m, cmd := f.m.Update(msg)
	f.m = m
	st.stale = true
	if sched := f.schedule(); sched != nil {
		cmd = tea.Batch(cmd, sched)
	}
	return f, cmd
}

// schedule returns a refresh for when the next frame is due, unless the
// view is fresh or a refresh is already on its way.
func (f frameCap) schedule() tea.Cmd {
	st := f.st
	if !st.stale || st.pending {
		return nil
	}
	wait := st.interval - st.now().Sub(st.drawn)
	if wait <= 0 {
		return nil // View, which runs next, draws it now
	}
	st.pending = true
	return tea.Tick(wait, func(time.Time) tea.Msg { return refreshMsg{st: st} })
}

func (f frameCap) View() tea.View {
	st := f.st
	now := st.now()
	if st.have && (!st.stale || now.Sub(st.drawn) < st.interval) {
		return st.view
	}
	if !st.have {
		// The first view, drawn before any update, does not use up a
		// frame: the first update (the window size) is drawn at once.
		st.view, st.have = f.m.View(), true
		return st.view
	}
	st.view, st.drawn, st.stale = f.m.View(), now, false
	return st.view
}
