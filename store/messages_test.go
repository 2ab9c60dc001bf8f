package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

func TestInsertMessageFillsEverything(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "alice", "Alice")
	m := text("bob", "alice", chat.ReceiverUser, "hi <@uid:alice>", t0)
	m.Tags = []string{"greeting"}
	got := mustSend(t, db, m)
	if got.ID <= 0 || got.ConversationID != "alice_user_bob" || got.UpdatedAt != t0 {
		t.Fatalf("ids %+v", got)
	}
	e := got.Data.Entities
	if e.Sender == nil || e.Sender.User.UID != "bob" || e.Receiver == nil || e.Receiver.User.UID != "alice" {
		t.Fatalf("entities %+v", e)
	}
	if got.Data.Mentions["alice"].Name != "Alice" {
		t.Fatalf("mentions %+v", got.Data.Mentions)
	}
	read, err := db.Message(ctx, got.ID, "alice")
	must(t, err)
	if read.Data.Text != "hi <@uid:alice>" || read.Tags[0] != "greeting" || read.Data.Entities.Sender.User.Name != "Bob" {
		t.Fatalf("read back %+v", read)
	}
	// A group message carries the group entity.
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	gm := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "hi group", t0+1))
	if gm.ConversationID != "group_g" || gm.Data.Entities.Receiver.Group.GUID != "g" {
		t.Fatalf("group message %+v", gm)
	}
	if gm.ID <= got.ID {
		t.Fatalf("ids not increasing: %d then %d", got.ID, gm.ID)
	}
}

func TestInsertMessageErrors(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	cases := []struct {
		m    chat.Message
		code string
	}{
		{text("alice", "ghost", chat.ReceiverUser, "x", t0), chat.ErrUIDNotFound},
		{text("ghost", "alice", chat.ReceiverUser, "x", t0), chat.ErrUIDNotFound},
		{text("alice", "nogroup", chat.ReceiverGroup, "x", t0), chat.ErrGUIDNotFound},
		{text("alice", "bob", "room", "x", t0), chat.ErrInvalidReceiverType},
		{text("alice", "", chat.ReceiverUser, "x", t0), chat.ErrBadRequest},
		{chat.Message{Sender: "alice", Receiver: "bob", ReceiverType: chat.ReceiverUser, Type: "text"}, chat.ErrBadRequest},
		{chat.Message{Sender: "alice", Receiver: "bob", ReceiverType: chat.ReceiverUser, Category: chat.CategoryCustom}, chat.ErrBadRequest},
	}
	for i, c := range cases {
		_, err := db.InsertMessage(ctx, c.m)
		if !chat.HasCode(err, c.code) {
			t.Errorf("case %d: got %v, want %s", i, err, c.code)
		}
	}
	ms, err := db.ListMessages(ctx, chat.MessageQuery{})
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("failed inserts stored %d messages", len(ms))
	}
}

func TestMUIDIdempotency(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	m := text("alice", "bob", chat.ReceiverUser, "once", t0)
	m.MUID = "client-1"
	first := mustSend(t, db, m)
	m.Data.Text = "twice"
	m.SentAt = t0 + 50
	second := mustSend(t, db, m)
	if second.ID != first.ID || second.Data.Text != "once" || second.SentAt != t0 {
		t.Fatalf("repeat returned %+v, first %+v", second, first)
	}
	// The same muid from another sender is another message.
	other := text("bob", "alice", chat.ReceiverUser, "mine", t0)
	other.MUID = "client-1"
	if o := mustSend(t, db, other); o.ID == first.ID {
		t.Fatal("muid is not per sender")
	}
	c, err := db.Conversation(ctx, "bob", "alice_user_bob")
	must(t, err)
	if c.UnreadMessageCount != 1 {
		t.Fatalf("repeat counted as unread again: %d", c.UnreadMessageCount)
	}
}

func TestThreads(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	parent := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "topic", t0))
	r := text("bob", "alice", chat.ReceiverUser, "reply", t0+1)
	r.ParentID = parent.ID
	reply := mustSend(t, db, r)
	p, err := db.Message(ctx, parent.ID, "alice")
	must(t, err)
	if p.ReplyCount != 1 {
		t.Fatalf("replyCount %d", p.ReplyCount)
	}
	// The reply neither becomes the last message nor counts as unread.
	c, err := db.Conversation(ctx, "alice", "alice_user_bob")
	must(t, err)
	if c.LatestMessageID != parent.ID || c.UnreadMessageCount != 0 {
		t.Fatalf("conversation %+v", c)
	}
	thread, err := db.ListMessages(ctx, chat.MessageQuery{Asker: "alice", ParentID: parent.ID})
	must(t, err)
	if len(thread) != 1 || thread[0].ID != reply.ID {
		t.Fatalf("thread %+v", thread)
	}
	main, err := db.ListMessages(ctx, chat.MessageQuery{Asker: "alice", ConversationID: "alice_user_bob", HideReplies: true})
	must(t, err)
	if len(main) != 1 || main[0].ID != parent.ID {
		t.Fatalf("main %+v", main)
	}
	_, err = db.ListMessages(ctx, chat.MessageQuery{Asker: "carol", ParentID: parent.ID})
	wantCode(t, err, chat.ErrMessageNoAccess)

	nested := text("alice", "bob", chat.ReceiverUser, "deeper", t0+2)
	nested.ParentID = reply.ID
	_, err = db.InsertMessage(ctx, nested)
	wantCode(t, err, chat.ErrMessageThreadNesting)
	lost := text("alice", "bob", chat.ReceiverUser, "x", t0)
	lost.ParentID = 9999
	_, err = db.InsertMessage(ctx, lost)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	elsewhere := text("alice", "carol", chat.ReceiverUser, "x", t0)
	elsewhere.ParentID = parent.ID
	_, err = db.InsertMessage(ctx, elsewhere)
	wantCode(t, err, chat.ErrBadRequest)
}

func TestMessageVisibility(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob")
	dm := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "private", t0))
	gm := mustSend(t, db, text("alice", "g", chat.ReceiverGroup, "group", t0+1))
	_, err := db.Message(ctx, dm.ID, "carol")
	wantCode(t, err, chat.ErrMessageNoAccess)
	_, err = db.Message(ctx, gm.ID, "carol")
	wantCode(t, err, chat.ErrMessageNoAccess)
	_, err = db.Message(ctx, 424242, "alice")
	wantCode(t, err, chat.ErrMessageIDNotFound)
	if _, err := db.Message(ctx, gm.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	all, err := db.ListMessages(ctx, chat.MessageQuery{Asker: "carol"})
	must(t, err)
	if len(all) != 0 {
		t.Fatalf("carol sees %+v", all)
	}
	_, err = db.ListMessages(ctx, chat.MessageQuery{Asker: "carol", ConversationID: "alice_user_bob"})
	wantCode(t, err, chat.ErrConversationNotAccess)
	_, err = db.ListMessages(ctx, chat.MessageQuery{Asker: "carol", ConversationID: "group_g"})
	wantCode(t, err, chat.ErrGroupNotJoined)
	_, err = db.ListMessages(ctx, chat.MessageQuery{Asker: "carol", ConversationID: "group_nope"})
	wantCode(t, err, chat.ErrGUIDNotFound)
	_, err = db.ListMessages(ctx, chat.MessageQuery{Asker: "carol", ConversationID: "garbage"})
	wantCode(t, err, chat.ErrConversationNotAccess)

	// A member who leaves loses the group's history; one who joins sees it.
	_, err = db.RemoveMember(ctx, "g", "bob", chat.RemovalLeft, "bob", t0+2)
	must(t, err)
	_, err = db.Message(ctx, gm.ID, "bob")
	wantCode(t, err, chat.ErrMessageNoAccess)
	_, _, err = db.AddMember(ctx, "g", "carol", chat.ScopeParticipant, "carol", t0+3)
	must(t, err)
	if _, err := db.Message(ctx, gm.ID, "carol"); err != nil {
		t.Fatalf("new member cannot read history: %v", err)
	}
	bobs, err := db.ListMessages(ctx, chat.MessageQuery{Asker: "bob"})
	must(t, err)
	if len(bobs) != 1 || bobs[0].ID != dm.ID {
		t.Fatalf("bob sees %+v", bobs)
	}
}

func TestCursorPagingBothWays(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	const n = 95
	var ids []chat.ID
	for i := range n {
		from, to := "alice", "bob"
		if i%3 == 0 {
			from, to = to, from
		}
		ids = append(ids, mustSend(t, db, text(from, to, chat.ReceiverUser, fmt.Sprintf("m%d", i), t0+int64(i))).ID)
	}
	base := chat.MessageQuery{Asker: "bob", ConversationID: "alice_user_bob", Limit: 10}

	// Backwards from the newest, like a chat window scrolling up.
	var back []chat.ID
	q := base
	for range 20 {
		page, err := db.ListMessages(ctx, q)
		must(t, err)
		if len(page) == 0 {
			break
		}
		for i := 1; i < len(page); i++ {
			if page[i-1].ID >= page[i].ID {
				t.Fatalf("page not oldest first: %d then %d", page[i-1].ID, page[i].ID)
			}
		}
		var chunk []chat.ID
		for _, m := range page {
			chunk = append(chunk, m.ID)
		}
		back = append(chunk, back...)
		q.Affix, q.ID = "prepend", page[0].ID
	}
	if fmt.Sprint(back) != fmt.Sprint(ids) {
		t.Fatalf("prepend paging lost or repeated messages:\n got %v\nwant %v", back, ids)
	}

	// Forwards from the start, like catching up after a reconnect.
	var fwd []chat.ID
	q = base
	q.Affix = "append"
	for range 20 {
		page, err := db.ListMessages(ctx, q)
		must(t, err)
		if len(page) == 0 {
			break
		}
		for _, m := range page {
			fwd = append(fwd, m.ID)
		}
		q.ID = page[len(page)-1].ID
	}
	if fmt.Sprint(fwd) != fmt.Sprint(ids) {
		t.Fatalf("append paging lost or repeated messages:\n got %v\nwant %v", fwd, ids)
	}

	// sentAt cursors.
	q = base
	q.Affix, q.SentAt, q.Limit = "prepend", t0+4, 100
	page, err := db.ListMessages(ctx, q)
	must(t, err)
	if len(page) != 5 || page[4].ID != ids[4] {
		t.Fatalf("sentAt prepend got %d", len(page))
	}
	q.Affix = "append"
	page, err = db.ListMessages(ctx, q)
	must(t, err)
	if len(page) != n-4 || page[0].ID != ids[4] {
		t.Fatalf("sentAt append got %d", len(page))
	}

	q = base
	q.Limit = 0
	page, err = db.ListMessages(ctx, q)
	must(t, err)
	if len(page) != 30 || page[29].ID != ids[n-1] {
		t.Fatalf("default page has %d messages", len(page))
	}
	for _, bad := range []chat.MessageQuery{{Limit: 1001}, {Limit: -1}, {Affix: "sideways"}} {
		_, err := db.ListMessages(ctx, bad)
		wantCode(t, err, chat.ErrBadRequest)
	}
}

func TestListMessagesFilters(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	plain := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "plain", t0))
	img := chat.Message{Sender: "bob", Receiver: "alice", ReceiverType: chat.ReceiverUser, Category: chat.CategoryMessage,
		Type: chat.TypeImage, SentAt: t0 + 1, Tags: []string{"pics"},
		Data: chat.MessageData{Attachments: []chat.Attachment{{URL: "https://x/y.png"}}}}
	image := mustSend(t, db, img)
	mention := mustSend(t, db, text("bob", "alice", chat.ReceiverUser, "hey <@uid:alice>", t0+2))
	custom := mustSend(t, db, chat.Message{Sender: "alice", Receiver: "bob", ReceiverType: chat.ReceiverUser,
		Category: chat.CategoryCustom, Type: "poll", SentAt: t0 + 3, Data: chat.MessageData{CustomData: map[string]any{"q": "?"}}})
	gone := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "oops", t0+4))
	_, _, err := db.DeleteMessage(ctx, gone.ID, "alice", t0+10)
	must(t, err)
	edited := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "tpyo", t0+5))
	_, _, err = db.EditMessage(ctx, edited.ID, chat.MessageData{Text: "typo"}, nil, "alice", t0+11)
	must(t, err)
	must(t, db.MarkRead(ctx, "alice", "alice_user_bob", image.ID, t0+12))

	ids := func(q chat.MessageQuery) []chat.ID {
		t.Helper()
		q.Asker = "alice"
		q.Limit = 100
		ms, err := db.ListMessages(ctx, q)
		must(t, err)
		var out []chat.ID
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	msg := []chat.Category{chat.CategoryMessage, chat.CategoryCustom}
	check := func(name string, got []chat.ID, want ...chat.ID) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("categories", ids(chat.MessageQuery{Categories: []chat.Category{chat.CategoryCustom}}), custom.ID)
	check("types", ids(chat.MessageQuery{Types: []string{chat.TypeImage}}), image.ID)
	check("tags", ids(chat.MessageQuery{Tags: []string{"pics"}}), image.ID)
	check("sender", ids(chat.MessageQuery{Sender: "bob", Categories: msg}), image.ID, mention.ID)
	check("attachments", ids(chat.MessageQuery{HasAttachments: true}), image.ID)
	check("mentions", ids(chat.MessageQuery{HasMentions: true}), mention.ID)
	check("only deleted", ids(chat.MessageQuery{OnlyDeleted: true}), gone.ID)
	check("hide deleted", ids(chat.MessageQuery{HideDeleted: true, Categories: msg}), plain.ID, image.ID, mention.ID, custom.ID, edited.ID)
	check("unread", ids(chat.MessageQuery{Unread: true, Categories: msg}), mention.ID)
	check("only updates", ids(chat.MessageQuery{UpdatedAfter: t0 + 10, OnlyUpdates: true}), edited.ID)
	check("updated after", ids(chat.MessageQuery{UpdatedAfter: t0 + 9, OnlyUpdates: true}), gone.ID, edited.ID)
	_, err = db.ListMessages(ctx, chat.MessageQuery{Unread: true})
	wantCode(t, err, chat.ErrBadRequest)
}

func TestEditMessage(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	m := mustSend(t, db, text("alice", "bob", chat.ReceiverUser, "helo", t0))
	edited, action, err := db.EditMessage(ctx, m.ID, chat.MessageData{Text: "hello", Metadata: map[string]any{"e": true}},
		[]string{"fixed"}, "alice", t0+5)
	must(t, err)
	if edited.Data.Text != "hello" || edited.EditedAt != t0+5 || edited.EditedBy != "alice" || edited.UpdatedAt != t0+5 ||
		edited.Tags[0] != "fixed" || edited.Data.Entities.Sender.User.UID != "alice" {
		t.Fatalf("edited %+v", edited)
	}
	e := action.Data.Entities
	if action.ID == 0 || action.Category != chat.CategoryAction || action.Type != chat.TypeMessage ||
		action.Data.Action != chat.ActionEdited || action.ConversationID != m.ConversationID ||
		e.By.User.UID != "alice" || e.On.Message.ID != m.ID || e.On.Message.Data.Text != "hello" ||
		e.On.Message.EditedAt != t0+5 || e.For.User.UID != "bob" {
		t.Fatalf("action %+v", action)
	}
	stored, err := db.Message(ctx, m.ID, "bob")
	must(t, err)
	if stored.Data.Text != "hello" || stored.EditedBy != "alice" {
		t.Fatalf("stored %+v", stored)
	}
	// The old text is gone from search, the new one is found.
	if found, _ := db.ListMessages(ctx, chat.MessageQuery{SearchKey: "helo"}); len(found) != 0 {
		t.Fatalf("old text still indexed: %+v", found)
	}
	if found, _ := db.ListMessages(ctx, chat.MessageQuery{SearchKey: "hello"}); len(found) != 1 {
		t.Fatalf("new text not indexed: %+v", found)
	}
	// Editing does not move the conversation nor add unread.
	c, err := db.Conversation(ctx, "bob", m.ConversationID)
	must(t, err)
	if c.LatestMessageID != m.ID || c.UnreadMessageCount != 1 || c.LastMessage.Data.Text != "hello" {
		t.Fatalf("conversation after edit %+v", c)
	}
	// By the system, in someone else's 1:1 chat: the action stays there.
	_, sys, err := db.EditMessage(ctx, m.ID, chat.MessageData{Text: "hello!"}, nil, "", t0+6)
	must(t, err)
	if sys.Sender != chat.SystemSender || sys.ConversationID != m.ConversationID || sys.Data.Entities.By.User.Name != "System" {
		t.Fatalf("system edit %+v", sys)
	}
	_, _, err = db.EditMessage(ctx, 9999, chat.MessageData{Text: "x"}, nil, "alice", t0)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	_, _, err = db.EditMessage(ctx, action.ID, chat.MessageData{Text: "x"}, nil, "alice", t0)
	wantCode(t, err, chat.ErrMessageActionNotAllowed)
}

func TestDeleteMessage(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	mustUser(t, db, "carol", "Carol")
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol")
	m := mustSend(t, db, text("bob", "g", chat.ReceiverGroup, "regret", t0+1))
	must(t, db.MarkRead(ctx, "carol", "group_g", m.ID, t0+2))
	deleted, action, err := db.DeleteMessage(ctx, m.ID, "alice", t0+3)
	must(t, err)
	if deleted.DeletedAt != t0+3 || deleted.DeletedBy != "alice" || deleted.Data.Text != "regret" {
		t.Fatalf("deleted %+v", deleted)
	}
	if action.Data.Action != chat.ActionDeleted || action.Receiver != "g" || action.Data.Entities.For.Group.GUID != "g" ||
		action.Data.Entities.On.Message.DeletedAt != t0+3 {
		t.Fatalf("action %+v", action)
	}
	stored, err := db.Message(ctx, m.ID, "bob")
	must(t, err)
	if !stored.IsDeleted() {
		t.Fatal("stored message not deleted")
	}
	c, err := db.Conversation(ctx, "alice", "group_g")
	must(t, err)
	if c.UnreadMessageCount != 0 {
		t.Fatalf("deleted message still unread for alice: %d", c.UnreadMessageCount)
	}
	_, _, err = db.DeleteMessage(ctx, m.ID, "alice", t0+4)
	wantCode(t, err, chat.ErrMessageIDNotFound)
	_, _, err = db.DeleteMessage(ctx, 9999, "alice", t0)
	wantCode(t, err, chat.ErrMessageIDNotFound)
}
