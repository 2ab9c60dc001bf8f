package sshd

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestFramePacerSpacesFramesByCost(t *testing.T) {
	var n atomic.Int64
	p := newFramePacer(30*time.Millisecond, 0.25, n.Load)
	p.cpus = 2 // half a CPU for frames

	if got := p.interval(); got != 30*time.Millisecond {
		t.Fatalf("no sessions: %v, want the base interval", got)
	}
	n.Store(200)
	if got := p.interval(); got != minLoadInterval {
		t.Fatalf("no frame measured yet: %v, want the floor %v", got, minLoadInterval)
	}
	for range minOf {
		p.observe(300 * time.Microsecond)
	}
	// 200 sessions × 300µs per frame within half a CPU: 120ms apart.
	if got := p.interval(); got != 120*time.Millisecond {
		t.Fatalf("200 sessions at 300µs: %v, want 120ms", got)
	}
	n.Store(500)
	// 500 × 300µs / 0.5 CPU = 300ms: over the cap.
	if got := p.interval(); got != maxLoadInterval {
		t.Fatalf("500 sessions at 300µs: %v, want the cap %v", got, maxLoadInterval)
	}
	n.Store(300)
	// 300 × 300µs / 0.5 CPU = 180ms.
	if got := p.interval(); got != 180*time.Millisecond {
		t.Fatalf("300 sessions at 300µs: %v, want 180ms", got)
	}
	n.Store(10)
	// 6ms by cost: chat frames still come at most ten times a second.
	if got := p.interval(); got != minLoadInterval {
		t.Fatalf("10 sessions: %v, want the floor %v", got, minLoadInterval)
	}
	n.Store(100_000)
	if got := p.interval(); got != maxLoadInterval {
		t.Fatalf("100,000 sessions: %v, want the cap %v", got, maxLoadInterval)
	}
}

func TestFramePacerAverageFollowsCost(t *testing.T) {
	p := newFramePacer(time.Millisecond, 1, func() int64 { return 1 })
	for range minOf {
		p.observe(100 * time.Microsecond)
	}
	for range 200 {
		p.observe(500 * time.Microsecond)
	}
	got := time.Duration(p.cost.Load())
	if got < 490*time.Microsecond || got > 500*time.Microsecond {
		t.Fatalf("average after a change of cost: %v, want ≈500µs", got)
	}
	for range minOf {
		p.observe(0)
	}
	if got2 := time.Duration(p.cost.Load()); got2 >= got {
		t.Fatalf("cheap frames did not lower the average: %v → %v", got, got2)
	}
}

// A frame preempted now and then (its wall time 50 times its cost) does
// not move the average; a machine on which every frame takes long does.
func TestFramePacerIgnoresPreemptedFrames(t *testing.T) {
	p := newFramePacer(time.Millisecond, 1, func() int64 { return 1 })
	for i := range 400 {
		d := 100 * time.Microsecond
		if i%minOf == 1 {
			d = 5 * time.Millisecond
		}
		p.observe(d)
	}
	if got := time.Duration(p.cost.Load()); got != 100*time.Microsecond {
		t.Fatalf("average with one frame in %d preempted: %v, want 100µs", minOf, got)
	}
	for range 400 {
		p.observe(5 * time.Millisecond)
	}
	if got := time.Duration(p.cost.Load()); got < 4900*time.Microsecond {
		t.Fatalf("average with every frame slow: %v, want ≈5ms", got)
	}
}

// TestFrameCapReportsFreshFramesOnly: the pacer learns the cost of frames
// that were drawn, not of views handed back from the last frame.
func TestFrameCapReportsFreshFramesOnly(t *testing.T) {
	var views, observed atomic.Int64
	clock := time.Unix(1000, 0)
	fc := newFrameCap(burstModel{n: 10, views: &views}, 50*time.Millisecond,
		func() time.Duration { return 200 * time.Millisecond }, func() time.Time { return clock })
	fc.st.observe = func(time.Duration) { observed.Add(1) }
	fc.View() // the first view, before any update: not a frame
	m, _ := fc.Update(step{})
	fc = m.(*frameCap)
	fc.View() // drawn at once
	fc.View() // nothing new
	m, _ = fc.Update(step{})
	fc = m.(*frameCap)
	fc.View() // waits for the load interval
	if got := observed.Load(); got != 1 {
		t.Fatalf("observed %d frames, want 1 (the first update's)", got)
	}
	clock = clock.Add(300 * time.Millisecond)
	fc.View()
	if got := observed.Load(); got != 2 {
		t.Fatalf("observed %d frames after the load interval, want 2", got)
	}
}
