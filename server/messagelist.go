package server

import (
	"cometterm/chat"
	"cometterm/chat/wire"
)

// messageQuery reads CometChat's message-list parameters.
func messageQuery(c *call) (chat.MessageQuery, error) {
	q := chat.MessageQuery{
		Asker:          c.who.uid,
		Affix:          c.q.get("affix"),
		ID:             chat.ID(c.q.int64("id")),
		SentAt:         c.q.int64("sentAt"),
		UpdatedAfter:   c.q.int64("updatedAt"),
		OnlyUpdates:    c.q.bool("onlyUpdates"),
		Limit:          c.q.int(defaultMessageLimit, 1, maxPerPage, "limit", "per_page", "perPage"),
		Types:          c.q.list("types", "type"),
		Tags:           c.q.list("tags"),
		SearchKey:      c.q.get("searchKey"),
		HideReplies:    c.q.bool("hideReplies"),
		HideDeleted:    c.q.bool("hideDeleted"),
		OnlyDeleted:    c.q.bool("onlyDeleted"),
		Unread:         c.q.bool("unread"),
		HasAttachments: c.q.bool("hasAttachments"),
		HasMentions:    c.q.bool("hasMentions"),
	}
	cats := c.q.list("categories", "category")
	sender := c.q.get("sender")
	if c.q.err != nil {
		return q, c.q.err
	}
	switch q.Affix {
	case "":
		q.Affix = wire.AffixPrepend
	case wire.AffixPrepend, wire.AffixAppend:
	default:
		return q, chat.FieldError("affix", "The affix must be append or prepend.")
	}
	for _, cat := range cats {
		switch chat.Category(cat) {
		case chat.CategoryMessage, chat.CategoryCustom, chat.CategoryAction, chat.CategoryCall:
			q.Categories = append(q.Categories, chat.Category(cat))
		default:
			return q, chat.FieldError("categories", "The category %q is not message, custom, action or call.", cat)
		}
	}
	if sender != "" {
		uid, err := chat.NormalizeID("sender", sender)
		if err != nil {
			return q, err
		}
		q.Sender = uid
	}
	return q, nil
}

// defaultMessageLimit is the SDK's page size for messages.
const defaultMessageLimit = 30

// listReply answers a cursor list in both dialects: meta.cursor and
// meta.pagination for the SDK, meta.current and meta.next for REST.
func listReply(q chat.MessageQuery, ms []chat.Message) reply {
	ms = nonNil(ms)
	meta := &wire.Meta{Current: &wire.Current{Limit: q.Limit, Count: len(ms)}}
	pages := 1
	if len(ms) >= q.Limit {
		pages = 2 // there may be more: the SDK asks again only if this is not 1
	}
	meta.Pagination = &wire.Pagination{Total: len(ms), Count: len(ms), PerPage: q.Limit, CurrentPage: 1, TotalPages: pages}
	if len(ms) > 0 {
		edge := ms[len(ms)-1]
		if q.Affix == wire.AffixPrepend {
			edge = ms[0]
		}
		cur := &wire.Cursor{Affix: q.Affix, ID: edge.ID, SentAt: edge.SentAt}
		meta.Cursor, meta.Next = cur, cur
	}
	return reply{data: ms, meta: meta}
}

func (s *Server) listMessages(c *call) (reply, error) {
	if wantsUnreadCounts(c) {
		return s.unreadCounts(c, "", "")
	}
	q, err := messageQuery(c)
	if err != nil {
		return reply{}, err
	}
	if id := c.q.get("conversationId"); id != "" {
		if len(id) > 2*chat.MaxIDLen+len("_user_") {
			return reply{}, chat.FieldError("conversationId", "The conversationId is too long.")
		}
		q.ConversationID = id
	}
	ms, err := s.store.ListMessages(c.ctx, q)
	if err != nil {
		return reply{}, err
	}
	return listReply(q, ms), nil
}

func (s *Server) listUserMessages(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	if wantsUnreadCounts(c) {
		return s.unreadCounts(c, chat.UserConversationID(c.who.uid, uid), chat.ReceiverUser)
	}
	q, err := messageQuery(c)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	q.ConversationID = chat.UserConversationID(c.who.uid, uid)
	ms, err := s.store.ListMessages(c.ctx, q)
	if err != nil {
		return reply{}, err
	}
	return listReply(q, ms), nil
}

func (s *Server) listGroupMessages(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	if wantsUnreadCounts(c) {
		return s.unreadCounts(c, chat.GroupConversationID(guid), chat.ReceiverGroup)
	}
	q, err := messageQuery(c)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.Group(c.ctx, guid, ""); err != nil {
		return reply{}, err
	}
	if c.who.uid != "" {
		if _, err := s.store.Member(c.ctx, guid, c.who.uid); err != nil {
			if chat.HasCode(err, chat.ErrNotAMember) {
				return reply{}, chat.Errorf(chat.ErrGroupNotJoined, "Join the group %s to read its messages.", guid)
			}
			return reply{}, err
		}
	}
	q.ConversationID = chat.GroupConversationID(guid)
	ms, err := s.store.ListMessages(c.ctx, q)
	if err != nil {
		return reply{}, err
	}
	return listReply(q, ms), nil
}

func (s *Server) listThread(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	q, err := messageQuery(c)
	if err != nil {
		return reply{}, err
	}
	p, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	q.ParentID, q.ConversationID, q.HideReplies = p.ID, p.ConversationID, false
	ms, err := s.store.ListMessages(c.ctx, q)
	if err != nil {
		return reply{}, err
	}
	return listReply(q, ms), nil
}
