package client

import "cometterm/chat"

// seenSet remembers the most recent message ids and (sender, muid) pairs
// so that a message reaching us twice (live and by catch-up, or fetched
// and pushed) is delivered once. It forgets the oldest entries first.
type seenSet struct {
	limit int
	ids   map[chat.ID]struct{}
	muids map[senderMUID]struct{}
	order []seenKey // ring of insertions
	next  int
}

type seenKey struct {
	id   chat.ID
	muid senderMUID
}

// senderMUID names a message by its sender's own id for it. The strings
// are the message's: no key is built per message (with clients sharing
// decoded frames, they are shared too).
type senderMUID struct{ sender, muid string }

// seenWindow is how many recent messages a client remembers for that. A
// repeat comes from the overlap of catch-up with the frames that arrived
// meanwhile (at most a few hundred), so a thousand is plenty; a server
// holds one such set per SSH session.
const seenWindow = 1024

// newSeenSet grows its maps and ring as messages arrive: sized for the
// limit up front, it cost every client about half a megabyte, which adds
// up on a server holding one client per SSH session.
func newSeenSet(limit int) *seenSet {
	return &seenSet{
		limit: limit,
		ids:   map[chat.ID]struct{}{},
		muids: map[senderMUID]struct{}{},
	}
}

func muidKey(m *chat.Message) senderMUID {
	if m.MUID == "" {
		return senderMUID{}
	}
	return senderMUID{m.Sender, m.MUID}
}

// seen reports whether m was recorded before.
func (s *seenSet) seen(m *chat.Message) bool {
	if _, ok := s.ids[m.ID]; ok && m.ID != 0 {
		return true
	}
	if k := muidKey(m); k.muid != "" {
		if _, ok := s.muids[k]; ok {
			return true
		}
	}
	return false
}

// add records m; it returns false if m had been recorded already.
func (s *seenSet) add(m *chat.Message) bool {
	if s.seen(m) {
		return false
	}
	k := seenKey{id: m.ID, muid: muidKey(m)}
	if len(s.order) < s.limit {
		s.order = append(s.order, k)
	} else {
		old := s.order[s.next]
		delete(s.ids, old.id)
		if old.muid.muid != "" {
			delete(s.muids, old.muid)
		}
		s.order[s.next] = k
		s.next = (s.next + 1) % s.limit
	}
	if k.id != 0 {
		s.ids[k.id] = struct{}{}
	}
	if k.muid.muid != "" {
		s.muids[k.muid] = struct{}{}
	}
	return true
}
