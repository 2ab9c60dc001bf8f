package client_test

import (
	"slices"
	"testing"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

func manual(c *client.Config) { c.ManualConnection = true }

func TestUsersAndBlocking(t *testing.T) {
	s := clienttest.Start(t)
	for _, uid := range []string{"ann", "anna", "annie", "bob", "carl"} {
		s.CreateUser(t, uid, "Name "+uid)
	}
	alice, _ := login(t, s, "alice", manual)
	ctx := ctxT(t)

	u, err := alice.User(ctx, "bob")
	if err != nil || u.UID != "bob" || u.Name != "Name bob" {
		t.Fatalf("User: %+v %v", u, err)
	}
	if _, err := alice.User(ctx, "nobody"); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("User(nobody) err = %v", err)
	}
	us, err := alice.ListUsers(ctx, chat.UserQuery{SearchKey: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if got := uids(us); !slices.Equal(got, []string{"ann", "anna", "annie"}) {
		t.Fatalf("search ann: %v", got)
	}
	if _, err := alice.ListUsers(ctx, chat.UserQuery{Status: "sleepy"}); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("bad status err = %v", err)
	}

	// Page by page, two at a time, until the list runs out.
	req := client.NewUsersRequest(alice).Limit(2)
	var paged []string
	for range 10 {
		page, err := req.FetchNext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, uids(page)...)
	}
	everyone, err := alice.ListUsers(ctx, chat.UserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(paged) != 6 || !slices.Equal(paged, uids(everyone)) {
		t.Fatalf("paged %v, all %v", paged, uids(everyone))
	}
	searched, err := client.NewUsersRequest(alice).Search("car").FetchNext(ctx)
	if err != nil || !slices.Equal(uids(searched), []string{"carl"}) {
		t.Fatalf("search request: %v %v", uids(searched), err)
	}

	if err := alice.Block(ctx, "bob", "carl"); err != nil {
		t.Fatal(err)
	}
	blocked, err := alice.BlockedUsers(ctx, chat.Page{})
	if err != nil || !slices.Equal(uids(blocked), []string{"bob", "carl"}) {
		t.Fatalf("blocked: %v %v", uids(blocked), err)
	}
	if err := alice.Block(ctx, "nobody"); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("block nobody err = %v", err)
	}
	if err := alice.Block(ctx); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("block none err = %v", err)
	}
	if err := alice.Unblock(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	blocked, err = alice.BlockedUsers(ctx, chat.Page{})
	if err != nil || !slices.Equal(uids(blocked), []string{"carl"}) {
		t.Fatalf("after unblock: %v %v", uids(blocked), err)
	}
	// Blocked receivers refuse messages.
	if _, err := alice.SendText(ctx, "carl", chat.ReceiverUser, "hi"); !chat.HasCode(err, chat.ErrBlockedReceiver) {
		t.Fatalf("message to a blocked user: err = %v", err)
	}
}

func uids(us []chat.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.UID
	}
	return out
}
