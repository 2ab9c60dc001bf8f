package server

import (
	"cometterm/chat"
)

// Conversation pages: the SDK asks for at most 50.
const defaultConversationPage = 30

func (s *Server) listConversations(c *call) (reply, error) {
	q := chat.ConversationQuery{
		Page: chat.Page{
			PerPage: c.q.int(defaultConversationPage, 1, maxPerPage, "perPage", "per_page", "limit"),
			Page:    c.q.int(1, 1, 1<<30, "page"),
		},
		Unread:    c.q.bool("unread"),
		SearchKey: c.q.get("searchKey"),
		Tags:      c.q.list("tags"),
	}
	typ := c.q.get("conversationType")
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if typ != "" {
		rt, ok := chat.ParseReceiverType(typ)
		if !ok {
			return reply{}, chat.FieldError("conversationType", "The conversationType must be user or group.")
		}
		q.Type = rt
	}
	cs, total, err := s.store.ListConversations(c.ctx, c.who.uid, q)
	if err != nil {
		return reply{}, err
	}
	for i := range cs {
		s.conversationStatus(&cs[i])
	}
	return reply{data: nonNil(cs), meta: pageMeta(q.Page, total, len(cs))}, nil
}

func (s *Server) conversationStatus(cv *chat.Conversation) {
	if cv.WithUser != nil {
		u := s.withStatus(*cv.WithUser)
		cv.WithUser = &u
	}
}

// conversationOf resolves the conversation a route names: {uid}, {guid}
// or {conversationId}, as seen by the caller, checking that the peer or
// group exists and that the caller belongs to it.
func (s *Server) conversationOf(c *call) (string, error) {
	me := c.who.uid
	switch {
	case c.r.PathValue("uid") != "":
		uid, err := c.id("uid")
		if err != nil {
			return "", err
		}
		if _, err := s.store.User(c.ctx, uid, true); err != nil {
			return "", err
		}
		return chat.UserConversationID(me, uid), nil
	case c.r.PathValue("guid") != "":
		guid, err := c.id("guid")
		if err != nil {
			return "", err
		}
		if _, err := s.store.Group(c.ctx, guid, ""); err != nil {
			return "", err
		}
		if _, err := s.store.Member(c.ctx, guid, me); err != nil {
			return "", err
		}
		return chat.GroupConversationID(guid), nil
	}
	id := c.r.PathValue("conversationId")
	if _, _, ok := chat.SplitConversationID(id, me); !ok {
		return "", chat.Errorf(chat.ErrConversationNotAccess, "The conversation %q is not one of yours.", clip(id))
	}
	return id, nil
}

// clip shortens echoed input.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func (s *Server) getConversation(c *call) (reply, error) {
	id, err := s.conversationOf(c)
	if err != nil {
		return reply{}, err
	}
	cv, err := s.store.Conversation(c.ctx, c.who.uid, id)
	if err != nil {
		return reply{}, err
	}
	s.conversationStatus(&cv)
	return ok(cv), nil
}

// markTarget reads {messageId} and checks it is a message of the
// conversation. With latestIfMissing, a body without messageId means the
// latest message: the official SDK's markConversationAsRead and
// markConversationAsDelivered send an empty body.
func (s *Server) markTarget(c *call, latestIfMissing bool) (string, chat.ID, error) {
	var b struct {
		MessageID chat.ID `json:"messageId"`
	}
	if err := c.decode(&b); err != nil {
		return "", 0, err
	}
	if b.MessageID <= 0 && !latestIfMissing {
		return "", 0, chat.FieldError("messageId", "The messageId field is required.")
	}
	conv, err := s.conversationOf(c)
	if err != nil {
		return "", 0, err
	}
	if b.MessageID <= 0 {
		cv, err := s.store.Conversation(c.ctx, c.who.uid, conv)
		if err != nil {
			return "", 0, err
		}
		return conv, cv.LatestMessageID, nil
	}
	m, err := s.store.Message(c.ctx, b.MessageID, c.who.uid)
	if err != nil {
		return "", 0, err
	}
	if m.ConversationID != conv {
		return "", 0, chat.FieldError("messageId", "The message is not part of this conversation.")
	}
	return conv, b.MessageID, nil
}

func (s *Server) markDelivered(c *call) (reply, error) {
	conv, id, err := s.markTarget(c, true)
	if err != nil {
		return reply{}, err
	}
	if err := s.store.MarkDelivered(c.ctx, c.who.uid, conv, id, c.at()); err != nil {
		return reply{}, err
	}
	return success("Marked as delivered."), nil
}

func (s *Server) markRead(c *call) (reply, error) {
	conv, id, err := s.markTarget(c, true)
	if err != nil {
		return reply{}, err
	}
	if err := s.store.MarkRead(c.ctx, c.who.uid, conv, id, c.at()); err != nil {
		return reply{}, err
	}
	return success("Marked as read."), nil
}

func (s *Server) markUnread(c *call) (reply, error) {
	conv, id, err := s.markTarget(c, false)
	if err != nil {
		return reply{}, err
	}
	if err := s.store.MarkUnread(c.ctx, c.who.uid, conv, id); err != nil {
		return reply{}, err
	}
	return success("Marked as unread."), nil
}
