package server_test

import (
	"fmt"
	"strings"
	"testing"

	"cometterm/chat"
)

func TestSendMessages(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	tok := e.login("alice")

	// The SDK's exact body: text twice, no muid, no sender.
	var m chat.Message
	mustOK(t, e.as(tok, "POST", "/messages", map[string]any{
		"type": "text", "receiverType": "user", "category": "message",
		"data": map[string]any{"text": "hello bob"}, "text": "hello bob", "receiver": "bob",
	})).data(t, &m)
	if m.ID == 0 || m.Sender != "alice" || m.Category != chat.CategoryMessage || m.Type != chat.TypeText ||
		m.Data.Text != "hello bob" || m.SentAt != e.now.Unix() || m.ConversationID != "alice_user_bob" {
		t.Fatalf("sent: %+v", m)
	}
	if s := m.SenderUser(); s == nil || s.UID != "alice" || s.Name == "" {
		t.Fatalf("sender entity: %+v", m.Data.Entities)
	}
	p := e.pub.sent()
	if len(p) != 1 || p[0].Msg.ID != m.ID || p[0].Device != "WEB-test-device" {
		t.Fatalf("published: %+v", p)
	}

	// Media with attachments, muid, tags and metadata; text at top level only.
	mustOK(t, e.admin("POST", "/messages", map[string]any{
		"receiver": "alice", "receiverType": "user", "category": "message", "type": "image", "muid": "m-1",
		"tags": []string{"pics"}, "data": map[string]any{
			"metadata":    map[string]any{"k": "v"},
			"attachments": []map[string]any{{"url": "https://example.com/cat.png", "name": "cat.png", "mimeType": "image/png", "size": 10}},
		},
	}, "bob")).data(t, &m)
	if m.Type != chat.TypeImage || m.MUID != "m-1" || len(m.Data.Attachments) != 1 || m.Data.Metadata["k"] != "v" || len(m.Tags) != 1 {
		t.Fatalf("media: %+v", m)
	}
	var again chat.Message
	mustOK(t, e.admin("POST", "/messages", map[string]any{
		"receiver": "alice", "receiverType": "user", "category": "message", "type": "image", "muid": "m-1",
		"data": map[string]any{"attachments": []map[string]any{{"url": "https://example.com/cat.png"}}},
	}, "bob")).data(t, &again)
	if again.ID != m.ID {
		t.Fatalf("repeated muid stored twice: %d vs %d", again.ID, m.ID)
	}
	mustOK(t, e.admin("POST", "/messages", map[string]any{
		"receiver": "alice", "receiverType": "user", "category": "custom", "type": "location",
		"data": map[string]any{"customData": map[string]any{"lat": 1.5}},
	}, "bob")).data(t, &m)
	if m.Category != chat.CategoryCustom || m.Data.CustomData["lat"] != 1.5 {
		t.Fatalf("custom: %+v", m)
	}

	// Group message from a member; group messages from non-members refused.
	e.user("carl")
	e.group("g", "alice", chat.GroupPublic, "")
	mustOK(t, e.as(tok, "POST", "/messages", map[string]any{"receiver": "g", "receiverType": "group", "data": map[string]any{"text": "hi all"}}))
	wantCode(t, e.admin("POST", "/messages", map[string]any{"receiver": "g", "receiverType": "group", "data": map[string]any{"text": "x"}}, "carl"), chat.ErrNotAMember)

	// Blocks stop 1:1 messages both ways.
	mustOK(t, e.admin("POST", "/users/bob/blockedusers", map[string]any{"blockedUids": []string{"carl"}}))
	wantCode(t, e.admin("POST", "/messages", map[string]any{"receiver": "bob", "receiverType": "user", "data": map[string]any{"text": "x"}}, "carl"), chat.ErrBlockedReceiver)
	wantCode(t, e.admin("POST", "/messages", map[string]any{"receiver": "carl", "receiverType": "user", "data": map[string]any{"text": "x"}}, "bob"), chat.ErrBlockedReceiver)
}

func TestSendMessageBadInput(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	ok := func(extra map[string]any) map[string]any {
		b := map[string]any{"receiver": "bob", "receiverType": "user", "category": "message", "type": "text", "data": map[string]any{"text": "x"}}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name string
		body any
		code string
	}{
		{"empty text", ok(map[string]any{"data": map[string]any{"text": "  "}}), chat.ErrEmptyMessageText},
		{"text too long", ok(map[string]any{"data": map[string]any{"text": strings.Repeat("x", 65537)}}), chat.ErrBadRequest},
		{"bad receiver type", ok(map[string]any{"receiverType": "planet"}), chat.ErrInvalidReceiverType},
		{"missing receiver", ok(map[string]any{"receiver": ""}), chat.ErrBadRequest},
		{"bad receiver chars", ok(map[string]any{"receiver": "b*b"}), chat.ErrBadRequest},
		{"unknown receiver", ok(map[string]any{"receiver": "zed"}), chat.ErrUIDNotFound},
		{"unknown group", ok(map[string]any{"receiver": "zed", "receiverType": "group"}), chat.ErrGUIDNotFound},
		{"bad category", ok(map[string]any{"category": "action"}), chat.ErrBadRequest},
		{"bad type", ok(map[string]any{"type": "hologram"}), chat.ErrBadRequest},
		{"media without attachment", ok(map[string]any{"type": "image", "data": map[string]any{}}), chat.ErrBadRequest},
		{"attachment bad url", ok(map[string]any{"type": "file", "data": map[string]any{"attachments": []map[string]any{{"url": "nope"}}}}), chat.ErrBadRequest},
		{"custom without type", ok(map[string]any{"category": "custom", "type": ""}), chat.ErrBadRequest},
		{"too many tags", ok(map[string]any{"tags": make([]string, 26)}), chat.ErrBadRequest},
		{"muid too long", ok(map[string]any{"muid": strings.Repeat("m", 300)}), chat.ErrBadRequest},
		{"unknown parent", ok(map[string]any{"parentId": "999"}), chat.ErrMessageIDNotFound},
		{"bad parent id", ok(map[string]any{"parentId": "abc"}), chat.ErrBadRequest},
		{"malformed", `{"receiver":`, chat.ErrBadRequest},
		{"data not object", `{"receiver":"bob","receiverType":"user","data":"hi"}`, chat.ErrBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, e.admin("POST", "/messages", c.body, "alice"), c.code)
			ms, err := e.db.ListMessages(e.ctx(), chat.MessageQuery{Limit: 10})
			if err != nil || len(ms) != 0 {
				t.Fatalf("messages stored: %d %v", len(ms), err)
			}
		})
	}
	// /v3 without onBehalfOf has nobody to send as.
	r := e.admin("POST", "/messages", ok(nil))
	wantCode(t, r, chat.ErrBadRequest)
	if !strings.Contains(r.String(), "onBehalfOf") {
		t.Fatalf("unclear message: %s", r.Body)
	}
	if n := len(e.pub.sent()); n != 0 {
		t.Fatalf("published %d", n)
	}
}

func TestEditDeleteAndThreads(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "mod", "par"} {
		e.user(u)
	}
	m := e.send("alice", "bob", chat.ReceiverUser, "first")

	var action chat.Message
	wantCode(t, e.admin("PUT", fmt.Sprintf("/messages/%d", m.ID), map[string]any{"data": map[string]any{"text": "hacked"}}, "bob"), chat.ErrMessageNotASender)
	wantCode(t, e.admin("PUT", fmt.Sprintf("/messages/%d", m.ID), map[string]any{"data": map[string]any{"text": ""}}, "alice"), chat.ErrEmptyMessageText)
	if got, _ := e.db.Message(e.ctx(), m.ID, ""); got.Data.Text != "first" {
		t.Fatalf("text changed by a rejected edit: %q", got.Data.Text)
	}
	e.now = e.now.Add(60e9)
	mustOK(t, e.admin("PUT", fmt.Sprintf("/messages/%d", m.ID), map[string]any{"data": map[string]any{"text": "first!"}}, "alice")).data(t, &action)
	on := action.Data.Entities.On
	if action.Category != chat.CategoryAction || action.Data.Action != chat.ActionEdited || on == nil || on.Message == nil ||
		on.Message.Data.Text != "first!" || on.Message.EditedBy != "alice" {
		t.Fatalf("edit action: %+v", action)
	}
	if p := e.pub.sent(); p[len(p)-1].Msg.ID != action.ID {
		t.Fatal("edit action not published")
	}

	wantCode(t, e.admin("DELETE", fmt.Sprintf("/messages/%d", m.ID), nil, "bob"), chat.ErrMessageNotASender)
	mustOK(t, e.admin("DELETE", fmt.Sprintf("/messages/%d", m.ID), nil, "alice")).data(t, &action)
	if action.Data.Action != chat.ActionDeleted || action.Data.Entities.On == nil || action.Data.Entities.On.Message.DeletedAt == 0 {
		t.Fatalf("delete action: %+v", action)
	}
	wantCode(t, e.admin("DELETE", fmt.Sprintf("/messages/%d", m.ID), nil, "alice"), chat.ErrMessageActionNotAllowed)
	wantCode(t, e.admin("GET", "/messages/424242", nil), chat.ErrMessageIDNotFound)
	wantCode(t, e.admin("GET", "/messages/x1", nil), chat.ErrBadRequest)

	// In a group, moderators may delete others' messages; participants not.
	e.group("g", "alice", chat.GroupPublic, "")
	e.addMember("g", "mod", chat.ScopeModerator)
	e.addMember("g", "par", chat.ScopeParticipant)
	e.addMember("g", "bob", chat.ScopeParticipant)
	gm := e.send("bob", "g", chat.ReceiverGroup, "in group")
	wantCode(t, e.admin("DELETE", fmt.Sprintf("/messages/%d", gm.ID), nil, "par"), chat.ErrMessageActionNotAllowed)
	mustOK(t, e.admin("DELETE", fmt.Sprintf("/messages/%d", gm.ID), nil, "mod"))

	// Threads: replies go under a parent; replies to replies are refused.
	parent := e.send("bob", "g", chat.ReceiverGroup, "parent")
	var reply chat.Message
	mustOK(t, e.admin("POST", fmt.Sprintf("/messages/%d/thread", parent.ID), map[string]any{
		"receiver": "g", "receiverType": "group", "data": map[string]any{"text": "reply"},
	}, "par")).data(t, &reply)
	if reply.ParentID != parent.ID || reply.Receiver != "g" {
		t.Fatalf("reply: %+v", reply)
	}
	wantCode(t, e.admin("POST", fmt.Sprintf("/messages/%d/thread", reply.ID), map[string]any{"data": map[string]any{"text": "nested"}}, "par"), chat.ErrMessageThreadNesting)
	wantCode(t, e.admin("POST", "/messages", map[string]any{"receiver": "g", "receiverType": "group", "parentId": reply.ID, "data": map[string]any{"text": "nested"}}, "par"), chat.ErrMessageThreadNesting)

	var thread []chat.Message
	mustOK(t, e.admin("GET", fmt.Sprintf("/messages/%d/thread", parent.ID), nil, "alice")).data(t, &thread)
	if len(thread) != 1 || thread[0].ID != reply.ID {
		t.Fatalf("thread: %+v", thread)
	}
	var got chat.Message
	mustOK(t, e.admin("GET", fmt.Sprintf("/messages/%d", parent.ID), nil, "alice")).data(t, &got)
	if got.ReplyCount != 1 {
		t.Fatalf("replyCount %d", got.ReplyCount)
	}
	var list []chat.Message
	mustOK(t, e.admin("GET", "/groups/g/messages?hideReplies=true&categories=message", nil, "alice")).data(t, &list)
	for _, m := range list {
		if m.ParentID != 0 || m.Category != chat.CategoryMessage {
			t.Fatalf("hideReplies/categories not applied: %+v", m)
		}
	}
}

func TestListMessagesCursor(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	e.user("zed")
	tok := e.login("alice")
	var ids []chat.ID
	for i := range 7 {
		e.now = e.now.Add(1e9)
		ids = append(ids, e.send("bob", "alice", chat.ReceiverUser, fmt.Sprintf("m%d needle%d", i, i%2)).ID)
	}
	// The SDK's first call, then its second from meta.cursor.
	r := mustOK(t, e.as(tok, "GET", "/users/bob/messages?per_page=3&affix=prepend&withThreadSubscribed=true", nil))
	var page []chat.Message
	r.data(t, &page)
	meta := r.meta(t)
	if len(page) != 3 || page[0].ID != ids[4] || page[2].ID != ids[6] {
		t.Fatalf("newest page: %s", r.Body)
	}
	if meta.Cursor == nil || meta.Cursor.ID != ids[4] || meta.Pagination == nil || meta.Pagination.TotalPages == 1 {
		t.Fatalf("meta: %s", r.Body)
	}
	r = mustOK(t, e.as(tok, "GET", fmt.Sprintf("/users/bob/messages?per_page=3&affix=prepend&withThreadSubscribed=true&id=%d&sentAt=%d", meta.Cursor.ID, meta.Cursor.SentAt), nil))
	r.data(t, &page)
	if len(page) != 3 || page[0].ID != ids[1] || page[2].ID != ids[3] {
		t.Fatalf("older page: %s", r.Body)
	}
	r = mustOK(t, e.as(tok, "GET", fmt.Sprintf("/users/bob/messages?per_page=3&affix=prepend&id=%d", ids[1]), nil))
	r.data(t, &page)
	if len(page) != 1 || r.meta(t).Pagination.TotalPages != 1 {
		t.Fatalf("last page: %s", r.Body)
	}
	r = mustOK(t, e.admin("GET", fmt.Sprintf("/messages?limit=2&affix=append&id=%d", ids[2]), nil))
	r.data(t, &page)
	if len(page) != 2 || page[0].ID != ids[3] || r.meta(t).Next == nil || r.meta(t).Current.Count != 2 {
		t.Fatalf("append: %s", r.Body)
	}
	mustOK(t, e.as(tok, "GET", "/users/bob/messages?searchKey=needle1", nil)).data(t, &page)
	if len(page) != 3 {
		t.Fatalf("search: %d", len(page))
	}
	mustOK(t, e.as(tok, "GET", "/users/zed/messages", nil)).data(t, &page)
	if len(page) != 0 {
		t.Fatalf("empty conversation: %d", len(page))
	}
	wantCode(t, e.as(tok, "GET", "/users/bob/messages?affix=sideways", nil), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/users/bob/messages?per_page=5000", nil), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/users/bob/messages?id=-4", nil), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/users/bob/messages?categories=poem", nil), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/users/nobody/messages", nil), chat.ErrUIDNotFound)
	wantCode(t, e.admin("GET", "/users/bob/messages", nil), chat.ErrBadRequest)

	e.group("g", "bob", chat.GroupPublic, "")
	wantCode(t, e.as(tok, "GET", "/groups/g/messages", nil), chat.ErrGroupNotJoined)

	// Receipts for message info.
	var rs []chat.MessageReceipt
	mustOK(t, e.as(tok, "GET", fmt.Sprintf("/messages/%d/receipts", ids[0]), nil)).data(t, &rs)
	if _, err := e.db.Receipt(e.ctx(), "alice", ids[0], chat.ReceiptRead, e.now.Unix()); err != nil {
		t.Fatal(err)
	}
	mustOK(t, e.admin("GET", fmt.Sprintf("/messages/%d/receipts", ids[0]), nil, "bob")).data(t, &rs)
	if len(rs) != 1 || rs[0].User.UID != "alice" || rs[0].ReadAt != e.now.Unix() {
		t.Fatalf("receipts: %+v", rs)
	}
	wantCode(t, e.admin("GET", fmt.Sprintf("/messages/%d/receipts", ids[0]), nil, "zed"), chat.ErrMessageNoAccess)
}
