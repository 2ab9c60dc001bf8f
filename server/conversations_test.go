package server_test

import (
	"testing"

	"cometterm/chat"
)

func TestConversations(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carl"} {
		e.user(u)
	}
	tok := e.login("alice")
	e.group("g", "carl", chat.GroupPublic, "")
	e.addMember("g", "alice", chat.ScopeParticipant)
	e.now = e.now.Add(1e9)
	m1 := e.send("bob", "alice", chat.ReceiverUser, "one")
	e.now = e.now.Add(1e9)
	e.send("carl", "g", chat.ReceiverGroup, "group hello")
	e.now = e.now.Add(1e9)
	m3 := e.send("bob", "alice", chat.ReceiverUser, "three")
	e.pub.setOnline("bob", true)

	// The SDK's call: per_page and page, meta.pagination required.
	r := mustOK(t, e.as(tok, "GET", "/conversations?per_page=30&page=1", nil))
	var cs []chat.Conversation
	r.data(t, &cs)
	if len(cs) != 2 || cs[0].ConversationID != "alice_user_bob" || cs[1].ConversationID != "group_g" {
		t.Fatalf("order by updatedAt: %s", r.Body)
	}
	if cs[0].WithUser == nil || cs[0].WithUser.Name == "" || cs[0].WithUser.Status != chat.StatusOnline ||
		cs[0].UnreadMessageCount != 2 || cs[0].LastMessage == nil || cs[0].LastMessage.ID != m3.ID {
		t.Fatalf("user conversation: %+v", cs[0])
	}
	if p := r.meta(t).Pagination; p == nil || p.Total != 2 || p.PerPage != 30 {
		t.Fatalf("pagination: %s", r.Body)
	}
	mustOK(t, e.as(tok, "GET", "/conversations?per_page=30&page=2", nil)).data(t, &cs)
	if len(cs) != 0 {
		t.Fatalf("page 2: %d", len(cs))
	}
	mustOK(t, e.as(tok, "GET", "/conversations?conversationType=group", nil)).data(t, &cs)
	if len(cs) != 1 || cs[0].WithGroup == nil || cs[0].WithGroup.GUID != "g" {
		t.Fatalf("groups only: %+v", cs)
	}

	var c chat.Conversation
	mustOK(t, e.as(tok, "GET", "/users/bob/conversation", nil)).data(t, &c)
	if c.ConversationID != "alice_user_bob" {
		t.Fatalf("get: %+v", c)
	}
	mustOK(t, e.as(tok, "GET", "/conversations/alice_user_bob", nil)).data(t, &c)

	// Marks: read up to m1 leaves one unread; unread from m1 makes two.
	mustOK(t, e.as(tok, "POST", "/users/bob/conversation/delivered", map[string]any{"messageId": m3.ID}))
	mustOK(t, e.as(tok, "POST", "/users/bob/conversation/read", map[string]any{"messageId": m1.ID}))
	got, err := e.db.Conversation(e.ctx(), "alice", "alice_user_bob")
	if err != nil || got.UnreadMessageCount != 1 {
		t.Fatalf("after read: %+v %v", got.UnreadMessageCount, err)
	}
	mustOK(t, e.as(tok, "DELETE", "/users/bob/conversation/read", map[string]any{"messageId": m1.ID}))
	if got, _ = e.db.Conversation(e.ctx(), "alice", "alice_user_bob"); got.UnreadMessageCount != 2 {
		t.Fatalf("after unread: %d", got.UnreadMessageCount)
	}

	wantCode(t, e.as(tok, "DELETE", "/users/bob/conversation/read", map[string]any{}), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "POST", "/users/carl/conversation/read", map[string]any{"messageId": m1.ID}), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "POST", "/users/nobody/conversation/read", map[string]any{"messageId": m1.ID}), chat.ErrUIDNotFound)
	wantCode(t, e.as(tok, "POST", "/users/bob/conversation/read", map[string]any{"messageId": 99999}), chat.ErrMessageIDNotFound)
	wantCode(t, e.as(tok, "GET", "/conversations/bob_user_carl", nil), chat.ErrConversationNotAccess)
	wantCode(t, e.as(tok, "GET", "/conversations?conversationType=planet", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/conversations", nil), chat.ErrBadRequest)
	if got, _ = e.db.Conversation(e.ctx(), "alice", "alice_user_bob"); got.UnreadMessageCount != 2 {
		t.Fatalf("changed by rejected marks: %d", got.UnreadMessageCount)
	}

	// No messageId (the SDK's markConversationAsRead): the whole conversation.
	mustOK(t, e.as(tok, "POST", "/users/bob/conversation/read", map[string]any{}))
	if got, _ = e.db.Conversation(e.ctx(), "alice", "alice_user_bob"); got.UnreadMessageCount != 0 {
		t.Fatalf("after marking the whole conversation read: %d unread", got.UnreadMessageCount)
	}
}

func TestBlockedAndFriends(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carl"} {
		e.user(u)
	}
	tok := e.login("alice")
	var res map[string]struct {
		Success bool `json:"success"`
	}
	mustOK(t, e.as(tok, "POST", "/blockedusers", map[string]any{"blockedUids": []string{"bob", "ghost"}})).data(t, &res)
	if !res["bob"].Success || res["ghost"].Success {
		t.Fatalf("block results: %+v", res)
	}
	if b, _ := e.db.Blocked(e.ctx(), "alice", "bob"); !b {
		t.Fatal("not blocked")
	}
	var us []chat.User
	mustOK(t, e.as(tok, "GET", "/blockedusers", nil)).data(t, &us)
	if len(us) != 1 || us[0].UID != "bob" {
		t.Fatalf("blocked list: %+v", us)
	}
	mustOK(t, e.admin("GET", "/users/bob/blockedusers?direction=hasBlockedMe", nil)).data(t, &us)
	if len(us) != 1 || us[0].UID != "alice" {
		t.Fatalf("bob's blockers: %+v", us)
	}
	wantCode(t, e.as(tok, "POST", "/users/bob/blockedusers", map[string]any{"blockedUids": []string{"carl"}}), chat.ErrNoAccess)
	wantCode(t, e.as(tok, "POST", "/blockedusers", map[string]any{"blockedUids": []string{"alice"}}), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "POST", "/blockedusers", map[string]any{"blockedUids": []string{}}), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/blockedusers?direction=sideways", nil), chat.ErrBadRequest)
	if b, _ := e.db.Blocked(e.ctx(), "bob", "carl"); b {
		t.Fatal("bob blocked carl through alice")
	}
	mustOK(t, e.as(tok, "DELETE", "/blockedusers", map[string]any{"blockedUids": []string{"bob"}}))
	if b, _ := e.db.Blocked(e.ctx(), "alice", "bob"); b {
		t.Fatal("still blocked")
	}

	var fr map[string]map[string]struct {
		Success bool `json:"success"`
	}
	mustOK(t, e.admin("POST", "/users/alice/friends", map[string]any{"accepted": []string{"bob", "carl"}})).data(t, &fr)
	if !fr["accepted"]["bob"].Success || !fr["accepted"]["carl"].Success {
		t.Fatalf("friends: %+v", fr)
	}
	mustOK(t, e.admin("POST", "/users/alice/friends", map[string]any{"accepted": []string{"bob"}})).data(t, &fr)
	if fr["accepted"]["bob"].Success {
		t.Fatal("re-adding a friend succeeded")
	}
	mustOK(t, e.admin("GET", "/users/bob/friends", nil)).data(t, &us)
	if len(us) != 1 || us[0].UID != "alice" {
		t.Fatalf("friendship is not mutual: %+v", us)
	}
	mustOK(t, e.admin("DELETE", "/users/alice/friends", map[string]any{"friends": []string{"carl"}}))
	if f, _ := e.db.FriendUIDs(e.ctx(), "alice"); len(f) != 1 || f[0] != "bob" {
		t.Fatalf("friends after removal: %v", f)
	}
	wantCode(t, e.admin("POST", "/users/nobody/friends", map[string]any{"accepted": []string{"bob"}}), chat.ErrUIDNotFound)
	wantCode(t, e.admin("POST", "/users/alice/friends", map[string]any{"accepted": []string{"b b"}}), chat.ErrBadRequest)
}
