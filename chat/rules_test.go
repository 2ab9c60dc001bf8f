package chat

import "testing"

// TestAuthorizeTable walks every actor scope × every action × every target
// scope (plus owner targets and owner actors) and checks the outcome
// against the rules written out independently here.
func TestAuthorizeTable(t *testing.T) {
	scopes := []Scope{ScopeAdmin, ScopeModerator, ScopeParticipant}
	type who struct {
		scope Scope
		owner bool
	}
	var actors, targets []who
	for _, s := range scopes {
		actors = append(actors, who{s, false})
		targets = append(targets, who{s, false})
	}
	actors = append(actors, who{ScopeAdmin, true})
	targets = append(targets, who{ScopeAdmin, true})

	expect := func(a who, act GroupAction, tg *who) string {
		if act.targeted() && tg.owner {
			return ErrGroupNoClearance // nobody acts on the owner
		}
		if act == ActTransferOwner {
			if a.owner {
				return ""
			}
			return ErrGroupNoClearance
		}
		switch a.scope {
		case ScopeAdmin:
			return ""
		case ScopeModerator:
			switch act {
			case ActUpdateGroup, ActUnban:
				return ""
			case ActKick, ActBan, ActChangeScope:
				if tg.scope == ScopeParticipant {
					return ""
				}
			}
		}
		return ErrGroupNoClearance
	}

	for _, a := range actors {
		for _, act := range GroupActions {
			tgs := targets
			if !act.targeted() {
				tgs = []who{{}}
			}
			for _, tg := range tgs {
				actor := Actor{UID: "actor", Scope: a.scope, IsOwner: a.owner}
				var target *Target
				if act.targeted() {
					target = &Target{UID: "target", Scope: tg.scope, IsOwner: tg.owner}
				}
				// A scope change to a scope the target does not have, and
				// never to admin (a moderator may not make admins).
				newScope := ScopeModerator
				if tg.scope == ScopeModerator {
					newScope = ScopeParticipant
				}
				got := CodeOf(Authorize(actor, act, target, newScope))
				want := expect(a, act, &tg)
				if got != want {
					t.Errorf("%s(owner=%v) %s on %s(owner=%v): got %q, want %q",
						a.scope, a.owner, act, tg.scope, tg.owner, got, want)
				}
			}
		}
	}
}

func TestAuthorizeEdges(t *testing.T) {
	admin := Actor{UID: "a", Scope: ScopeAdmin}
	mod := Actor{UID: "m", Scope: ScopeModerator}
	part := &Target{UID: "p", Scope: ScopeParticipant}
	cases := []struct {
		name   string
		actor  Actor
		act    GroupAction
		target *Target
		scope  Scope
		want   string
	}{
		{"moderator may not make admins", mod, ActChangeScope, part, ScopeAdmin, ErrGroupNoClearance},
		{"same scope", admin, ActChangeScope, part, ScopeParticipant, ErrSameScope},
		{"bad scope", admin, ActChangeScope, part, "boss", ErrBadRequest},
		{"acting on yourself", admin, ActKick, &Target{UID: "a", Scope: ScopeAdmin}, "", ErrGroupNoClearance},
		{"non-member", Actor{UID: "x"}, ActUpdateGroup, nil, "", ErrNotAMember},
		{"missing target", admin, ActKick, nil, "", ErrBadRequest},
		{"admin kicks admin", admin, ActKick, &Target{UID: "b", Scope: ScopeAdmin}, "", ""},
	}
	for _, c := range cases {
		if got := CodeOf(Authorize(c.actor, c.act, c.target, c.scope)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCheckJoin(t *testing.T) {
	types := []GroupType{GroupPublic, GroupPassword, GroupPrivate}
	type attempt struct {
		name     string
		password string
		matches  bool
	}
	attempts := []attempt{{"right", "secret", true}, {"wrong", "guess", false}, {"empty", "", false}}
	want := map[GroupType]map[string]string{
		GroupPublic:   {"right": "", "wrong": "", "empty": ""},
		GroupPassword: {"right": "", "wrong": ErrWrongGroupPass, "empty": ErrEmptyGroupPass},
		GroupPrivate:  {"right": ErrGroupJoinNotAllowed, "wrong": ErrGroupJoinNotAllowed, "empty": ErrGroupJoinNotAllowed},
	}
	for _, gt := range types {
		for _, a := range attempts {
			got := CodeOf(CheckJoin(JoinRequest{Type: gt, Password: a.password, PasswordMatches: a.matches}))
			if got != want[gt][a.name] {
				t.Errorf("%s group, %s password: got %q, want %q", gt, a.name, got, want[gt][a.name])
			}
		}
		// Banned users stay out whatever the type; members cannot join twice.
		if got := CodeOf(CheckJoin(JoinRequest{Type: gt, Banned: true, Password: "secret", PasswordMatches: true})); got != ErrBannedGroupMember {
			t.Errorf("%s banned: %q", gt, got)
		}
		if got := CodeOf(CheckJoin(JoinRequest{Type: gt, AlreadyMember: true})); got != ErrAlreadyJoined {
			t.Errorf("%s member: %q", gt, got)
		}
	}
	// A kicked user is an ordinary non-member: nothing in the request marks
	// them, so a public group lets them back in.
	if err := CheckJoin(JoinRequest{Type: GroupPublic}); err != nil {
		t.Errorf("kicked user rejoining a public group: %v", err)
	}
}

func TestAllowedMatchesAuthorize(t *testing.T) {
	mod := Actor{UID: "m", Scope: ScopeModerator}
	if !Allowed(mod, ActKick, &Target{UID: "p", Scope: ScopeParticipant}) {
		t.Error("moderator should be offered kick on a participant")
	}
	if Allowed(mod, ActKick, &Target{UID: "x", Scope: ScopeModerator}) {
		t.Error("moderator should not be offered kick on a moderator")
	}
	if Allowed(Actor{UID: "p", Scope: ScopeParticipant}, ActAddMembers, nil) {
		t.Error("participant should not be offered add members")
	}
}

func TestHighestScope(t *testing.T) {
	if HighestScope(ScopeParticipant, ScopeAdmin) != ScopeAdmin || HighestScope(ScopeModerator, ScopeParticipant) != ScopeModerator {
		t.Fatal("highest scope wrong")
	}
}
