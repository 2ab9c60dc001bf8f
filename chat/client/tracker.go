package client

import (
	"sync"

	"cometterm/chat"
)

// tracker remembers how far this client has seen each conversation, to
// know where catch-up starts, and which messages it has already handed
// out, to deliver each one once.
//
// Message ids are global and increase with commit order, and a live socket
// delivers messages in that order, so "high" (the largest id delivered as
// an event, or the baseline taken at login) bounds what
// may have been missed in any conversation. A conversation's own mark can
// only lower the start: it may have been advanced by a REST call (a
// message sent while offline) past messages that were never delivered.
type tracker struct {
	mu       sync.Mutex
	lastSeen map[string]chat.ID
	high     chat.ID
	base     chat.ID // history up to here predates login
	seen     *seenSet
}

func newTracker(limit int) *tracker {
	return &tracker{lastSeen: map[string]chat.ID{}, seen: newSeenSet(limit)}
}

func convOf(m *chat.Message) string {
	if m.ConversationID != "" {
		return m.ConversationID
	}
	return chat.ConversationIDFor(m.Sender, m.Receiver, m.ReceiverType)
}

func (t *tracker) mark(m *chat.Message) {
	conv := convOf(m)
	if m.ID > t.lastSeen[conv] {
		t.lastSeen[conv] = m.ID
	}
}

// fetched records messages that reached the caller through REST: they
// will not be delivered again as events.
func (t *tracker) fetched(ms ...chat.Message) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range ms {
		if ms[i].ID == 0 {
			continue
		}
		t.mark(&ms[i])
		t.seen.add(&ms[i])
	}
}

// unseen reports whether m has not been handed out yet, with the key that
// delivered records it by: every live message is checked and then
// recorded, and hashing it once for both halves the work.
func (t *tracker) unseen(m *chat.Message) (seenKey, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.seen.key(m)
	return k, !t.seen.has(k)
}

// delivered records m, handed out as an event; k is its key from unseen.
func (t *tracker) delivered(m *chat.Message, k seenKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mark(m)
	t.seen.addKey(k)
	if m.ID > t.high {
		t.high = m.ID
	}
}

// baseline raises high to id: everything up to id counts as seen, so the
// first connection does not replay history the caller loads itself.
func (t *tracker) baseline(id chat.ID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id > t.high {
		t.high = id
	}
	t.base = max(t.base, id)
}

// history reports whether m predates login, so catch-up
// leaves it to whoever loads history.
func (t *tracker) history(m *chat.Message) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return m.ID <= t.base
}

// start is the id after which conversation conv may hold missed messages.
func (t *tracker) start(conv string) chat.ID {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.lastSeen[conv]; ok && s < t.high {
		return s
	}
	return t.high
}

// highWater is the id after which anything may have been missed.
func (t *tracker) highWater() chat.ID {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.high
}
