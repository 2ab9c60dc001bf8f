package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/convlist"
)

// queuedEvents is the real client with its event channel replaced by one
// the test fills.
type queuedEvents struct {
	Backend
	ch chan chat.Event
}

func (q queuedEvents) Events() <-chan chat.Event { return q.ch }

func TestPumpTakesABurstAsOneUpdate(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ"), group("xmen", "X-Men")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	ch := make(chan chat.Event, 2*maxEventBatch)
	m.be = queuedEvents{Backend: m.be, ch: ch}
	for i := range maxEventBatch + 3 {
		conv := "group_avengers"
		if i%2 == 1 {
			conv = "group_xmen"
		}
		ch <- chat.MessageReceived{Message: text(chat.ID(10+i), conv, "superhero2", "burst")}
	}
	batch, ok := m.waitEvent()().(eventBatchMsg)
	if !ok || len(batch.evs) != maxEventBatch {
		t.Fatalf("first wait took %T with %d events, want a batch of %d", batch, len(batch.evs), maxEventBatch)
	}
	m.Update(batch)
	rest, ok := m.waitEvent()().(eventBatchMsg)
	if !ok || len(rest.evs) != 3 {
		t.Fatalf("second wait took %d events, want 3", len(rest.evs))
	}
	m.Update(rest)
	for range maxEventBatch + 3 { // what the pane could not show in one frame waits for one
		if len(m.st.held) == 0 {
			break
		}
		m.View()
		m.Update(heldEventsMsg{})
	}
	x, _ := m.list.Get("group_xmen")
	if want := (maxEventBatch + 3) / 2; int(x.UnreadMessageCount) != want || m.pane.Len() != maxEventBatch+3-want {
		t.Fatalf("unread xmen=%d (want %d), pane holds %d", x.UnreadMessageCount, want, m.pane.Len())
	}
	ch <- chat.TypingEnded{}
	if _, ok := m.waitEvent()().(eventMsg); !ok {
		t.Fatal("a lone event is not an eventMsg")
	}
	close(ch)
	if _, ok := m.waitEvent()().(eventsClosedMsg); !ok {
		t.Fatal("a closed channel is not reported")
	}
}

// PumpEvents sends what waitEvent would return, from its own goroutine,
// and the model stops re-arming waitEvent.
func TestPumpEventsSendsBurstsAndTheClose(t *testing.T) {
	m := rootModel(t, 120, 36)
	ch := make(chan chat.Event, 2*maxEventBatch)
	m.be = queuedEvents{Backend: m.be, ch: ch}
	for i := range maxEventBatch + 3 {
		ch <- chat.MessageReceived{Message: text(chat.ID(10+i), "group_avengers", "superhero2", "burst")}
	}
	sent := make(chan tea.Msg)
	m.PumpEvents(func(msg tea.Msg) { sent <- msg }, nil)
	if m.waitEvent() != nil {
		t.Fatal("waitEvent still armed beside PumpEvents")
	}
	var got []chat.Event
	for len(got) < maxEventBatch+3 {
		switch msg := (<-sent).(type) {
		case eventBatchMsg:
			got = append(got, msg.evs...)
		case eventMsg:
			got = append(got, msg.ev)
		default:
			t.Fatalf("sent %T", msg)
		}
	}
	for i, ev := range got {
		if id := ev.(chat.MessageReceived).Message.ID; id != chat.ID(10+i) {
			t.Fatalf("event %d is message %d", i, id)
		}
	}
	close(ch)
	if _, ok := (<-sent).(eventsClosedMsg); !ok {
		t.Fatal("the close is not sent")
	}
}

// PumpEventsPaced takes the events that arrived while pace waited with
// the one that started the wait, in order, and stops when pace says the
// session is done.
func TestPumpEventsPacedGathersWhilePaceWaits(t *testing.T) {
	m := rootModel(t, 120, 36)
	ch := make(chan chat.Event, 16)
	m.be = queuedEvents{Backend: m.be, ch: ch}
	msg := func(i int) chat.Event {
		return chat.MessageReceived{Message: text(chat.ID(10+i), "group_avengers", "superhero2", "paced")}
	}
	waiting := make(chan struct{})
	resume := make(chan bool)
	sent := make(chan tea.Msg, 4)
	m.PumpEventsPaced(func(msg tea.Msg) { sent <- msg }, func() bool {
		waiting <- struct{}{}
		return <-resume
	}, nil)
	ch <- msg(0)
	<-waiting
	for i := 1; i < 5; i++ {
		ch <- msg(i)
	}
	resume <- true
	batch, ok := (<-sent).(eventBatchMsg)
	if !ok || len(batch.evs) != 5 {
		t.Fatalf("sent %T with %d events, want the 5 that came by the end of the wait", batch, len(batch.evs))
	}
	for i, ev := range batch.evs {
		if id := ev.(chat.MessageReceived).Message.ID; id != chat.ID(10+i) {
			t.Fatalf("event %d is message %d", i, id)
		}
	}
	ch <- msg(5)
	<-waiting
	resume <- false
	select {
	case msg := <-sent:
		t.Fatalf("sent %T after pace said done", msg)
	case <-time.After(50 * time.Millisecond):
	}
}

// A closed done stops the pump while events are still open.
func TestPumpEventsStopsWhenDone(t *testing.T) {
	m := rootModel(t, 120, 36)
	ch := make(chan chat.Event)
	m.be = queuedEvents{Backend: m.be, ch: ch}
	done := make(chan struct{})
	close(done)
	m.PumpEvents(func(tea.Msg) { t.Error("sent after done") }, done)
	select {
	case ch <- chat.TypingEnded{}:
		t.Error("the pump took an event after done")
	case <-time.After(200 * time.Millisecond):
	}
}

// A burst into the open pane is taken in a frame's worth at a time: the
// rest waits until a frame is drawn (or a frame's time passes), so that no
// message scrolls past before any frame showed it. Order is kept, and
// events arriving meanwhile queue behind those held.
func TestBurstWaitsForFrames(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.View()
	var burst []chat.Event
	for i := range 60 {
		burst = append(burst, chat.MessageReceived{Message: text(chat.ID(100+i), "group_avengers", "superhero2", fmt.Sprintf("burst-%d.", 100+i))})
	}
	_, cmd := m.Update(eventBatchMsg{evs: burst})
	if cmd == nil || len(m.st.held) == 0 {
		t.Fatal("a burst of 60 messages was taken in one Update")
	}
	if !m.FrameDue() {
		t.Fatal("a pane crowded with new lines is not due for a frame")
	}
	taken := m.pane.Len()
	m.Update(eventMsg{ev: chat.MessageReceived{Message: text(160, "group_avengers", "superhero2", "burst-160.")}})
	if m.pane.Len() != taken {
		t.Fatal("a later event went ahead of those held")
	}
	seen := map[string]bool{}
	frames := 0
	for frames < 100 {
		for _, f := range strings.Fields(ansi.Strip(m.View().Content)) {
			if strings.HasPrefix(f, "burst-") {
				seen[f] = true
			}
		}
		frames++
		if len(m.st.held) == 0 {
			break
		}
		m.Update(heldEventsMsg{})
		if !m.FrameDue() {
			t.Fatalf("frame %d: events held back a frame are not due at once", frames)
		}
	}
	if len(m.st.held) > 0 || m.pane.Len() < 61 {
		t.Fatalf("after %d frames %d held, pane holds %d", frames, len(m.st.held), m.pane.Len())
	}
	for i := 100; i <= 160; i++ {
		if !seen[fmt.Sprintf("burst-%d.", i)] {
			t.Fatalf("message %d scrolled past unseen in %d frames", i, frames)
		}
	}
	if frames < 3 {
		t.Fatalf("61 messages shown in %d frames", frames)
	}
}

// Past maxHeldEvents a session takes everything at once.
func TestHugeBurstIsTakenWhole(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	var burst []chat.Event
	for i := range maxHeldEvents + 50 {
		burst = append(burst, chat.MessageReceived{Message: text(chat.ID(100+i), "group_avengers", "superhero2", "burst")})
	}
	m.Update(eventBatchMsg{evs: burst})
	if n := len(m.st.held); n > maxHeldEvents {
		t.Fatalf("%d events held", n)
	}
}

// A screen of no size is never drawn, so a burst is not held for a frame
// that never comes: the terminal reported 0×0 after a real size.
func TestBurstIsNotHeldWithoutAScreen(t *testing.T) {
	m := rootModel(t, 120, 36)
	m.Update(conversationsMsg{convs: []chat.Conversation{group("avengers", "Avengers HQ")}})
	m.Update(convlist.OpenMsg{Conversation: group("avengers", "Avengers HQ")})
	m.Update(tea.WindowSizeMsg{Width: 0, Height: 0})
	var burst []chat.Event
	for i := range 60 {
		burst = append(burst, chat.MessageReceived{Message: text(chat.ID(100+i), "group_avengers", "superhero2", "burst")})
	}
	m.Update(eventBatchMsg{evs: burst})
	if n := len(m.st.held); n != 0 || m.pane.Len() != 60 {
		t.Fatalf("%d events held, pane holds %d; want none held, 60", n, m.pane.Len())
	}
}

// A batch is made to the size of the events already waiting, not grown
// to it: one allocation for the batch and one for the message.
func TestNextEventsSizesTheBatch(t *testing.T) {
	ch := make(chan chat.Event, 32)
	var ev chat.Event = chat.MessageReceived{Message: text(10, "group_avengers", "superhero2", "sized")}
	var batch eventBatchMsg
	allocs := testing.AllocsPerRun(50, func() {
		for range 12 {
			ch <- ev
		}
		batch = nextEvents(ch, nil, nil).(eventBatchMsg)
	})
	if len(batch.evs) != 12 || cap(batch.evs) != 12 {
		t.Fatalf("a batch of %d events in room for %d, want 12 in 12", len(batch.evs), cap(batch.evs))
	}
	if allocs > 2 {
		t.Fatalf("taking 12 waiting events allocates %.0f times, want 2", allocs)
	}
}
