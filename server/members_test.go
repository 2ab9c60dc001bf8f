package server_test

import (
	"fmt"
	"testing"

	"cometterm/chat"
)

// expectAllowed is the privilege table written out by hand, independent
// of chat.Authorize, so that the HTTP path is checked against the rules
// as CometChat documents them.
func expectAllowed(actor string, act chat.GroupAction, target string) bool {
	if target == "owner" {
		return false // nobody acts on the owner
	}
	switch act {
	case chat.ActTransferOwner:
		return actor == "owner"
	case chat.ActAddMembers, chat.ActDeleteGroup:
		return actor == "owner" || actor == "admin"
	case chat.ActUpdateGroup, chat.ActUnban:
		return actor != "participant"
	}
	switch actor {
	case "owner", "admin":
		return true
	case "moderator":
		return target == "participant"
	}
	return false
}

func TestMemberActionTable(t *testing.T) {
	e := newEnv(t)
	actors := map[string]string{"owner": "own", "admin": "adm", "moderator": "mod", "participant": "par"}
	targets := map[string]string{"owner": "own", "admin": "tadm", "moderator": "tmod", "participant": "tpar"}
	tokens := map[string]string{}
	for _, u := range []string{"own", "adm", "mod", "par", "tadm", "tmod", "tpar", "newbie"} {
		e.user(u)
		tokens[u] = e.login(u)
	}
	n := 0
	for _, actorScope := range []string{"owner", "admin", "moderator", "participant"} {
		for _, act := range chat.GroupActions {
			targetScopes := []string{"owner", "admin", "moderator", "participant"}
			switch act {
			case chat.ActAddMembers, chat.ActUpdateGroup, chat.ActDeleteGroup:
				targetScopes = []string{""}
			case chat.ActUnban:
				targetScopes = []string{"participant"}
			}
			for _, targetScope := range targetScopes {
				actor, target := actors[actorScope], targets[targetScope]
				if actor == target {
					continue
				}
				n++
				guid := fmt.Sprintf("g%d", n)
				name := fmt.Sprintf("%s/%s/%s", actorScope, act, targetScope)
				t.Run(name, func(t *testing.T) {
					e.group(guid, "own", chat.GroupPublic, "")
					mustOK(t, e.admin("POST", "/groups/"+guid+"/members", map[string]any{
						"admins": []string{"adm", "tadm"}, "moderators": []string{"mod", "tmod"}, "participants": []string{"par", "tpar"},
					}))
					if act == chat.ActUnban {
						mustOK(t, e.admin("POST", "/groups/"+guid+"/bannedusers/"+target, nil))
					}
					want := expectAllowed(actorScope, act, targetScope)
					r := memberCall(e, tokens[actor], guid, act, target, targetScope)
					if want && r.Status != 200 {
						t.Fatalf("want allowed, got %d: %s", r.Status, r.Body)
					}
					if !want {
						wantCode(t, r, chat.ErrGroupNoClearance)
					}
					checkEffect(t, e, guid, act, target, targetScope, want)
				})
			}
		}
	}
}

// newScopeFor picks a scope change that is possible for the target.
func newScopeFor(targetScope string) chat.Scope {
	if targetScope == "participant" {
		return chat.ScopeModerator
	}
	return chat.ScopeParticipant
}

func memberCall(e *env, tok, guid string, act chat.GroupAction, target, targetScope string) resp {
	base := "/groups/" + guid
	switch act {
	case chat.ActChangeScope:
		return e.as(tok, "PUT", base+"/members/"+target, map[string]any{"scope": newScopeFor(targetScope)})
	case chat.ActKick:
		return e.as(tok, "DELETE", base+"/members/"+target, nil)
	case chat.ActBan:
		return e.as(tok, "POST", base+"/bannedusers/"+target, nil)
	case chat.ActUnban:
		return e.as(tok, "DELETE", base+"/bannedusers/"+target, nil)
	case chat.ActAddMembers:
		return e.as(tok, "POST", base+"/members", map[string]any{"participants": []string{"newbie"}})
	case chat.ActUpdateGroup:
		return e.as(tok, "PUT", base, map[string]any{"name": "Renamed"})
	case chat.ActDeleteGroup:
		return e.as(tok, "DELETE", base, nil)
	case chat.ActTransferOwner:
		return e.as(tok, "PATCH", base+"/owner", map[string]any{"uid": target})
	}
	panic("unknown action " + act)
}

// checkEffect reads the store back: the change happened iff allowed.
func checkEffect(t *testing.T, e *env, guid string, act chat.GroupAction, target, targetScope string, allowed bool) {
	t.Helper()
	was := map[string]chat.Scope{"owner": chat.ScopeAdmin, "admin": chat.ScopeAdmin, "moderator": chat.ScopeModerator, "participant": chat.ScopeParticipant}[targetScope]
	banned := func() bool {
		b, err := e.db.Banned(e.ctx(), guid, target)
		if err != nil {
			t.Fatalf("banned: %v", err)
		}
		return b
	}
	switch act {
	case chat.ActChangeScope:
		want := was
		if allowed {
			want = newScopeFor(targetScope)
		}
		if got := e.scopeOf(guid, target); got != want {
			t.Fatalf("scope %q, want %q", got, want)
		}
	case chat.ActKick, chat.ActBan:
		want := was
		if allowed {
			want = ""
		}
		if got := e.scopeOf(guid, target); got != want {
			t.Fatalf("scope after %s: %q, want %q", act, got, want)
		}
		if act == chat.ActBan && banned() != allowed {
			t.Fatalf("banned = %v", !allowed)
		}
	case chat.ActUnban:
		if banned() == allowed {
			t.Fatalf("still banned = %v", !allowed)
		}
	case chat.ActAddMembers:
		if got := e.scopeOf(guid, "newbie"); (got != "") != allowed {
			t.Fatalf("newbie scope %q", got)
		}
	case chat.ActUpdateGroup:
		g, err := e.db.Group(e.ctx(), guid, "")
		if err != nil || (g.Name == "Renamed") != allowed {
			t.Fatalf("name %q %v", g.Name, err)
		}
	case chat.ActDeleteGroup:
		_, err := e.db.Group(e.ctx(), guid, "")
		if chat.HasCode(err, chat.ErrGUIDNotFound) != allowed {
			t.Fatalf("group after delete: %v", err)
		}
	case chat.ActTransferOwner:
		g, err := e.db.Group(e.ctx(), guid, "")
		want := "own"
		if allowed {
			want = target
		}
		if err != nil || g.Owner != want {
			t.Fatalf("owner %q, want %q (%v)", g.Owner, want, err)
		}
	}
}

// sdkJoinBody is what the official SDK sends to join: a serialized Group.
func sdkJoinBody(guid string, typ chat.GroupType, password string) map[string]any {
	b := map[string]any{"hasJoined": false, "membersCount": 0, "isBanned": false, "guid": guid, "name": "name", "type": typ}
	if password != "" {
		b["password"] = password
	}
	return b
}

func TestJoinTable(t *testing.T) {
	e := newEnv(t)
	e.user("own")
	e.user("joe")
	tok := e.login("joe")
	cases := []struct {
		typ      chat.GroupType
		password string
		code     string
	}{
		{chat.GroupPublic, "", ""},
		{chat.GroupPublic, "anything", ""},
		{chat.GroupPassword, "right", ""},
		{chat.GroupPassword, "wrong", chat.ErrWrongGroupPass},
		{chat.GroupPassword, "", chat.ErrEmptyGroupPass},
		{chat.GroupPrivate, "", chat.ErrGroupJoinNotAllowed},
		{chat.GroupPrivate, "right", chat.ErrGroupJoinNotAllowed},
	}
	for i, c := range cases {
		guid := fmt.Sprintf("j%d", i)
		t.Run(fmt.Sprintf("%s/%q", c.typ, c.password), func(t *testing.T) {
			pw := ""
			if c.typ == chat.GroupPassword {
				pw = "right"
			}
			e.group(guid, "own", c.typ, pw)
			r := e.as(tok, "POST", "/groups/"+guid+"/members", sdkJoinBody(guid, c.typ, c.password))
			if c.code != "" {
				wantCode(t, r, c.code)
				if e.scopeOf(guid, "joe") != "" {
					t.Fatal("joined anyway")
				}
				return
			}
			var m chat.Message
			r.data(t, &m)
			for_ := m.Data.Entities.For
			if m.Data.Action != chat.ActionJoined || for_ == nil || for_.Group == nil ||
				for_.Group.GUID != guid || !for_.Group.HasJoined || for_.Group.Scope != chat.ScopeParticipant {
				t.Fatalf("joined action: %s", r.Body)
			}
			if e.scopeOf(guid, "joe") != chat.ScopeParticipant {
				t.Fatal("not a member")
			}
			wantCode(t, e.as(tok, "POST", "/groups/"+guid+"/members", sdkJoinBody(guid, c.typ, c.password)), chat.ErrAlreadyJoined)
		})
	}
	wantCode(t, e.as(tok, "POST", "/groups/nope/members", sdkJoinBody("nope", chat.GroupPublic, "")), chat.ErrGUIDNotFound)
}

func TestKickedRejoinBannedNot(t *testing.T) {
	e := newEnv(t)
	e.user("own")
	e.user("kim")
	tok := e.login("kim")
	e.group("pub", "own", chat.GroupPublic, "")
	join := func() resp { return e.as(tok, "POST", "/groups/pub/members", sdkJoinBody("pub", chat.GroupPublic, "")) }

	mustOK(t, join())
	mustOK(t, e.admin("DELETE", "/groups/pub/members/kim", nil, "own"))
	last := e.pub.sent()[len(e.pub.sent())-1]
	if last.Msg.Data.Action != chat.ActionKicked || len(last.AlsoTo) != 1 || last.AlsoTo[0] != "kim" {
		t.Fatalf("kick fan-out: %+v", last)
	}
	mustOK(t, join())

	mustOK(t, e.admin("POST", "/groups/pub/bannedusers/kim", nil, "own"))
	last = e.pub.sent()[len(e.pub.sent())-1]
	if last.Msg.Data.Action != chat.ActionBanned || len(last.AlsoTo) != 1 || last.AlsoTo[0] != "kim" {
		t.Fatalf("ban fan-out: %+v", last)
	}
	wantCode(t, join(), chat.ErrBannedGroupMember)
	if e.scopeOf("pub", "kim") != "" {
		t.Fatal("banned user is a member")
	}
	var banned []chat.User
	mustOK(t, e.admin("GET", "/groups/pub/bannedusers", nil, "own")).data(t, &banned)
	if len(banned) != 1 || banned[0].UID != "kim" {
		t.Fatalf("banned list: %+v", banned)
	}
	wantCode(t, e.admin("POST", "/groups/pub/bannedusers/kim", nil, "own"), chat.ErrAlreadyBanned)
	mustOK(t, e.admin("DELETE", "/groups/pub/bannedusers/kim", nil, "own"))
	wantCode(t, e.admin("DELETE", "/groups/pub/bannedusers/kim", nil, "own"), chat.ErrNotBanned)
	mustOK(t, join())

	// Leaving: members may, the owner must transfer first.
	mustOK(t, e.as(tok, "DELETE", "/groups/pub/members", nil))
	if e.scopeOf("pub", "kim") != "" {
		t.Fatal("still a member after leaving")
	}
	wantCode(t, e.as(tok, "DELETE", "/groups/pub/members", nil), chat.ErrNotAMember)
	wantCode(t, e.admin("DELETE", "/groups/pub/members", nil, "own"), chat.ErrGroupNoClearance)
}

func TestAddMembersAndList(t *testing.T) {
	e := newEnv(t)
	e.user("own")
	for i := range 26 {
		e.user(fmt.Sprintf("u%02d", i))
	}
	e.group("big", "own", chat.GroupPrivate, "")
	var all []string
	for i := range 26 {
		all = append(all, fmt.Sprintf("u%02d", i))
	}
	wantCode(t, e.admin("POST", "/groups/big/members", map[string]any{"participants": all}), chat.ErrBadRequest)
	if e.scopeOf("big", "u00") != "" {
		t.Fatal("a member was added by a rejected call")
	}

	var out map[string]map[string]struct {
		Success bool        `json:"success"`
		Error   *chat.Error `json:"error"`
	}
	mustOK(t, e.admin("POST", "/groups/big/members", map[string]any{
		"participants": []string{"u00", "u01", "ghost", "u02"}, "moderators": []string{"u02"}, "admins": []string{"u03"},
	}, "own")).data(t, &out)
	if !out["participants"]["u00"].Success || out["participants"]["ghost"].Success ||
		out["participants"]["ghost"].Error.Code != chat.ErrUIDNotFound || !out["moderators"]["u02"].Success {
		t.Fatalf("results: %+v", out)
	}
	mustOK(t, e.admin("POST", "/groups/big/members", map[string]any{"participants": []string{"u00", "u04"}})).data(t, &out)
	if out["participants"]["u00"].Error.Code != chat.ErrAlreadyJoined || !out["participants"]["u04"].Success {
		t.Fatalf("second add: %+v", out)
	}
	e.pub.setOnline("u01", true)

	var ms []chat.GroupMember
	r := mustOK(t, e.admin("GET", "/groups/big/members?scopes=admin,moderator", nil))
	r.data(t, &ms)
	if len(ms) != 3 || r.meta(t).Pagination.Total != 3 { // own, u03, u02
		t.Fatalf("admins+moderators: %s", r.Body)
	}
	mustOK(t, e.admin("GET", "/groups/big/members?status=online", nil)).data(t, &ms)
	if len(ms) != 1 || ms[0].UID != "u01" || ms[0].Status != chat.StatusOnline {
		t.Fatalf("online members: %+v", ms)
	}
	wantCode(t, e.admin("GET", "/groups/big/members?scopes=boss", nil), chat.ErrBadRequest)
	wantCode(t, e.admin("GET", "/groups/nope/members", nil), chat.ErrGUIDNotFound)

	var m chat.GroupMember
	mustOK(t, e.admin("PUT", "/groups/big/members/u00", map[string]any{"scope": "moderator"}, "own")).data(t, &m)
	if m.Scope != chat.ScopeModerator || e.scopeOf("big", "u00") != chat.ScopeModerator {
		t.Fatalf("scope change: %+v", m)
	}
	wantCode(t, e.admin("PUT", "/groups/big/members/u00", map[string]any{"scope": "moderator"}, "own"), chat.ErrSameScope)
	wantCode(t, e.admin("PUT", "/groups/big/members/u00", map[string]any{"scope": "king"}, "own"), chat.ErrBadRequest)
	wantCode(t, e.admin("PUT", "/groups/big/members/u10", map[string]any{"scope": "admin"}, "own"), chat.ErrNotAMember)
	wantCode(t, e.admin("DELETE", "/groups/big/members/u10", nil, "own"), chat.ErrNotAMember)
	wantCode(t, e.admin("POST", "/groups/big/members", map[string]any{}), chat.ErrBadRequest)
	if e.scopeOf("big", "u00") != chat.ScopeModerator {
		t.Fatal("scope changed by a rejected call")
	}
}
