package sshd

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestPaceWaitsForTheFrame: the pump's wait ends when the frame that chat
// events may cause is due, at once when it is past, and early, with false,
// when the session ends.
func TestPaceWaitsForTheFrame(t *testing.T) {
	t0 := time.Now()
	st := &frameState{interval: 100 * time.Millisecond, now: func() time.Time { return t0 }}
	done := make(chan struct{})
	pace := st.pace(done)

	if start := time.Now(); !pace() || time.Since(start) > time.Second {
		t.Fatal("no frame drawn yet, and pace waited")
	}
	st.chatAt.Store(t0.Add(60 * time.Millisecond).UnixNano())
	start := time.Now()
	if !pace() {
		t.Fatal("pace returned false with the session open")
	}
	if waited := time.Since(start); waited < 60*time.Millisecond {
		t.Fatalf("pace waited %v, want the 60 ms to the frame", waited)
	}
	st.chatAt.Store(t0.Add(time.Hour).UnixNano())
	go func() {
		time.Sleep(20 * time.Millisecond)
		close(done)
	}()
	start = time.Now()
	if pace() {
		t.Fatal("pace returned true when the session ended")
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("the session's end took %v to stop the wait", waited)
	}
}

// TestFrameSetsWhenChatMayDrawNext: a computed frame moves chatAt to
// itself plus the load interval (at least the base interval).
func TestFrameSetsWhenChatMayDrawNext(t *testing.T) {
	now := time.Unix(1000, 0)
	load := 150 * time.Millisecond
	fc := newFrameCap(countModel{}, 40*time.Millisecond, func() time.Duration { return load }, func() time.Time { return now })
	fc.View() // the first view does not use up a frame
	if at := fc.st.chatAt.Load(); at != 0 {
		t.Fatalf("chatAt %d before any frame", at)
	}
	fc.Update(tea.KeyPressMsg{})
	fc.View()
	if got, want := fc.st.chatAt.Load(), now.Add(load).UnixNano(); got != want {
		t.Fatalf("chatAt %v after a frame, want %v", time.Unix(0, got).Sub(now), load)
	}
	load = time.Millisecond
	now = now.Add(time.Second)
	fc.Update(tea.KeyPressMsg{})
	fc.View()
	if got, want := fc.st.chatAt.Load(), now.Add(40*time.Millisecond).UnixNano(); got != want {
		t.Fatalf("chatAt %v after a frame, want the base interval", time.Unix(0, got).Sub(now))
	}
}

// TestPacedFrameNeedsNoRefresh: with a pump pacing the session's events,
// the update that hands them over when the frame is due draws it, with no
// refresh scheduled; an update that comes ahead of the frame gets its
// refresh refreshLag after the frame is due, behind the pump's.
func TestPacedFrameNeedsNoRefresh(t *testing.T) {
	clock := time.Unix(1000, 0)
	load := 100 * time.Millisecond
	fc, views := loadedFrameCap(40*time.Millisecond, &load, &clock)
	fc.st.pace(make(chan struct{}))
	fc.View()
	fc.Update(step{}) // the first update is drawn at once
	fc.View()
	frame := time.Unix(0, fc.st.chatAt.Load())

	// Ahead of the frame: a refresh, late by refreshLag.
	clock = clock.Add(30 * time.Millisecond)
	_, cmd := fc.Update(step{})
	if got := fc.View().Content; got != "count 1/10" {
		t.Fatalf("drawn ahead of the frame: %q", got)
	}
	if !fc.st.pending || !fc.st.nextAt.Equal(frame.Add(refreshLag)) {
		t.Fatalf("refresh pending %v for %v, want %v", fc.st.pending, fc.st.nextAt.Sub(frame), refreshLag)
	}
	refresh := findRefresh(t, cmd)

	// The pump's batch, when the frame is due: drawn by its own update.
	// (The load interval has grown since; the frame keeps its time.)
	clock = frame
	load = 130 * time.Millisecond
	fc.st.pending = false // so that a refresh it wrongly wanted would show
	_, cmd = fc.Update(step{})
	if cmd != nil {
		if _, ok := cmd().(refreshMsg); ok {
			t.Fatal("the update due for the frame scheduled a refresh")
		}
	}
	if got := fc.View().Content; got != "count 3/10" {
		t.Fatalf("the frame's update was not drawn: %q", got)
	}

	// The late refresh finds nothing to draw.
	before := views.Load()
	clock = clock.Add(refreshLag)
	fc.Update(refresh)
	fc.View()
	if views.Load() != before {
		t.Fatal("the late refresh drew a frame again")
	}
}

// countModel counts its updates.
type countModel struct{ n int }

func (m countModel) Init() tea.Cmd                       { return nil }
func (m countModel) Update(tea.Msg) (tea.Model, tea.Cmd) { m.n++; return m, nil }
func (m countModel) View() tea.View                      { return tea.NewView(fmt.Sprint(m.n)) }

// pumpModel is a session model with an event pump: feed's events go to
// the program through pace, each batch as one message, and it shows how
// many events and batches it took.
type pumpModel struct {
	feed            chan int
	events, batches int
	batchesSeen     *atomic.Int64
}

type pumpBatch struct{ n int }

func (m *pumpModel) PumpEventsPaced(send func(tea.Msg), pace func() bool, done <-chan struct{}) {
	go func() {
		for {
			select {
			case <-m.feed:
			case <-done:
				return
			}
			if pace != nil && !pace() {
				return
			}
			n := 1
			for len(m.feed) > 0 {
				<-m.feed
				n++
			}
			send(pumpBatch{n})
		}
	}()
}

func (m *pumpModel) Init() tea.Cmd { return nil }
func (m *pumpModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b, ok := msg.(pumpBatch); ok {
		m.events += b.n
		m.batches++
		m.batchesSeen.Store(int64(m.batches))
	}
	return m, nil
}
func (m *pumpModel) View() tea.View {
	return tea.NewView(fmt.Sprintf("events %d.", m.events))
}

// TestPumpedEventsGatherForAFrame: over SSH, chat events that arrive
// every few milliseconds reach the session's program in about one batch
// a frame, not one each, and all of them reach the screen.
func TestPumpedEventsGatherForAFrame(t *testing.T) {
	const n = 100
	feed := make(chan int, n)
	var batches atomic.Int64
	f := startWith(t, false, 0, 50*time.Millisecond, func(ctx context.Context, uid string) (tea.Model, func(), error) {
		return &pumpModel{feed: feed, batchesSeen: &batches}, func() {}, nil
	})
	c := dialNewKey(t, f.addr, "fran")
	sess, scr := openPTY(t, c, 80, 24)
	defer sess.Close()
	scr.waitFor(t, "events 0.")
	for i := range n {
		feed <- i
		time.Sleep(2 * time.Millisecond)
	}
	scr.waitFor(t, fmt.Sprintf("events %d.", n))
	// 100 events over at least 200 ms, frames 50 ms apart: a handful of
	// batches; one per event without the pacing.
	if b := batches.Load(); b > n/4 {
		t.Fatalf("%d events came in %d batches", n, b)
	} else {
		t.Logf("%d events came in %d batches", n, b)
	}
}
