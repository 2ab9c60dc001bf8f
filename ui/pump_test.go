package ui

import (
	"testing"

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
