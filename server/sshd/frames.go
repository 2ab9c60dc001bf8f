package sshd

import (
	"sync/atomic"
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
//
// What the person at the terminal does (keys, paste, mouse, resize) is
// drawn within the base interval. Everything else (messages, receipts,
// presence, ticks) may wait for the load interval, which grows with the
// number of sessions and what their frames cost (framePacer): past
// saturation sessions skip frames instead of the server falling behind on
// all of them.
//
// It is a pointer, and updates a model that can (stepper) in place: Bubble
// Tea's Update returns the model as an interface, and a value there is a
// heap copy for every message of every session.
type frameCap struct {
	m    tea.Model
	step stepper   // m updated in place; nil: through Update
	rows rowViewer // m's frames as rows, for the line renderer; may be nil
	st   *frameState
}

// stepper is a model that updates in place (the TUI: ui.Model.Step).
type stepper interface{ Step(tea.Msg) tea.Cmd }

// rowViewer is a model that can hand a frame to the line renderer as
// rows of segments rather than one string (the TUI: ui.Model.ViewRows;
// ok false: only View draws this one).
type rowViewer interface {
	ViewRows(dst [][]string) (v tea.View, rows [][]string, lead []int, ok bool)
}

type frameState struct {
	interval time.Duration        // for the person's own input
	load     func() time.Duration // for everything else; nil: interval
	now      func() time.Time
	observe  func(time.Duration) // told what each fresh frame cost; may be nil

	view    tea.View
	drawn   time.Time // when view was computed
	have    bool      // view holds a computed view
	stale   bool      // an Update ran since view was computed
	urgent  bool      // ... and it was the person's input
	pending bool      // a refresh is scheduled ...
	nextAt  time.Time // ... for then

	lines   *lineRenderer // draws the views, when Bubble Tea's renderer is off
	rowsBuf [][]string    // the rows of the last frame, for their room

	// chatAt is when, in Unix nanoseconds, the next frame that chat
	// events cause may be drawn (the last frame plus the load interval);
	// read by the event pump (see pace).
	chatAt atomic.Int64
	paced  atomic.Bool // an event pump waits for chatAt
}

// frameDuer is a model that can tell that its next frame should not wait
// for the load interval (the TUI: enough new messages to scroll some past).
type frameDuer interface{ FrameDue() bool }

// refreshMsg asks for a fresh view; st tells sessions' refreshes apart.
type refreshMsg struct{ st *frameState }

func newFrameCap(m tea.Model, interval time.Duration, load func() time.Duration, now func() time.Time) *frameCap {
	if interval <= 0 {
		interval = DefaultFrameInterval
	}
	step, _ := m.(stepper)
	rows, _ := m.(rowViewer)
	return &frameCap{m: m, step: step, rows: rows, st: &frameState{interval: interval, load: load, now: now}}
}

func (f *frameCap) Init() tea.Cmd { return f.m.Init() }

func (f *frameCap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	st := f.st
	if r, ok := msg.(refreshMsg); ok && r.st == st {
		if !st.now().Before(st.nextAt) {
			st.pending = false // an earlier refresh replaced by a later one is left pending
		}
		return f, f.schedule()
	}
	var cmd tea.Cmd
	if f.step != nil {
		cmd = f.step.Step(msg)
	} else {
		f.m, cmd = f.m.Update(msg)
	}
	m := f.m
	st.stale = true
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if st.lines != nil {
			st.lines.resize(msg.Width, msg.Height)
		}
		st.urgent = true
	case tea.KeyPressMsg, tea.PasteMsg, tea.MouseMsg:
		st.urgent = true
	}
	if d, ok := m.(frameDuer); ok && d.FrameDue() {
		st.urgent = true // what arrived would scroll past unseen if drawn later
	}
	if sched := f.schedule(); sched != nil {
		cmd = tea.Batch(cmd, sched)
	}
	return f, cmd
}

// dueAt is when the stale view may be drawn: the base interval after the
// last frame for the person's input, chatAt for everything else (what the
// pump waits for, so that the two agree to the nanosecond).
func (st *frameState) dueAt() time.Time {
	if st.urgent || st.load == nil {
		return st.drawn.Add(st.interval)
	}
	return time.Unix(0, st.chatAt.Load())
}

// refreshLag is how long after a chat frame is due its refresh comes when
// the session's events are paced (see pace). The pump hands over the
// frame's events the moment it is due, and the update that takes them
// draws it then; a refresh at that same moment could draw first, and the
// events would wait for the frame after. This late, the refresh finds
// the frame drawn, or draws what came outside the pump. So the usual
// frame costs no timer and no wake of its own.
const refreshLag = 10 * time.Millisecond

// schedule returns a refresh for when the next frame is due, unless the
// view is fresh or a refresh is already on its way in time. The person's
// input comes due sooner than a refresh scheduled for a chat event: then
// a second, earlier refresh is scheduled, and the later one finds nothing
// left to draw.
func (f *frameCap) schedule() tea.Cmd {
	st := f.st
	if !st.stale {
		return nil
	}
	now := st.now()
	at := st.dueAt()
	if !now.Before(at) {
		return nil // View, which runs next, draws it now
	}
	if !st.urgent && st.paced.Load() {
		at = at.Add(refreshLag)
	}
	if st.pending && !st.nextAt.After(at) {
		return nil
	}
	st.pending, st.nextAt = true, at
	return tea.Tick(at.Sub(now), func(time.Time) tea.Msg { return refreshMsg{st: st} })
}

func (f *frameCap) View() tea.View {
	st := f.st
	before, first := st.drawn, !st.have
	start := time.Now()
	v := f.view()
	fresh := st.drawn != before
	if st.lines != nil && (fresh || first) {
		// A computed frame goes out now: the line renderer has no clock
		// of its own. (The output queue never blocks.)
		st.lines.flush()
	}
	if fresh && st.observe != nil {
		st.observe(time.Since(start))
	}
	return v
}

func (f *frameCap) view() tea.View {
	st := f.st
	now := st.now()
	if !st.have {
		// The first view, drawn before any update, does not use up a
		// frame: the first update (the window size) is drawn at once.
		st.view, st.have = f.compute(), true
		return st.view
	}
	if !st.stale || now.Before(st.dueAt()) {
		return st.view
	}
	st.view, st.drawn, st.stale, st.urgent = f.compute(), now, false, false
	st.chatAt.Store(now.Add(st.chatDue()).UnixNano())
	return st.view
}

// chatDue is how long after a frame chat events may wait for the next.
func (st *frameState) chatDue() time.Duration {
	if st.load == nil {
		return st.interval
	}
	return max(st.interval, st.load())
}

// pace is the wait of a session's event pump (ui.Model.PumpEventsPaced)
// before it takes the chat events that have arrived: until the next frame
// they may cause is due. Drawn earlier they could not be, and meanwhile
// they gather, so that the session's program wakes once a frame for all
// of them rather than once per event: at a hundred messages a second,
// ten wakes of the pump and the program for each frame drawn, and on a
// busy server each wake waits its turn for a CPU. The update that takes
// them finds the frame due and draws it. What the person types does not
// go through it. It returns false when done closes.
func (st *frameState) pace(done <-chan struct{}) func() bool {
	st.paced.Store(true)
	var timer *time.Timer
	return func() bool {
		wait := time.Duration(st.chatAt.Load() - st.now().UnixNano())
		if wait <= 0 {
			return true
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-timer.C:
			return true
		case <-done:
			timer.Stop()
			return false
		}
	}
}

// compute asks the model for a view and gives it to the line renderer,
// as rows when the model can.
func (f *frameCap) compute() tea.View {
	st := f.st
	if st.lines != nil && f.rows != nil {
		if v, rows, lead, ok := f.rows.ViewRows(st.rowsBuf); ok {
			st.rowsBuf = rows
			st.lines.renderRows(v, rows, lead)
			return v
		}
	}
	v := f.m.View()
	if st.lines != nil {
		st.lines.render(v)
	}
	return v
}
