package store

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

func TestGaps(t *testing.T) {
	held := []span{{after: 2, upto: 4}, {after: 6, upto: 7}, {after: 7, upto: 9}, {after: 12, upto: 15}}
	for _, c := range []struct {
		after, upto int64
		want        string
	}{
		{0, 20, "[(0,2] (4,6] (9,12] (15,20]]"},
		{3, 6, "[(4,6]]"},
		{4, 9, "[(4,6]]"},
		{7, 9, "[]"},
		{9, 12, "[(9,12]]"},
		{10, 11, "[(10,11]]"},
		{14, 16, "[(15,16]]"},
		{16, 18, "[(16,18]]"},
		{0, 1, "[(0,1]]"},
	} {
		var got []string
		for _, g := range gaps(c.after, c.upto, held) {
			got = append(got, fmt.Sprintf("(%d,%d]", g.after, g.upto))
		}
		if s := fmt.Sprint(got); s != c.want {
			t.Errorf("gaps(%d, %d) = %s, want %s", c.after, c.upto, s, c.want)
		}
	}
	if g := gaps(0, 5, nil); len(g) != 1 || g[0] != (span{after: 0, upto: 5}) {
		t.Errorf("gaps without spans %v", g)
	}
}

// storeWithUsers opens a fresh store holding the given users, and a check
// that fails the test on an error.
func storeWithUsers(t *testing.T, uids ...string) (*DB, func(error)) {
	t.Helper()
	d := openInternal(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, uid := range uids {
		_, err := d.CreateUser(context.Background(), chat.User{UID: uid, Name: uid, CreatedAt: 1})
		must(err)
	}
	return d, must
}

// Deleting a group deletes its members' mark spans and no others.
func TestDeleteGroupDropsMarkSpans(t *testing.T) {
	d, must := storeWithUsers(t, "alice", "bob")
	ctx := context.Background()
	for _, guid := range []string{"a", "b"} {
		_, err := d.CreateGroup(ctx, chat.Group{GUID: guid, Name: guid, Type: chat.GroupPublic, Owner: "alice", CreatedAt: 1}, "")
		must(err)
		_, _, err = d.AddMember(ctx, guid, "bob", chat.ScopeParticipant, "alice", 2)
		must(err)
		var last chat.Message
		for i := range 3 {
			last, err = d.InsertMessage(ctx, chat.Message{Sender: "alice", Receiver: guid, ReceiverType: chat.ReceiverGroup,
				Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "hi"}, SentAt: int64(3 + i)})
			must(err)
		}
		_, err = d.Receipt(ctx, "bob", last.ID, chat.ReceiptRead, 10)
		must(err)
	}
	spans := func(cid string) int {
		var n int
		must(d.r.QueryRowContext(ctx, `SELECT count(*) FROM mark_spans WHERE conversation_id = ?`, cid).Scan(&n))
		return n
	}
	if spans("group_a") == 0 || spans("group_b") == 0 {
		t.Fatalf("no spans: %d %d", spans("group_a"), spans("group_b"))
	}
	must(d.DeleteGroup(ctx, "a"))
	if spans("group_a") != 0 || spans("group_b") == 0 {
		t.Fatalf("after deleting a: %d %d", spans("group_a"), spans("group_b"))
	}
}

// A read receipt for the newest of many messages in a group writes one
// receipt row and one span, not a row per message.
func TestGroupReceiptWritesNoRowPerMessage(t *testing.T) {
	d, must := storeWithUsers(t, "alice", "bob")
	ctx := context.Background()
	var err error
	_, err = d.CreateGroup(ctx, chat.Group{GUID: "g", Name: "g", Type: chat.GroupPublic, Owner: "alice", CreatedAt: 1}, "")
	must(err)
	_, _, err = d.AddMember(ctx, "g", "bob", chat.ScopeParticipant, "alice", 2)
	must(err)
	var last chat.Message
	for i := range 60 {
		last, err = d.InsertMessage(ctx, chat.Message{Sender: "alice", Receiver: "g", ReceiverType: chat.ReceiverGroup,
			Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "hi"}, SentAt: int64(3 + i)})
		must(err)
	}
	count := func(table string) int {
		var n int
		must(d.r.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE uid = 'bob'`).Scan(&n))
		return n
	}
	res, err := d.Receipt(ctx, "bob", last.ID, chat.ReceiptRead, 100)
	must(err)
	if !res.New || count("receipts") != 1 || count("mark_spans") != 1 {
		t.Fatalf("receipt %+v: %d receipt rows, %d spans", res, count("receipts"), count("mark_spans"))
	}
	first, err := d.ListMessages(ctx, chat.MessageQuery{Asker: "bob", ConversationID: "group_g", Affix: "append", Limit: 1})
	must(err)
	if len(first) != 1 || first[0].MyReceipt == nil || first[0].MyReceipt.ReadAt != 100 {
		t.Fatalf("the first message %+v", first)
	}
}
