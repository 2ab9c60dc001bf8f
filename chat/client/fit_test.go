package client

import (
	"fmt"
	"strings"
	"testing"

	"cometterm/chat"
)

// A decoded list keeps no spare room (encoding/json grows it by doubling:
// 201 members would sit in room for 256), and its contents are whole.
func TestDecodedListFitsItsLength(t *testing.T) {
	for _, n := range []int{0, 1, 7, 201, 1000} {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(`{"uid":"u%d","name":"User %d","scope":"participant"}`, i, i)
		}
		body := `{"data":[` + strings.Join(items, ",") + `]}`
		var out []chat.GroupMember
		if _, err := decodeResponse("GET /members", 200, []byte(body), &out); err != nil {
			t.Fatal(err)
		}
		if len(out) != n {
			t.Fatalf("%d members decoded, want %d", len(out), n)
		}
		if extra := cap(out) - len(out); extra > n/8 {
			t.Errorf("%d members in room for %d", n, cap(out))
		}
		for i, g := range out {
			if g.UID != fmt.Sprintf("u%d", i) || g.Name != fmt.Sprintf("User %d", i) || g.Scope != chat.ScopeParticipant {
				t.Fatalf("member %d decoded as %+v", i, g)
			}
		}
	}
	// Anything else is left as decoded.
	var one struct{ UID string }
	if _, err := decodeResponse("GET /x", 200, []byte(`{"data":{"uid":"a"}}`), &one); err != nil || one.UID != "a" {
		t.Fatalf("object: %+v %v", one, err)
	}
	var empty []chat.User
	if _, err := decodeResponse("GET /x", 200, []byte(`{"data":[]}`), &empty); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty list: %#v %v", empty, err)
	}
}
