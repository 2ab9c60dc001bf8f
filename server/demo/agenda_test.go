package demo

import (
	"slices"
	"testing"
	"time"
)

func TestAgendaRunsInTimeOrder(t *testing.T) {
	var a agenda
	t0 := time.Unix(1000, 0)
	var got []int
	add := func(n int, offset time.Duration) { a.at(t0.Add(offset), func() { got = append(got, n) }) }
	add(3, 3*time.Second)
	add(1, time.Second)
	add(2, 2*time.Second)
	add(4, 2*time.Second) // same time as 2: insertion order

	if next, ok := a.next(); !ok || !next.Equal(t0.Add(time.Second)) {
		t.Fatalf("next = %v %v, want t0+1s", next, ok)
	}
	for _, do := range a.due(t0.Add(2 * time.Second)) {
		do()
	}
	if want := []int{1, 2, 4}; !slices.Equal(got, want) {
		t.Fatalf("due at t0+2s ran %v, want %v", got, want)
	}
	for _, do := range a.due(t0.Add(time.Hour)) {
		do()
	}
	if _, ok := a.next(); ok || !slices.Equal(got, []int{1, 2, 4, 3}) {
		t.Errorf("after all: ran %v, agenda empty %v", got, !ok)
	}
}
