package chat

// GroupAction is something a member may try to do to a group or to another
// member of it.
type GroupAction string

const (
	ActChangeScope   GroupAction = "changeScope"
	ActKick          GroupAction = "kick"
	ActBan           GroupAction = "ban"
	ActUnban         GroupAction = "unban"
	ActAddMembers    GroupAction = "addMembers"
	ActUpdateGroup   GroupAction = "updateGroup"
	ActDeleteGroup   GroupAction = "deleteGroup"
	ActTransferOwner GroupAction = "transferOwner"
)

// GroupActions lists every action, for tables and menus.
var GroupActions = []GroupAction{
	ActChangeScope, ActKick, ActBan, ActUnban, ActAddMembers,
	ActUpdateGroup, ActDeleteGroup, ActTransferOwner,
}

// targeted reports whether the action acts on another member.
func (a GroupAction) targeted() bool {
	switch a {
	case ActChangeScope, ActKick, ActBan, ActUnban, ActTransferOwner:
		return true
	}
	return false
}

// Actor is the member attempting an action.
type Actor struct {
	UID     string
	Scope   Scope
	IsOwner bool
}

// Target is the member acted upon. For unban it is the banned user's scope
// at the time of the ban (participant if unknown); for transferOwner the new
// owner's current scope.
type Target struct {
	UID     string
	Scope   Scope
	IsOwner bool
}

// Authorize decides whether actor may perform action on target (nil for
// group-wide actions). It returns nil or an *Error with CometChat's code.
//
//   - admin: every action, on anyone but the owner;
//   - moderator: change scope, kick and ban participants (never raising
//     anyone to admin), unban, and update the group;
//   - participant: nothing beyond sending and receiving;
//   - only the owner transfers ownership, and nobody acts on the owner.
//
// newScope is the requested scope for ActChangeScope and ignored otherwise.
func Authorize(actor Actor, action GroupAction, target *Target, newScope Scope) error {
	if !actor.Scope.Valid() {
		return &Error{Code: ErrNotAMember, Message: "You are not a member of this group."}
	}
	if action.targeted() {
		if target == nil {
			return FieldError("uid", "A member to act on is required.")
		}
		if target.UID == actor.UID && action != ActUnban {
			return &Error{Code: ErrGroupNoClearance, Message: "You cannot " + actionWords(action) + " yourself."}
		}
		if target.IsOwner {
			return &Error{Code: ErrGroupNoClearance, Message: "Nobody may " + actionWords(action) + " the group owner."}
		}
	}
	if action == ActChangeScope {
		if !newScope.Valid() {
			return FieldError("scope", "The scope must be admin, moderator or participant.")
		}
		if target.Scope == newScope {
			return &Error{Code: ErrSameScope, Message: "The member already has the scope " + string(newScope) + "."}
		}
	}
	if action == ActTransferOwner {
		if actor.IsOwner {
			return nil
		}
		return noClearance(action)
	}
	switch actor.Scope {
	case ScopeAdmin:
		return nil
	case ScopeModerator:
		switch action {
		case ActUpdateGroup, ActUnban:
			return nil
		case ActKick, ActBan:
			if target.Scope == ScopeParticipant {
				return nil
			}
		case ActChangeScope:
			if target.Scope == ScopeParticipant && newScope != ScopeAdmin {
				return nil
			}
		}
	}
	return noClearance(action)
}

func noClearance(a GroupAction) *Error {
	return &Error{Code: ErrGroupNoClearance, Message: "Your scope does not allow you to " + actionWords(a) + "."}
}

func actionWords(a GroupAction) string {
	switch a {
	case ActChangeScope:
		return "change the scope of this member"
	case ActKick:
		return "kick this member"
	case ActBan:
		return "ban this member"
	case ActUnban:
		return "unban this user"
	case ActAddMembers:
		return "add members"
	case ActUpdateGroup:
		return "update this group"
	case ActDeleteGroup:
		return "delete this group"
	case ActTransferOwner:
		return "transfer ownership"
	}
	return string(a)
}

// Allowed is Authorize as a yes/no, for UIs that offer only permitted
// actions.
func Allowed(actor Actor, action GroupAction, target *Target) bool {
	newScope := ScopeModerator
	if target != nil && target.Scope == ScopeModerator {
		newScope = ScopeParticipant
	}
	return Authorize(actor, action, target, newScope) == nil
}

// JoinRequest is everything the join rule needs to know.
type JoinRequest struct {
	Type            GroupType
	Password        string // what the user typed
	PasswordMatches bool   // whether it matches the stored hash
	AlreadyMember   bool
	Banned          bool
}

// CheckJoin applies CometChat's join rules: public groups are open,
// password groups need the right password, private groups take members only
// by being added, banned users stay out until unbanned. Kicked users are
// ordinary non-members and may rejoin.
func CheckJoin(r JoinRequest) error {
	switch {
	case r.Banned:
		return &Error{Code: ErrBannedGroupMember, Message: "You are banned from this group."}
	case r.AlreadyMember:
		return &Error{Code: ErrAlreadyJoined, Message: "You are already a member of this group."}
	}
	switch r.Type {
	case GroupPublic:
		return nil
	case GroupPassword:
		if r.Password == "" {
			return &Error{Code: ErrEmptyGroupPass, Message: "This group needs a password to join."}
		}
		if !r.PasswordMatches {
			return &Error{Code: ErrWrongGroupPass, Message: "The group password is wrong."}
		}
		return nil
	case GroupPrivate:
		return &Error{Code: ErrGroupJoinNotAllowed, Message: "Private groups cannot be joined; a member must add you."}
	}
	return FieldError("type", "Unknown group type %q.", r.Type)
}

// HighestScope returns the higher of two scopes ("highest scope wins" when a
// uid is listed under several scopes in one add-members call).
func HighestScope(a, b Scope) Scope {
	if b.rank() > a.rank() {
		return b
	}
	return a
}
