package store_test

import (
	"context"
	"slices"
	"testing"

	"cometterm/chat"
)

func TestBlocking(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	res, err := db.Block(ctx, "alice", []string{"bob", "ghost", "alice", "bob"}, t0)
	must(t, err)
	if res["bob"] != nil || !chat.HasCode(res["ghost"], chat.ErrUIDNotFound) || !chat.HasCode(res["alice"], chat.ErrBadRequest) {
		t.Fatalf("block results %v", res)
	}
	res, err = db.Block(ctx, "alice", []string{"bob"}, t0+1)
	must(t, err)
	must(t, res["bob"])
	_, err = db.Block(ctx, "carol", []string{"alice"}, t0+2)
	must(t, err)
	_, err = db.Block(ctx, "ghost", []string{"alice"}, t0)
	wantCode(t, err, chat.ErrUIDNotFound)

	for _, pair := range [][2]string{{"alice", "bob"}, {"bob", "alice"}, {"alice", "carol"}} {
		if ok, err := db.Blocked(ctx, pair[0], pair[1]); err != nil || !ok {
			t.Fatalf("Blocked(%v) = %v, %v", pair, ok, err)
		}
	}
	if ok, _ := db.Blocked(ctx, "bob", "carol"); ok {
		t.Fatal("bob and carol blocked")
	}
	uids := func(dir chat.BlockDirection) []string {
		us, total, err := db.ListBlocked(ctx, "alice", dir, chat.Page{})
		must(t, err)
		var out []string
		for _, u := range us {
			out = append(out, u.UID)
		}
		if total != len(out) {
			t.Fatalf("total %d for %d", total, len(out))
		}
		return out
	}
	if got := uids(chat.BlockedByMe); !slices.Equal(got, []string{"bob"}) {
		t.Fatalf("blocked by me %v", got)
	}
	if got := uids(chat.BlockedHasMe); !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("has blocked me %v", got)
	}
	if got := uids(chat.BlockedBoth); !slices.Equal(got, []string{"bob", "carol"}) {
		t.Fatalf("both %v", got)
	}
	us, _, _ := db.ListBlocked(ctx, "alice", "", chat.Page{})
	if !us[0].BlockedByMe || us[0].BlockedByMeAt != t0 || !us[1].HasBlockedMe || us[1].BlockedAt != t0+2 {
		t.Fatalf("block fields %+v", us)
	}
	_, _, err = db.ListBlocked(ctx, "alice", "sideways", chat.Page{})
	wantCode(t, err, chat.ErrBadRequest)

	res, err = db.Unblock(ctx, "alice", []string{"bob", "carol"})
	must(t, err)
	if res["bob"] != nil || res["carol"] != nil {
		t.Fatalf("unblock %v", res)
	}
	if ok, _ := db.Blocked(ctx, "alice", "bob"); ok {
		t.Fatal("still blocked")
	}
}

func TestFriends(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	res, err := db.AddFriends(ctx, "alice", []string{"bob", "carol", "ghost"}, t0)
	must(t, err)
	if res["bob"] != nil || res["carol"] != nil || !chat.HasCode(res["ghost"], chat.ErrUIDNotFound) {
		t.Fatalf("add results %v", res)
	}
	res, err = db.AddFriends(ctx, "bob", []string{"alice"}, t0)
	must(t, err)
	wantCode(t, res["alice"], chat.ErrAlreadyFriend)
	got, err := db.FriendUIDs(ctx, "bob")
	must(t, err)
	if !slices.Equal(got, []string{"alice"}) {
		t.Fatalf("bob's friends %v", got)
	}
	list, total, err := db.ListFriends(ctx, "alice", chat.UserQuery{SearchKey: "car"})
	must(t, err)
	if total != 1 || list[0].UID != "carol" || list[0].ConversationID != "alice_user_carol" {
		t.Fatalf("search friends %+v", list)
	}
	_, _, err = db.ListFriends(ctx, "ghost", chat.UserQuery{})
	wantCode(t, err, chat.ErrUIDNotFound)
	res, err = db.RemoveFriends(ctx, "bob", []string{"alice"})
	must(t, err)
	must(t, res["alice"])
	got, _ = db.FriendUIDs(ctx, "alice")
	if !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("alice's friends after removal %v", got)
	}
}

func TestSSHKeys(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	must(t, db.BindSSHKey(ctx, "alice", "SHA256:aaa", t0))
	must(t, db.BindSSHKey(ctx, "alice", "SHA256:aaa", t0+1))
	must(t, db.BindSSHKey(ctx, "alice", "SHA256:bbb", t0+2))
	wantCode(t, db.BindSSHKey(ctx, "bob", "SHA256:aaa", t0), chat.ErrNoAccess)
	wantCode(t, db.BindSSHKey(ctx, "ghost", "SHA256:ccc", t0), chat.ErrUIDNotFound)
	wantCode(t, db.BindSSHKey(ctx, "bob", "", t0), chat.ErrBadRequest)
	keys, err := db.SSHKeys(ctx, "alice")
	must(t, err)
	if !slices.Equal(keys, []string{"SHA256:aaa", "SHA256:bbb"}) {
		t.Fatalf("keys %v", keys)
	}
	keys, _ = db.SSHKeys(ctx, "bob")
	if len(keys) != 0 {
		t.Fatalf("bob's keys %v", keys)
	}
}
