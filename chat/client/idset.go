package client

// idSet is a set of nonzero 64-bit keys that never holds more than a
// fixed number of them: one array, open addressing with linear probing,
// and deletion by moving the following keys back (no tombstones). A
// repeat filter churns through its window forever; Go maps grew their
// tables on the way to a full window and past it, so that every SSH
// session's filter cost 95 KB and twice that in garbage.
type idSet struct {
	slots []uint64 // 0: empty; the length is a power of two at least twice the keys
	mask  uint64
}

// newIDSet makes room for n keys, at most half the slots full.
func newIDSet(n int) idSet {
	size := 2
	for size < 2*n {
		size <<= 1
	}
	return idSet{slots: make([]uint64, size), mask: uint64(size - 1)}
}

// home is k's first slot. Message ids come in sequence, so they are mixed
// first (the finalizer of MurmurHash3) to spread them over the table.
func (s *idSet) home(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return k & s.mask
}

// find is k's slot, or the empty slot where it would go.
func (s *idSet) find(k uint64) uint64 {
	i := s.home(k)
	for s.slots[i] != 0 && s.slots[i] != k {
		i = (i + 1) & s.mask
	}
	return i
}

func (s *idSet) has(k uint64) bool { return s.slots[s.find(k)] == k }

// add puts k in the set; the caller keeps it within the room made.
func (s *idSet) add(k uint64) { s.slots[s.find(k)] = k }

// remove takes k out. The keys after it in its run that could sit in its
// slot move back, so that every key stays reachable from its home.
func (s *idSet) remove(k uint64) {
	i := s.find(k)
	if s.slots[i] != k {
		return
	}
	for j := (i + 1) & s.mask; s.slots[j] != 0; j = (j + 1) & s.mask {
		// Key j may move to the hole at i unless its home lies in (i, j],
		// cyclically: then it would sit before its home.
		if h := s.home(s.slots[j]); (j-h)&s.mask >= (j-i)&s.mask {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = 0
}
