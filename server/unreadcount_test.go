package server_test

import (
	"encoding/json"
	"testing"

	"cometterm/chat"
)

// The official SDK's getUnreadMessageCount* calls ask a message list with
// unread=1&count=1 and read a list of {entityId, entityType, count}.
func TestUnreadCounts(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"alice", "bob", "carl"} {
		e.user(u)
	}
	tok := e.login("alice")
	e.group("g", "carl", chat.GroupPublic, "")
	e.addMember("g", "alice", chat.ScopeParticipant)
	for range 3 {
		e.send("bob", "alice", chat.ReceiverUser, "direct")
	}
	e.send("carl", "g", chat.ReceiverGroup, "group")
	e.send("alice", "carl", chat.ReceiverUser, "mine is never unread")

	type entry struct {
		EntityID   string `json:"entityId"`
		EntityType string `json:"entityType"`
		Count      int    `json:"count"`
	}
	counts := func(path string) map[string]int {
		t.Helper()
		var es []entry
		if err := json.Unmarshal(mustOK(t, e.as(tok, "GET", path, nil)).envelope(t).Data, &es); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out := map[string]int{}
		for _, x := range es {
			out[x.EntityType+":"+x.EntityID] = x.Count
		}
		return out
	}
	all := counts("/messages?unread=1&count=1")
	if len(all) != 2 || all["user:bob"] != 3 || all["group:g"] != 1 {
		t.Fatalf("all unread counts = %v", all)
	}
	if one := counts("/users/bob/messages?unread=1&count=1"); len(one) != 1 || one["user:bob"] != 3 {
		t.Fatalf("bob's unread count = %v", one)
	}
	if one := counts("/groups/g/messages?unread=true&count=true"); len(one) != 1 || one["group:g"] != 1 {
		t.Fatalf("group unread count = %v", one)
	}
	if none := counts("/users/carl/messages?unread=1&count=1"); len(none) != 0 {
		t.Fatalf("my own messages counted: %v", none)
	}

	// Without a user there is nobody to count for; a bad flag is refused.
	wantCode(t, e.admin("GET", "/messages?unread=1&count=1", nil), chat.ErrBadRequest)
	wantCode(t, e.as(tok, "GET", "/messages?unread=1&count=maybe", nil), chat.ErrBadRequest)
}
