package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"cometterm/chat"
)

func TestReactions(t *testing.T) {
	e := newEnv(t)
	e.user("alice")
	e.user("bob")
	e.user("zed")
	m := e.send("alice", "bob", chat.ReceiverUser, "react to me")
	path := fmt.Sprintf("/messages/%d/reactions/", m.ID)
	smile := url.PathEscape("😀")

	var got chat.Message
	mustOK(t, e.admin("POST", path+smile, nil, "bob")).data(t, &got)
	if len(got.Data.Reactions) != 1 || got.Data.Reactions[0].Reaction != "😀" || got.Data.Reactions[0].Count != 1 {
		t.Fatalf("after add: %+v", got.Data.Reactions)
	}
	mustOK(t, e.admin("POST", path+"thumbs", nil, "alice"))
	e.pub.mu.Lock()
	n := len(e.pub.reactions)
	e.pub.mu.Unlock()
	if n != 2 {
		t.Fatalf("published %d reactions", n)
	}

	var rs []chat.Reaction
	r := mustOK(t, e.admin("GET", fmt.Sprintf("/messages/%d/reactions", m.ID), nil))
	r.data(t, &rs)
	if len(rs) != 2 || r.meta(t).Current.Count != 2 {
		t.Fatalf("list: %s", r.Body)
	}
	mustOK(t, e.admin("GET", path+smile, nil)).data(t, &rs)
	if len(rs) != 1 || rs[0].UID != "bob" {
		t.Fatalf("list one reaction: %+v", rs)
	}

	mustOK(t, e.admin("DELETE", path+smile, nil, "bob")).data(t, &got)
	if len(got.Data.Reactions) != 1 || got.Data.Reactions[0].Reaction != "thumbs" {
		t.Fatalf("after remove: %+v", got.Data.Reactions)
	}
	wantCode(t, e.admin("DELETE", path+smile, nil, "bob"), chat.ErrReactionNotFound)
	wantCode(t, e.admin("POST", path+strings.Repeat("x", 46), nil, "bob"), chat.ErrBadRequest)
	wantCode(t, e.admin("POST", "/messages/999/reactions/x", nil, "bob"), chat.ErrMessageIDNotFound)
	wantCode(t, e.admin("POST", path+"x", nil, "zed"), chat.ErrMessageNoAccess)
	wantCode(t, e.admin("POST", path+"x", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", fmt.Sprintf("/messages/%d/reactions?limit=0", m.ID), nil), chat.ErrBadRequest)
	stored, err := e.db.ListReactions(e.ctx(), m.ID, "", 0, 100)
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored reactions after rejected calls: %d %v", len(stored), err)
	}
}
