package server

import (
	"cometterm/chat"
	"cometterm/chat/wire"
)

// Reaction list page sizes (the SDK's default and maximum).
const (
	defaultReactionLimit = 10
	maxReactionLimit     = 100
)

func (s *Server) listReactions(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	reaction := c.r.PathValue("reaction")
	if reaction == "" {
		reaction = c.q.get("reaction")
	}
	limit := c.q.int(defaultReactionLimit, 1, maxReactionLimit, "limit", "per_page", "perPage")
	after := chat.ID(c.q.int64("id"))
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if reaction != "" {
		if err := chat.ValidateReaction(reaction); err != nil {
			return reply{}, err
		}
	}
	if _, err := s.store.Message(c.ctx, id, c.who.uid); err != nil {
		return reply{}, err
	}
	rs, err := s.store.ListReactions(c.ctx, id, reaction, after, limit)
	if err != nil {
		return reply{}, err
	}
	rs = nonNil(rs)
	meta := &wire.Meta{Current: &wire.Current{Limit: limit, Count: len(rs)}}
	if len(rs) > 0 {
		meta.Next = &wire.Cursor{Affix: wire.AffixAppend, ID: rs[len(rs)-1].ID}
	}
	return reply{data: rs, meta: meta}, nil
}

// react adds or removes the caller's reaction and fans it out under the
// message lock, so that reaction frames follow commit order too.
func (s *Server) react(c *call, add bool) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	reaction := c.r.PathValue("reaction")
	if err := chat.ValidateReaction(reaction); err != nil {
		return reply{}, err
	}
	target, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	if target.IsAction() || target.IsDeleted() {
		return reply{}, chat.Errorf(chat.ErrMessageActionNotAllowed, "This message cannot take reactions.")
	}
	var r chat.Reaction
	var m chat.Message
	s.commits.do(func() {
		if add {
			r, m, err = s.store.AddReaction(c.ctx, id, c.who.uid, reaction, c.at())
		} else {
			r, m, err = s.store.RemoveReaction(c.ctx, id, c.who.uid, reaction)
		}
		if err == nil {
			s.pub.PublishReaction(r, m, add, c.device)
		}
	})
	if err != nil {
		return reply{}, err
	}
	return ok(m), nil
}

func (s *Server) addReaction(c *call) (reply, error)    { return s.react(c, true) }
func (s *Server) removeReaction(c *call) (reply, error) { return s.react(c, false) }
