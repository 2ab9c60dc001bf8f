package common

import (
	"unique"
	"unsafe"
)

// Shared returns the bytes of b as a string, one copy for all equal
// strings asked for while any of them is in use. The same message drawn
// by every session of a busy group is the same line in each of them, and
// keeping one copy spares the collector hundreds. b is only read: it may
// be a scratch buffer, reused as soon as Shared returns.
func Shared(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	// unique.Make copies a string it has not seen before keeping it, so
	// the view of b is not kept.
	return unique.Make(unsafe.String(unsafe.SliceData(b), len(b))).Value()
}

// View is b as a string without a copy, to read while b is unchanged: a
// line being put together, measured or cut before it is shared.
func View(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
