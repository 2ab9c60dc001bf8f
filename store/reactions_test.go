package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

func TestReactions(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "react to me", t0))
	r, msg, err := db.AddReaction(ctx, m.ID, "bob", "👍", t0+1)
	must(t, err)
	if r.ID == 0 || r.MessageID != m.ID || r.UID != "bob" || r.Reaction != "👍" || r.ReactedAt != t0+1 || r.ReactedBy.UID != "bob" {
		t.Fatalf("reaction %+v", r)
	}
	if len(msg.Data.Reactions) != 1 || msg.Data.Reactions[0].Count != 1 || !msg.Data.Reactions[0].ReactedByMe {
		t.Fatalf("counts %+v", msg.Data.Reactions)
	}
	again, _, err := db.AddReaction(ctx, m.ID, "bob", "👍", t0+2)
	must(t, err)
	if again.ID != r.ID || again.ReactedAt != t0+1 {
		t.Fatalf("repeat reaction %+v", again)
	}
	_, msg, err = db.AddReaction(ctx, m.ID, "alice", "👍", t0+3)
	must(t, err)
	if msg.Data.Reactions[0].Count != 2 {
		t.Fatalf("counts %+v", msg.Data.Reactions)
	}
	_, _, err = db.AddReaction(ctx, m.ID, "alice", "🎉", t0+4)
	must(t, err)
	seen, err := db.Message(ctx, m.ID, "bob")
	must(t, err)
	if len(seen.Data.Reactions) != 2 || seen.Data.Reactions[1].Reaction != "🎉" || seen.Data.Reactions[1].ReactedByMe {
		t.Fatalf("bob's view %+v", seen.Data.Reactions)
	}
	list, err := db.ListReactions(ctx, m.ID, "", 0, 0)
	must(t, err)
	if len(list) != 3 || list[0].ReactedBy == nil || list[0].ReactedBy.Name != "bob" {
		t.Fatalf("list %+v", list)
	}
	list, err = db.ListReactions(ctx, m.ID, "👍", list[0].ID, 10)
	must(t, err)
	if len(list) != 1 || list[0].UID != "alice" {
		t.Fatalf("filtered list %+v", list)
	}
	removed, msg, err := db.RemoveReaction(ctx, m.ID, "bob", "👍")
	must(t, err)
	if removed.ID != r.ID || msg.Data.Reactions[0].Count != 1 || msg.Data.Reactions[0].ReactedByMe {
		t.Fatalf("after removal %+v %+v", removed, msg.Data.Reactions)
	}
	_, _, err = db.RemoveReaction(ctx, m.ID, "bob", "👍")
	wantCode(t, err, chat.ErrReactionNotFound)
	_, _, err = db.AddReaction(ctx, m.ID, "carol", "👀", t0)
	wantCode(t, err, chat.ErrMessageNoAccess)
	_, _, err = db.AddReaction(ctx, 9999, "bob", "👀", t0)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	_, _, err = db.AddReaction(ctx, m.ID, "bob", " ", t0)
	wantCode(t, err, chat.ErrBadRequest)
	_, err = db.ListReactions(ctx, 9999, "", 0, 0)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	_, err = db.ListReactions(ctx, m.ID, "", 0, 101)
	wantCode(t, err, chat.ErrBadRequest)
}

func TestAtMostTwentyFiveDistinctReactions(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "x", t0))
	for i := range chat.MaxReactions {
		if _, _, err := db.AddReaction(ctx, m.ID, "bob", fmt.Sprintf("r%d", i), t0); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := db.AddReaction(ctx, m.ID, "bob", "one-too-many", t0)
	wantCode(t, err, chat.ErrTooManyReactions)
	// An existing reaction can still be added by someone else.
	_, msg, err := db.AddReaction(ctx, m.ID, "alice", "r0", t0)
	must(t, err)
	if len(msg.Data.Reactions) != chat.MaxReactions || msg.Data.Reactions[0].Count != 2 {
		t.Fatalf("reactions %+v", msg.Data.Reactions)
	}
}
