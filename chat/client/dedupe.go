package client

import (
	"hash/maphash"

	"cometterm/chat"
)

// seenSet remembers the most recent message ids and (sender, muid) pairs
// so that a message reaching us twice (live and by catch-up, or fetched
// and pushed) is delivered once. It forgets the oldest entries first.
type seenSet struct {
	limit int
	seed  maphash.Seed
	ids   idSet     // message ids
	muids idSet     // hashes of (sender, muid)
	order []seenKey // ring of insertions
	next  int
}

// seenKey is one remembered message. The (sender, muid) pair is kept as a
// 64-bit hash rather than its two strings: a server holds one set per SSH
// session, and the strings kept the sets at ~85 KB each. Two different
// pairs sharing a hash would make the later message look like a repeat;
// with a random seed per set and at most a thousand entries that is about
// one chance in 10^16 per message, and a sender cannot aim for it.
type seenKey struct {
	id   chat.ID
	muid uint64 // 0: the message had no muid
}

// seenWindow is how many recent messages a client remembers for that. A
// repeat comes from the overlap of catch-up with the frames that arrived
// meanwhile (at most a few hundred), so a thousand is plenty; a server
// holds one such set per SSH session.
const seenWindow = 1024

// newSeenSet makes its tables and ring with the first message recorded
// (48 KB for the window): a client that never gets one holds nothing.
func newSeenSet(limit int) *seenSet {
	return &seenSet{limit: max(limit, 1), seed: maphash.MakeSeed()}
}

// muidKey hashes m's (sender, muid) pair; 0 when m has no muid. The
// sender's length goes in first so that ("ab", "c") and ("a", "bc") differ.
func (s *seenSet) muidKey(m *chat.Message) uint64 {
	if m.MUID == "" {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(s.seed)
	var n [8]byte
	for i, l := 0, uint64(len(m.Sender)); i < len(n); i, l = i+1, l>>8 {
		n[i] = byte(l)
	}
	h.Write(n[:])
	h.WriteString(m.Sender)
	h.WriteString(m.MUID)
	return max(h.Sum64(), 1) // 0 means "no muid"
}

// key is what m is remembered by.
func (s *seenSet) key(m *chat.Message) seenKey {
	return seenKey{id: m.ID, muid: s.muidKey(m)}
}

func (s *seenSet) has(k seenKey) bool {
	if s.order == nil {
		return false
	}
	return (k.id != 0 && s.ids.has(uint64(k.id))) || (k.muid != 0 && s.muids.has(k.muid))
}

// add records m; it returns false if m had been recorded already.
func (s *seenSet) add(m *chat.Message) bool { return s.addKey(s.key(m)) }

// addKey records the message of key k (from key); it returns false if it
// had been recorded already.
func (s *seenSet) addKey(k seenKey) bool {
	if s.has(k) {
		return false
	}
	if s.order == nil {
		s.order = make([]seenKey, 0, s.limit)
		s.ids, s.muids = newIDSet(s.limit), newIDSet(s.limit)
	}
	// Every key in the ring is unique in its id and its muid (has turned
	// repeats away), so the oldest one's are removed for good.
	if len(s.order) < s.limit {
		s.order = append(s.order, k)
	} else {
		old := s.order[s.next]
		if old.id != 0 {
			s.ids.remove(uint64(old.id))
		}
		if old.muid != 0 {
			s.muids.remove(old.muid)
		}
		s.order[s.next] = k
		s.next = (s.next + 1) % s.limit
	}
	if k.id != 0 {
		s.ids.add(uint64(k.id))
	}
	if k.muid != 0 {
		s.muids.add(k.muid)
	}
	return true
}
