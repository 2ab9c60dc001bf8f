package common

import (
	"testing"
	"unsafe"
)

func TestSharedKeepsOneCopy(t *testing.T) {
	buf := []byte("12:04  alice  hello")
	a := Shared(buf)
	b := Shared([]byte("12:04  alice  hello"))
	if a != "12:04  alice  hello" || b != a {
		t.Fatalf("Shared = %q, %q", a, b)
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("equal lines are two copies")
	}
	if unsafe.StringData(a) == unsafe.SliceData(buf) {
		t.Fatal("the result is a view of the scratch buffer")
	}
	copy(buf, "XXXXX")
	if a != "12:04  alice  hello" {
		t.Fatalf("reusing the buffer changed the line: %q", a)
	}
	if Shared(nil) != "" || Shared([]byte{}) != "" {
		t.Fatal("empty bytes are not the empty string")
	}
}

func TestSharedAllocatesOnlyNewLines(t *testing.T) {
	buf := []byte("a line every session draws alike, long enough to be on the heap")
	keep := Shared(buf)
	if n := testing.AllocsPerRun(100, func() {
		if Shared(buf) != keep {
			t.Fatal("changed")
		}
	}); n != 0 {
		t.Fatalf("a line already shared allocated %v times", n)
	}
}

func BenchmarkShared(b *testing.B) {
	buf := []byte("  12:04  alice         hello there, a message of some length   ")
	keep := Shared(buf)
	for b.Loop() {
		if Shared(buf) != keep {
			b.Fatal("changed")
		}
	}
}
