package server

import (
	"cometterm/chat"
)

// memberTarget is uid as a member of g.
func (s *Server) memberTarget(c *call, g chat.Group, uid string) (*chat.Target, error) {
	m, err := s.store.Member(c.ctx, g.GUID, uid)
	if err != nil {
		return nil, err
	}
	return &chat.Target{UID: uid, Scope: m.Scope, IsOwner: g.Owner == uid}, nil
}

// memberAction reads {guid} and {uid} and authorizes the caller's action
// on that member.
func (s *Server) memberAction(c *call, act chat.GroupAction, newScope chat.Scope) (guid, uid string, err error) {
	if guid, err = c.id("guid"); err != nil {
		return "", "", err
	}
	if uid, err = c.id("uid"); err != nil {
		return "", "", err
	}
	a, g, err := s.groupActor(c, guid)
	if err != nil {
		return "", "", err
	}
	t, err := s.memberTarget(c, g, uid)
	if err != nil {
		return "", "", err
	}
	return guid, uid, chat.Authorize(a, act, t, newScope)
}

func (s *Server) changeScope(c *call) (reply, error) {
	var b struct {
		Scope string `json:"scope"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	scope := chat.Scope(b.Scope)
	if !scope.Valid() {
		return reply{}, chat.FieldError("scope", "The scope must be admin, moderator or participant.")
	}
	guid, uid, err := s.memberAction(c, chat.ActChangeScope, scope)
	if err != nil {
		return reply{}, err
	}
	var member chat.GroupMember
	if _, err := s.commit(c, nil, func() (chat.Message, error) {
		m, msg, err := s.store.ChangeScope(c.ctx, guid, uid, scope, c.who.sender(), c.at())
		member = m
		return msg, err
	}); err != nil {
		return reply{}, err
	}
	member.User = s.withStatus(member.User)
	return ok(member), nil
}

func (s *Server) kickMember(c *call) (reply, error) {
	guid, uid, err := s.memberAction(c, chat.ActKick, "")
	if err != nil {
		return reply{}, err
	}
	if _, err := s.commit(c, []string{uid}, func() (chat.Message, error) {
		return s.store.RemoveMember(c.ctx, guid, uid, chat.RemovalKicked, c.who.sender(), c.at())
	}); err != nil {
		return reply{}, err
	}
	return success(uid + " was kicked from " + guid + "."), nil
}

// ban bans uid from guid; a non-member may be banned too, ranking as a
// participant.
func (s *Server) ban(c *call, guid, uid string, a chat.Actor) error {
	g, err := s.store.Group(c.ctx, guid, "")
	if err != nil {
		return err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return err
	}
	t, err := s.memberTarget(c, g, uid)
	if chat.HasCode(err, chat.ErrNotAMember) {
		t, err = &chat.Target{UID: uid, Scope: chat.ScopeParticipant}, nil
	}
	if err != nil {
		return err
	}
	if err := chat.Authorize(a, chat.ActBan, t, ""); err != nil {
		return err
	}
	_, err = s.commit(c, []string{uid}, func() (chat.Message, error) {
		return s.store.RemoveMember(c.ctx, guid, uid, chat.RemovalBanned, a.UID, c.at())
	})
	return err
}

func (s *Server) banMember(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if err := s.ban(c, guid, uid, a); err != nil {
		return reply{}, err
	}
	return success(uid + " was banned from " + guid + "."), nil
}

func (s *Server) unbanMember(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	if err := chat.Authorize(a, chat.ActUnban, &chat.Target{UID: uid, Scope: chat.ScopeParticipant}, ""); err != nil {
		return reply{}, err
	}
	banned, err := s.store.Banned(c.ctx, guid, uid)
	if err != nil {
		return reply{}, err
	}
	if !banned {
		return reply{}, chat.Errorf(chat.ErrNotBanned, "%s is not banned from %s.", uid, guid)
	}
	if _, err := s.commit(c, []string{uid}, func() (chat.Message, error) {
		return s.store.Unban(c.ctx, guid, uid, c.who.sender(), c.at())
	}); err != nil {
		return reply{}, err
	}
	return success(uid + " was unbanned from " + guid + "."), nil
}

func (s *Server) listBanned(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	p := c.q.page()
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	// Whoever may unban may see who is banned.
	if err := chat.Authorize(a, chat.ActUnban, &chat.Target{Scope: chat.ScopeParticipant}, ""); err != nil {
		return reply{}, err
	}
	us, total, err := s.store.ListBanned(c.ctx, guid, p)
	if err != nil {
		return reply{}, err
	}
	return reply{data: s.withStatuses(nonNil(us)), meta: pageMeta(p, total, len(us))}, nil
}
