package server_test

import (
	"fmt"
	"strings"
	"testing"

	"cometterm/chat"
)

func TestGroupsCRUD(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{"owner", "ann", "max", "pat", "ben"} {
		e.user(u)
	}
	var g struct {
		chat.Group
		Members map[string]map[string]struct {
			Success bool         `json:"success"`
			Data    chat.Message `json:"data"`
		} `json:"members"`
	}
	mustOK(t, e.admin("POST", "/groups", map[string]any{
		"guid": "Team", "name": "Team", "type": "password", "password": "s3cret",
		"description": "the team", "tags": []string{"work"},
		"members": map[string]any{
			"admins": []string{"ann"}, "moderators": []string{"max"},
			"participants": []string{"pat", "ann"}, "usersToBan": []string{"ben"},
		},
	}, "owner")).data(t, &g)
	if g.GUID != "team" || g.Owner != "owner" || g.Scope != chat.ScopeAdmin || !g.HasJoined || g.ConversationID != "group_team" {
		t.Fatalf("created: %+v", g.Group)
	}
	if !g.Members["admins"]["ann"].Success || g.Members["admins"]["ann"].Data.Data.Action != chat.ActionAdded ||
		!g.Members["moderators"]["max"].Success || !g.Members["participants"]["pat"].Success ||
		!g.Members["usersToBan"]["ben"].Success {
		t.Fatalf("member results: %+v", g.Members)
	}
	if _, dup := g.Members["participants"]["ann"]; dup {
		t.Fatal("ann reported twice: the highest scope should win")
	}
	for uid, want := range map[string]chat.Scope{"owner": chat.ScopeAdmin, "ann": chat.ScopeAdmin, "max": chat.ScopeModerator, "pat": chat.ScopeParticipant, "ben": ""} {
		if got := e.scopeOf("team", uid); got != want {
			t.Errorf("%s: scope %q, want %q", uid, got, want)
		}
	}
	if banned, _ := e.db.Banned(e.ctx(), "team", "ben"); !banned {
		t.Error("ben not banned")
	}
	if hash, _ := e.db.GroupPasswordHash(e.ctx(), "team"); hash == "" || hash == "s3cret" {
		t.Errorf("password stored as %q", hash)
	}
	if n := len(e.pub.sent()); n != 4 {
		t.Errorf("published %d action messages, want 4 (3 added + 1 banned)", n)
	}

	// The system creates for an owner named in the body.
	mustOK(t, e.admin("POST", "/groups", map[string]any{"guid": "open", "name": "Open", "type": "public", "owner": "pat"}))
	var list []chat.Group
	r := mustOK(t, e.admin("GET", "/groups?types=public", nil))
	r.data(t, &list)
	if len(list) != 1 || list[0].GUID != "open" || r.meta(t).Pagination.Total != 1 {
		t.Fatalf("list public: %s", r.Body)
	}
	mustOK(t, e.admin("GET", "/groups?hasJoined=true", nil, "max")).data(t, &list)
	if len(list) != 1 || list[0].GUID != "team" {
		t.Fatalf("max's groups: %+v", list)
	}
	var got chat.Group
	mustOK(t, e.admin("GET", "/groups/team", nil, "max")).data(t, &got)
	if got.Scope != chat.ScopeModerator || got.MembersCount != 4 {
		t.Fatalf("get as max: %+v", got)
	}

	// Update: a moderator may; a participant may not.
	mustOK(t, e.admin("PUT", "/groups/team", map[string]any{"name": "Team 2"}, "max")).data(t, &got)
	if got.Name != "Team 2" {
		t.Fatalf("update: %+v", got)
	}
	wantCode(t, e.admin("PUT", "/groups/team", map[string]any{"name": "Pat's"}, "pat"), chat.ErrGroupNoClearance)
	if g2, _ := e.db.Group(e.ctx(), "team", ""); g2.Name != "Team 2" {
		t.Fatalf("participant renamed the group: %q", g2.Name)
	}
	wantCode(t, e.admin("PUT", "/groups/open", map[string]any{"type": "password"}), chat.ErrBadRequest)
	mustOK(t, e.admin("PUT", "/groups/open", map[string]any{"type": "password", "password": "pw"}))
	if g2, _ := e.db.Group(e.ctx(), "open", ""); g2.Type != chat.GroupPassword {
		t.Fatalf("type not changed: %q", g2.Type)
	}

	// Transfer: only the owner, only to a member.
	wantCode(t, e.admin("PATCH", "/groups/team/owner", map[string]any{"uid": "max"}, "ann"), chat.ErrGroupNoClearance)
	wantCode(t, e.admin("PATCH", "/groups/team/owner", map[string]any{"uid": "ben"}, "owner"), chat.ErrNotAMember)
	mustOK(t, e.admin("PATCH", "/groups/team/owner", map[string]any{"uid": "ann"}, "owner")).data(t, &got)
	if g2, _ := e.db.Group(e.ctx(), "team", ""); g2.Owner != "ann" {
		t.Fatalf("owner: %q", g2.Owner)
	}

	// The REST key without onBehalfOf acts as the system: it may moderate
	// anyone but the owner.
	wantCode(t, e.admin("DELETE", "/groups/team/members/ann", nil), chat.ErrGroupNoClearance)
	mustOK(t, e.admin("PUT", "/groups/team/members/pat", map[string]any{"scope": "moderator"}))
	if e.scopeOf("team", "ann") != chat.ScopeAdmin || e.scopeOf("team", "pat") != chat.ScopeModerator {
		t.Fatal("system moderation went wrong")
	}
	if last := e.pub.sent()[len(e.pub.sent())-1].Msg; last.Sender != chat.SystemSender || last.Data.Action != chat.ActionScopeChanged {
		t.Fatalf("system action: %+v", last)
	}

	// Delete: not a moderator; the owner may.
	wantCode(t, e.admin("DELETE", "/groups/team", nil, "max"), chat.ErrGroupNoClearance)
	mustOK(t, e.admin("DELETE", "/groups/team", nil, "ann"))
	wantCode(t, e.admin("GET", "/groups/team", nil), chat.ErrGUIDNotFound)
}

func TestGroupsBadInput(t *testing.T) {
	e := newEnv(t)
	e.user("owner")
	e.group("taken", "owner", chat.GroupPublic, "")
	many := make([]string, 26)
	for i := range many {
		many[i] = fmt.Sprintf("u%d", i)
	}
	cases := []struct {
		name string
		body any
		code string
	}{
		{"missing guid", map[string]any{"name": "G", "type": "public"}, chat.ErrBadRequest},
		{"bad guid", map[string]any{"guid": "g/1", "name": "G", "type": "public"}, chat.ErrBadRequest},
		{"guid too long", map[string]any{"guid": strings.Repeat("g", 101), "name": "G", "type": "public"}, chat.ErrBadRequest},
		{"missing name", map[string]any{"guid": "g", "type": "public"}, chat.ErrBadRequest},
		{"bad type", map[string]any{"guid": "g", "name": "G", "type": "secret"}, chat.ErrBadRequest},
		{"password group without password", map[string]any{"guid": "g", "name": "G", "type": "password"}, chat.ErrBadRequest},
		{"password too long", map[string]any{"guid": "g", "name": "G", "type": "password", "password": strings.Repeat("p", 101)}, chat.ErrBadRequest},
		{"description too long", map[string]any{"guid": "g", "name": "G", "type": "public", "description": strings.Repeat("d", 256)}, chat.ErrBadRequest},
		{"bad icon", map[string]any{"guid": "g", "name": "G", "type": "public", "icon": "nope"}, chat.ErrBadRequest},
		{"too many members", map[string]any{"guid": "g", "name": "G", "type": "public", "members": map[string]any{"participants": many}}, chat.ErrBadRequest},
		{"unknown member", map[string]any{"guid": "g", "name": "G", "type": "public", "members": map[string]any{"participants": []string{"ghost"}}}, chat.ErrUIDNotFound},
		{"bad member uid", map[string]any{"guid": "g", "name": "G", "type": "public", "members": map[string]any{"admins": []string{"a b"}}}, chat.ErrBadRequest},
		{"exists", map[string]any{"guid": "TAKEN", "name": "G", "type": "public"}, chat.ErrGUIDAlreadyExists},
		{"members not an object", `{"guid":"g","name":"G","type":"public","members":[1]}`, chat.ErrBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, e.admin("POST", "/groups", c.body, "owner"), c.code)
			if _, total, _ := e.db.ListGroups(e.ctx(), chat.GroupQuery{Page: chat.Page{PerPage: 10, Page: 1}}); total != 1 {
				t.Fatalf("groups: %d", total)
			}
		})
	}
	wantCode(t, e.admin("POST", "/groups", map[string]any{"guid": "g", "name": "G", "type": "public"}), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/groups/nope", nil), chat.ErrGUIDNotFound)
	wantCode(t, e.admin("GET", "/groups?types=secret", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/groups?hasJoined=true", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("PUT", "/groups/nope", map[string]any{"name": "x"}), chat.ErrGUIDNotFound)
	wantCode(t, e.admin("PUT", "/groups/taken", map[string]any{"unset": []string{"name"}}), chat.ErrBadRequest)
	wantCode(t, e.admin("DELETE", "/groups/nope", nil), chat.ErrGUIDNotFound)
}
