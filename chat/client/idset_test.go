package client

import (
	"math/rand/v2"
	"testing"

	"cometterm/chat"
)

// checkIDSetOps runs add/remove/has operations, each from two bytes of
// ops, on an idSet with room for n keys and on a map, and fails where
// they disagree. Keys come from a small range so that runs collide and
// wrap around the table's end; the set is kept within its room as
// seenSet keeps it.
func checkIDSetOps(t *testing.T, n int, ops []byte) {
	t.Helper()
	s := newIDSet(n)
	model := map[uint64]bool{}
	for len(ops) >= 2 {
		op, k := ops[0]%3, uint64(ops[1]%64)+1
		ops = ops[2:]
		switch {
		case op == 0 && !model[k] && len(model) < n:
			s.add(k)
			model[k] = true
		case op == 1:
			s.remove(k)
			delete(model, k)
		}
		for key := uint64(1); key <= 64; key++ {
			if s.has(key) != model[key] {
				t.Fatalf("after op %d on %d: has(%d) = %v, want %v", op, k, key, s.has(key), model[key])
			}
		}
	}
}

// TestIDSetMatchesAMap: random adds and removes, in tables small enough
// to fill their runs, agree with a map throughout.
func TestIDSetMatchesAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 8, 20} {
		for range 50 {
			ops := make([]byte, 2000)
			for i := range ops {
				ops[i] = byte(r.UintN(256))
			}
			checkIDSetOps(t, n, ops)
		}
	}
}

func FuzzIDSet(f *testing.F) {
	f.Add(uint8(8), []byte{0, 1, 0, 17, 0, 33, 1, 1, 0, 49})
	f.Add(uint8(3), []byte{0, 5, 0, 6, 0, 7, 1, 6, 0, 8, 1, 5})
	f.Fuzz(func(t *testing.T, n uint8, ops []byte) {
		checkIDSetOps(t, int(n%32)+1, ops)
	})
}

// TestSeenSetChurnsWithoutGrowing: a full repeat filter goes on taking
// messages without allocating, and forgets exactly the oldest.
func TestSeenSetChurnsWithoutGrowing(t *testing.T) {
	s := newSeenSet(seenWindow)
	id := uint64(0)
	next := func() seenKey {
		id++
		return seenKey{id: chat.ID(id), muid: id*0x9e3779b97f4a7c15 | 1}
	}
	for range 3 * seenWindow {
		s.addKey(next())
	}
	if n := testing.AllocsPerRun(1000, func() { s.addKey(next()) }); n != 0 {
		t.Fatalf("recording a message in a full filter made %v allocations", n)
	}
	for back := uint64(0); back < seenWindow+5; back++ {
		k := id - back
		want := back < seenWindow
		if got := s.has(seenKey{id: chat.ID(k)}); got != want {
			t.Fatalf("id %d (%d back): seen %v, want %v", k, back, got, want)
		}
		if got := s.has(seenKey{muid: k*0x9e3779b97f4a7c15 | 1}); got != want {
			t.Fatalf("muid of %d (%d back): seen %v, want %v", k, back, got, want)
		}
	}
}
