package client_test

import (
	"slices"
	"strconv"
	"testing"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

func TestSendEditDeleteAndHistory(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)
	connected(t, ar)

	m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "first", client.WithTags("t1"), client.WithMetadata(map[string]any{"k": "v"}))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.MUID == "" || m.ConversationID != "alice_user_bob" || !slices.Equal(m.Tags, []string{"t1"}) || m.Data.Metadata["k"] != "v" {
		t.Fatalf("sent %+v", m)
	}
	// The same muid is stored once: a retried send is harmless.
	again, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "first", client.WithMUID(m.MUID))
	if err != nil || again.ID != m.ID {
		t.Fatalf("retry with muid: %+v %v", again, err)
	}
	if _, err := bob.SendText(ctx, "alice", chat.ReceiverUser, ""); !chat.HasCode(err, chat.ErrEmptyMessageText) {
		t.Fatalf("empty text err = %v", err)
	}
	if _, err := bob.SendText(ctx, "ghost", chat.ReceiverUser, "hi"); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("unknown receiver err = %v", err)
	}

	media, err := bob.SendMedia(ctx, "alice", chat.ReceiverUser, chat.TypeImage,
		[]chat.Attachment{{URL: "https://example.com/cat.png", Name: "cat.png", MimeType: "image/png", Extension: "png", Size: 42}}, "a cat")
	if err != nil || media.Type != chat.TypeImage || len(media.Data.Attachments) != 1 || media.Data.Text != "a cat" {
		t.Fatalf("media %+v %v", media, err)
	}
	custom, err := bob.SendCustom(ctx, "alice", chat.ReceiverUser, "poll", map[string]any{"q": "lunch?"})
	if err != nil || custom.Category != chat.CategoryCustom || custom.Data.CustomData["q"] != "lunch?" {
		t.Fatalf("custom %+v %v", custom, err)
	}
	reply, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "in thread", client.InThread(m.ID))
	if err != nil || reply.ParentID != m.ID {
		t.Fatalf("reply %+v %v", reply, err)
	}
	if _, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "nested", client.InThread(reply.ID)); !chat.HasCode(err, chat.ErrMessageThreadNesting) {
		t.Fatalf("nested thread err = %v", err)
	}

	// alice sees all four live, once each, in order.
	evs := ar.waitFor(t, "four messages", func(evs []chat.Event) bool { return len(all[chat.MessageReceived](evs)) >= 4 })
	var ids []chat.ID
	for _, e := range all[chat.MessageReceived](evs) {
		ids = append(ids, e.Message.ID)
	}
	if !slices.Equal(ids, []chat.ID{m.ID, media.ID, custom.ID, reply.ID}) {
		t.Fatalf("alice got %v", ids)
	}

	edited, err := bob.EditMessage(ctx, m.ID, "first (edited)")
	if err != nil || edited.ID != m.ID || edited.Data.Text != "first (edited)" || edited.EditedBy != "bob" {
		t.Fatalf("edit %+v %v", edited, err)
	}
	ee := first(t, ar, func(e chat.MessageEdited) bool { return e.Message.ID == m.ID })
	if ee.Message.Data.Text != "first (edited)" || ee.Action.Data.Action != chat.ActionEdited {
		t.Fatalf("edited event %+v", ee)
	}
	if _, err := alice.EditMessage(ctx, m.ID, "mine now"); !chat.HasCode(err, chat.ErrMessageNotASender) {
		t.Fatalf("edit someone else's err = %v", err)
	}
	deleted, err := bob.DeleteMessage(ctx, media.ID)
	if err != nil || deleted.ID != media.ID || deleted.DeletedAt == 0 {
		t.Fatalf("delete %+v %v", deleted, err)
	}
	first(t, ar, func(e chat.MessageDeleted) bool { return e.Message.ID == media.ID })
	if _, err := bob.DeleteMessage(ctx, 999999); !chat.HasCode(err, chat.ErrMessageIDNotFound) {
		t.Fatalf("delete unknown err = %v", err)
	}

	got, err := alice.Message(ctx, m.ID)
	if err != nil || got.Data.Text != "first (edited)" {
		t.Fatalf("Message %+v %v", got, err)
	}
	if _, err := alice.Message(ctx, 999999); !chat.HasCode(err, chat.ErrMessageIDNotFound) {
		t.Fatalf("Message unknown err = %v", err)
	}
	thread, err := alice.Messages(ctx, chat.MessageQuery{ParentID: m.ID})
	if err != nil || len(thread) != 1 || thread[0].ID != reply.ID {
		t.Fatalf("thread %v %v", thread, err)
	}
	hist, err := alice.Messages(ctx, chat.MessageQuery{ConversationID: "alice_user_bob", HideReplies: true, Categories: []chat.Category{chat.CategoryMessage, chat.CategoryCustom}})
	if err != nil {
		t.Fatal(err)
	}
	var hids []chat.ID
	for _, h := range hist {
		hids = append(hids, h.ID)
	}
	if !slices.Equal(hids, []chat.ID{m.ID, media.ID, custom.ID}) {
		t.Fatalf("history %v", hids)
	}
	if _, err := alice.Messages(ctx, chat.MessageQuery{ConversationID: "bob_user_carol"}); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("someone else's conversation err = %v", err)
	}
}

func TestMessagesRequestPages(t *testing.T) {
	s := clienttest.Start(t)
	alice, _ := login(t, s, "alice", manual)
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)
	var sent []chat.ID
	for i := range 7 {
		m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "m"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m.ID)
	}
	req := client.NewMessagesRequest(alice, "alice_user_bob").Limit(3)
	var pages [][]chat.ID
	for range 10 {
		ms, err := req.FetchPrevious(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			break
		}
		var p []chat.ID
		for _, m := range ms {
			p = append(p, m.ID)
		}
		pages = append(pages, p)
	}
	want := [][]chat.ID{sent[4:7], sent[1:4], sent[0:1]}
	if len(pages) != 3 || !slices.Equal(pages[0], want[0]) || !slices.Equal(pages[1], want[1]) || !slices.Equal(pages[2], want[2]) {
		t.Fatalf("pages %v, want %v", pages, want)
	}
	// FetchNext continues after the newest seen: nothing yet, then the new one.
	if ms, err := req.FetchNext(ctx); err != nil || len(ms) != 0 {
		t.Fatalf("next before new: %v %v", ms, err)
	}
	m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "late")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := req.FetchNext(ctx)
	if err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("next after new: %v %v", ms, err)
	}
	fwd := client.NewMessagesRequest(alice, "alice_user_bob").Limit(2).StartAt(sent[2])
	ms, err = fwd.FetchNext(ctx)
	if err != nil || len(ms) != 2 || ms[0].ID != sent[3] || ms[1].ID != sent[4] {
		t.Fatalf("forward from %d: %v %v", sent[2], ms, err)
	}
	if _, err := client.NewMessagesRequest(alice, "nonsense").FetchPrevious(ctx); !chat.HasCode(err, chat.ErrBadRequest) {
		t.Fatalf("bad conversation err = %v", err)
	}
}

func TestReactions(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)
	connected(t, ar)
	m, err := alice.SendText(ctx, "bob", chat.ReceiverUser, "react to me")
	if err != nil {
		t.Fatal(err)
	}
	got, err := bob.AddReaction(ctx, m.ID, "👍")
	if err != nil || len(got.Data.Reactions) != 1 || got.Data.Reactions[0].Count != 1 || !got.Data.Reactions[0].ReactedByMe {
		t.Fatalf("add: %+v %v", got.Data.Reactions, err)
	}
	if _, err := bob.AddReaction(ctx, m.ID, "🎉"); err != nil {
		t.Fatal(err)
	}
	ev := first(t, ar, func(e chat.ReactionChanged) bool { return e.Added && e.Reaction.Reaction == "👍" })
	if ev.Reaction.MessageID != m.ID || ev.Reaction.UID != "bob" {
		t.Fatalf("reaction event %+v", ev)
	}
	rs, err := alice.ListReactions(ctx, m.ID)
	if err != nil || len(rs) != 2 || rs[0].Reaction != "👍" || rs[1].Reaction != "🎉" || rs[0].UID != "bob" {
		t.Fatalf("list %+v %v", rs, err)
	}
	got, err = bob.RemoveReaction(ctx, m.ID, "👍")
	if err != nil || len(got.Data.Reactions) != 1 || got.Data.Reactions[0].Reaction != "🎉" {
		t.Fatalf("remove: %+v %v", got.Data.Reactions, err)
	}
	first(t, ar, func(e chat.ReactionChanged) bool { return !e.Added && e.Reaction.Reaction == "👍" })
	if _, err := bob.RemoveReaction(ctx, m.ID, "👍"); !chat.HasCode(err, chat.ErrReactionNotFound) {
		t.Fatalf("remove twice err = %v", err)
	}
	if _, err := bob.AddReaction(ctx, 999999, "👍"); !chat.HasCode(err, chat.ErrMessageIDNotFound) {
		t.Fatalf("react to unknown err = %v", err)
	}
	if _, err := bob.ListReactions(ctx, 999999); !chat.HasCode(err, chat.ErrMessageIDNotFound) {
		t.Fatalf("list unknown err = %v", err)
	}
}
