package server

import (
	"golang.org/x/crypto/bcrypt"

	"cometterm/chat"
)

// memberLists is the add-members body (also "members" of create group).
type memberLists struct {
	Admins       []string `json:"admins"`
	Moderators   []string `json:"moderators"`
	Participants []string `json:"participants"`
	UsersToBan   []string `json:"usersToBan"`
}

func (l memberLists) empty() bool {
	return len(l.Admins)+len(l.Moderators)+len(l.Participants)+len(l.UsersToBan) == 0
}

// memberPlan is a validated add-members request: each uid once, with the
// highest scope it was listed under, in request order.
type memberPlan struct {
	order []string
	scope map[string]chat.Scope
	ban   []string
}

func (p memberPlan) all() []string { return append(append([]string(nil), p.order...), p.ban...) }

// listName is the result key for a scope.
func listName(s chat.Scope) string {
	switch s {
	case chat.ScopeAdmin:
		return "admins"
	case chat.ScopeModerator:
		return "moderators"
	}
	return "participants"
}

func (l memberLists) plan() (memberPlan, error) {
	total := len(l.Admins) + len(l.Moderators) + len(l.Participants) + len(l.UsersToBan)
	if total > chat.MaxMembersPerCall {
		return memberPlan{}, chat.FieldError("members", "At most %d uids may be given in one call.", chat.MaxMembersPerCall)
	}
	p := memberPlan{scope: map[string]chat.Scope{}}
	lists := []struct {
		field string
		uids  []string
		scope chat.Scope
	}{
		{"admins", l.Admins, chat.ScopeAdmin},
		{"moderators", l.Moderators, chat.ScopeModerator},
		{"participants", l.Participants, chat.ScopeParticipant},
	}
	for _, list := range lists {
		for _, raw := range list.uids {
			uid, err := chat.NormalizeID(list.field, raw)
			if err != nil {
				return memberPlan{}, err
			}
			old, seen := p.scope[uid]
			if !seen {
				p.order = append(p.order, uid)
			}
			p.scope[uid] = chat.HighestScope(old, list.scope)
		}
	}
	banned := map[string]bool{}
	for _, raw := range l.UsersToBan {
		uid, err := chat.NormalizeID("usersToBan", raw)
		if err != nil {
			return memberPlan{}, err
		}
		if !banned[uid] {
			banned[uid] = true
			p.ban = append(p.ban, uid)
		}
	}
	return p, nil
}

// commit runs one store change that yields a stored message and fans it
// out, under the lock that keeps fan-out in commit order.
func (s *Server) commit(c *call, alsoTo []string, change func() (chat.Message, error)) (chat.Message, error) {
	var m chat.Message
	var err error
	s.commits.do(func() {
		m, err = change()
		if err == nil {
			s.pub.PublishMessage(m, c.device, alsoTo...)
		}
	})
	if err != nil {
		return chat.Message{}, err
	}
	return m, nil
}

// applyMembers adds and bans per the plan, each uid on its own: one
// failure does not fail the others.
func (s *Server) applyMembers(c *call, guid, by string, a chat.Actor, p memberPlan) map[string]map[string]perUID {
	out := map[string]map[string]perUID{}
	put := func(list, uid string, r perUID) {
		if out[list] == nil {
			out[list] = map[string]perUID{}
		}
		out[list][uid] = r
	}
	for _, uid := range p.order {
		scope := p.scope[uid]
		m, err := s.commit(c, nil, func() (chat.Message, error) {
			if _, err := s.store.User(c.ctx, uid, false); err != nil {
				return chat.Message{}, err
			}
			_, m, err := s.store.AddMember(c.ctx, guid, uid, scope, by, c.at())
			return m, err
		})
		put(listName(scope), uid, s.perUIDResult(err, "Added as "+string(scope)+".", msgOrNil(m, err)))
	}
	for _, uid := range p.ban {
		err := s.ban(c, guid, uid, a)
		put("usersToBan", uid, s.perUIDResult(err, "Banned.", nil))
	}
	return out
}

func msgOrNil(m chat.Message, err error) any {
	if err != nil {
		return nil
	}
	return m
}

// addOrJoin serves POST /groups/{guid}/members, which is both "add
// members" (a body of scope lists) and, in the client API, "join" (a body
// that is a serialized Group with its password).
func (s *Server) addOrJoin(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	var b struct {
		memberLists
		Password string `json:"password"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if b.empty() {
		if c.who.uid == "" {
			return reply{}, chat.FieldError("participants", "Name at least one uid in admins, moderators, participants or usersToBan.")
		}
		return s.join(c, guid, b.Password)
	}
	plan, err := b.plan()
	if err != nil {
		return reply{}, err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if err := chat.Authorize(a, chat.ActAddMembers, nil, ""); err != nil {
		return reply{}, err
	}
	return ok(s.applyMembers(c, guid, c.who.sender(), a, plan)), nil
}

func (s *Server) join(c *call, guid, password string) (reply, error) {
	uid := c.who.uid
	// The system view: a private group must answer "not allowed", not
	// "not found".
	g, err := s.store.Group(c.ctx, guid, "")
	if err != nil {
		return reply{}, err
	}
	_, err = s.store.Member(c.ctx, guid, uid)
	member := err == nil
	if err != nil && !chat.HasCode(err, chat.ErrNotAMember) {
		return reply{}, err
	}
	banned, err := s.store.Banned(c.ctx, guid, uid)
	if err != nil {
		return reply{}, err
	}
	req := chat.JoinRequest{Type: g.Type, Password: password, AlreadyMember: member, Banned: banned}
	if g.Type == chat.GroupPassword && password != "" && len(password) <= chat.MaxPasswordLen*4 {
		hash, err := s.store.GroupPasswordHash(c.ctx, guid)
		if err != nil {
			return reply{}, err
		}
		req.PasswordMatches = bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	}
	if err := chat.CheckJoin(req); err != nil {
		return reply{}, err
	}
	m, err := s.commit(c, nil, func() (chat.Message, error) {
		_, m, err := s.store.AddMember(c.ctx, guid, uid, chat.ScopeParticipant, uid, c.at())
		return m, err
	})
	if err != nil {
		return reply{}, err
	}
	// The SDK takes the joined group from data.entities.for and needs the
	// joiner's view of it (scope, hasJoined).
	if mine, err := s.store.Group(c.ctx, guid, uid); err == nil {
		m.Data.Entities.For = chat.GroupEntity(mine)
	}
	return ok(m), nil
}

func (s *Server) leaveGroup(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if a.IsOwner {
		return reply{}, chat.Errorf(chat.ErrGroupNoClearance, "The owner must transfer ownership before leaving.")
	}
	uid := c.who.uid
	if _, err := s.commit(c, []string{uid}, func() (chat.Message, error) {
		return s.store.RemoveMember(c.ctx, guid, uid, chat.RemovalLeft, uid, c.at())
	}); err != nil {
		return reply{}, err
	}
	return success("You left the group " + guid + "."), nil
}

func (s *Server) listMembers(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	q := chat.MemberQuery{Page: c.q.page(), SearchKey: c.q.get("searchKey")}
	for _, sc := range c.q.list("scopes", "scope") {
		if !chat.Scope(sc).Valid() {
			return reply{}, chat.FieldError("scopes", "The scope %q is not admin, moderator or participant.", sc)
		}
		q.Scopes = append(q.Scopes, chat.Scope(sc))
	}
	status := c.q.get("status")
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	wantOnline, filter, err := presenceWanted(status)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.Group(c.ctx, guid, c.who.uid); err != nil {
		return reply{}, err
	}
	fetch := func(p chat.Page) ([]chat.GroupMember, int, error) {
		mq := q
		mq.Page = p
		ms, total, err := s.store.ListMembers(c.ctx, guid, mq)
		for i := range ms {
			ms[i].User = s.withStatus(ms[i].User)
		}
		return ms, total, err
	}
	ms, total, err := pagePresence(fetch, func(m chat.GroupMember) bool { return m.Online() }, filter, wantOnline, q.Page)
	if err != nil {
		return reply{}, err
	}
	return reply{data: nonNil(ms), meta: pageMeta(q.Page, total, len(ms))}, nil
}
