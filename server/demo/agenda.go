package demo

import (
	"container/heap"
	"time"
)

// agenda is the director's list of things to do later, earliest first.
// It is owned by one goroutine and needs no lock.
type agenda struct {
	items entries
	seq   uint64 // breaks ties so that equal times keep insertion order
}

type entry struct {
	at  time.Time
	seq uint64
	do  func()
}

type entries []entry

func (e entries) Len() int { return len(e) }
func (e entries) Less(i, j int) bool {
	if !e[i].at.Equal(e[j].at) {
		return e[i].at.Before(e[j].at)
	}
	return e[i].seq < e[j].seq
}
func (e entries) Swap(i, j int) { e[i], e[j] = e[j], e[i] }
func (e *entries) Push(x any)   { *e = append(*e, x.(entry)) }
func (e *entries) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

// at schedules do for time t.
func (a *agenda) at(t time.Time, do func()) {
	a.seq++
	heap.Push(&a.items, entry{at: t, seq: a.seq, do: do})
}

// next is when the earliest entry is due; ok is false when there is none.
func (a *agenda) next() (t time.Time, ok bool) {
	if len(a.items) == 0 {
		return time.Time{}, false
	}
	return a.items[0].at, true
}

// due removes and returns the entries due at now, in order.
func (a *agenda) due(now time.Time) []func() {
	var out []func()
	for len(a.items) > 0 && !a.items[0].at.After(now) {
		out = append(out, heap.Pop(&a.items).(entry).do)
	}
	return out
}
