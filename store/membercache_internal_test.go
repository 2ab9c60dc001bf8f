package store

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

// BenchmarkMemberUIDs200Miss is MemberUIDs of a 200-member group when the
// cache has just been dropped, as after a membership change: the SQL path.
func BenchmarkMemberUIDs200Miss(b *testing.B) {
	d, err := Open(b.TempDir() + "/chat.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	ctx := context.Background()
	for i := range 200 {
		uid := fmt.Sprintf("u%03d", i)
		if _, err := d.CreateUser(ctx, chat.User{UID: uid, Name: uid}); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			_, err = d.CreateGroup(ctx, chat.Group{GUID: "g", Name: "g", Type: chat.GroupPublic, Owner: uid}, "")
		} else {
			_, _, err = d.AddMember(ctx, "g", uid, chat.ScopeParticipant, uid, 1)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		d.members.begin("g")
		d.members.end("g")
		if uids, err := d.MemberUIDs(ctx, "g"); err != nil || len(uids) != 200 {
			b.Fatalf("%d uids, %v", len(uids), err)
		}
	}
}
