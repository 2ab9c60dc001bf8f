package server

import (
	"cometterm/chat"
	"cometterm/chat/wire"
)

// sendBody is a message as clients send it. The SDK repeats data.text at
// the top level as text.
type sendBody struct {
	Receiver     string   `json:"receiver"`
	ReceiverType string   `json:"receiverType"`
	Category     string   `json:"category"`
	Type         string   `json:"type"`
	Data         sendData `json:"data"`
	Text         string   `json:"text"`
	Tags         []string `json:"tags"`
	MUID         string   `json:"muid"`
	ParentID     chat.ID  `json:"parentId"`
}

// sendData is the part of data a client may set; entities, mentions and
// reactions are the server's.
type sendData struct {
	Text        string            `json:"text"`
	Metadata    map[string]any    `json:"metadata"`
	Attachments []chat.Attachment `json:"attachments"`
	CustomData  map[string]any    `json:"customData"`
}

// maxMUID bounds the client's message id.
const maxMUID = 255

func (s *Server) sendMessage(c *call) (reply, error) {
	var b sendBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	var parent *chat.Message
	if b.ParentID != 0 {
		p, err := s.threadParent(c, b.ParentID)
		if err != nil {
			return reply{}, err
		}
		parent = &p
	}
	return s.send(c, b, parent)
}

func (s *Server) sendThreadMessage(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	var b sendBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	p, err := s.threadParent(c, id)
	if err != nil {
		return reply{}, err
	}
	return s.send(c, b, &p)
}

// threadParent is the message a reply goes under: visible to the sender
// and not itself a reply.
func (s *Server) threadParent(c *call, id chat.ID) (chat.Message, error) {
	if id <= 0 {
		return chat.Message{}, chat.FieldError("parentId", "The parentId must be a message id.")
	}
	p, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return chat.Message{}, err
	}
	if p.ParentID != 0 {
		return chat.Message{}, chat.Errorf(chat.ErrMessageThreadNesting, "Replies cannot have replies.")
	}
	if p.IsAction() {
		return chat.Message{}, chat.Errorf(chat.ErrMessageActionNotAllowed, "Action messages cannot have replies.")
	}
	return p, nil
}

func (s *Server) send(c *call, b sendBody, parent *chat.Message) (reply, error) {
	m, err := s.buildMessage(c, b, parent)
	if err != nil {
		return reply{}, err
	}
	if err := s.checkReceiver(c, m); err != nil {
		return reply{}, err
	}
	stored, err := s.commit(c, nil, func() (chat.Message, error) {
		return s.store.InsertMessage(c.ctx, m)
	})
	if err != nil {
		return reply{}, err
	}
	return ok(stored), nil
}

// buildMessage validates the body into a message from the caller.
func (s *Server) buildMessage(c *call, b sendBody, parent *chat.Message) (chat.Message, error) {
	cat := chat.Category(b.Category)
	if cat == "" {
		cat = chat.CategoryMessage
	}
	typ := b.Type
	if typ == "" && cat == chat.CategoryMessage {
		typ = chat.TypeText
	}
	d := chat.MessageData{
		Text: b.Data.Text, Metadata: b.Data.Metadata,
		Attachments: b.Data.Attachments, CustomData: b.Data.CustomData,
	}
	if d.Text == "" {
		d.Text = b.Text
	}
	if err := chat.ValidateMessageData(cat, typ, d); err != nil {
		return chat.Message{}, err
	}
	if len(typ) > chat.MaxIDLen {
		return chat.Message{}, chat.FieldError("type", "The type may not be greater than %d characters.", chat.MaxIDLen)
	}
	if err := chat.ValidateTags(b.Tags); err != nil {
		return chat.Message{}, err
	}
	if len(b.MUID) > maxMUID {
		return chat.Message{}, chat.FieldError("muid", "The muid may not be greater than %d characters.", maxMUID)
	}
	m := chat.Message{
		MUID: b.MUID, Sender: c.who.uid, Category: cat, Type: typ, Data: d,
		SentAt: c.at(), Tags: b.Tags,
	}
	if parent != nil {
		m.ParentID = parent.ID
		m.ReceiverType = parent.ReceiverType
		m.Receiver = parent.Receiver
		if parent.ReceiverType == chat.ReceiverUser && parent.Receiver == c.who.uid {
			m.Receiver = parent.Sender
		}
		if b.Receiver != "" {
			if r, err := chat.NormalizeID("receiver", b.Receiver); err != nil || r != m.Receiver {
				return chat.Message{}, chat.FieldError("receiver", "A reply goes to the conversation of its parent message.")
			}
		}
	} else {
		rt, ok := chat.ParseReceiverType(b.ReceiverType)
		if !ok {
			return chat.Message{}, chat.Errorf(chat.ErrInvalidReceiverType, "The receiverType must be user or group.")
		}
		r, err := chat.NormalizeID("receiver", b.Receiver)
		if err != nil {
			return chat.Message{}, err
		}
		m.Receiver, m.ReceiverType = r, rt
	}
	m.ConversationID = chat.ConversationIDFor(m.Sender, m.Receiver, m.ReceiverType)
	return m, nil
}

// checkReceiver applies who may send to whom: no messages across a block,
// group messages from members only.
func (s *Server) checkReceiver(c *call, m chat.Message) error {
	if m.ReceiverType == chat.ReceiverGroup {
		if _, err := s.store.Group(c.ctx, m.Receiver, ""); err != nil {
			return err
		}
		_, err := s.store.Member(c.ctx, m.Receiver, m.Sender)
		return err
	}
	if _, err := s.store.User(c.ctx, m.Receiver, false); err != nil {
		return err
	}
	blocked, err := s.store.Blocked(c.ctx, m.Sender, m.Receiver)
	if err != nil {
		return err
	}
	if blocked {
		return chat.Errorf(chat.ErrBlockedReceiver, "Messages between you and %s are blocked.", m.Receiver)
	}
	return nil
}

// messageID reads the {id} path parameter.
func messageID(c *call) (chat.ID, error) {
	id, err := chat.ParseID(c.r.PathValue("id"))
	if err != nil {
		return 0, chat.FieldError("id", "The message id must be a positive whole number.")
	}
	return id, nil
}

func (s *Server) getMessage(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	m, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	return ok(m), nil
}

// editBody is the edit call's body; text may also come at the top level.
type editBody struct {
	Data struct {
		Text     *string        `json:"text"`
		Metadata map[string]any `json:"metadata"`
	} `json:"data"`
	Text *string   `json:"text"`
	Tags *[]string `json:"tags"`
}

func (s *Server) editMessage(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	var b editBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	m, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	if m.Sender != c.who.uid {
		return reply{}, chat.Errorf(chat.ErrMessageNotASender, "Only the sender may edit a message.")
	}
	if m.IsAction() || m.IsDeleted() || m.Category == chat.CategoryCall {
		return reply{}, chat.Errorf(chat.ErrMessageActionNotAllowed, "This message cannot be edited.")
	}
	d := chat.MessageData{
		Text: m.Data.Text, Metadata: m.Data.Metadata,
		Attachments: m.Data.Attachments, CustomData: m.Data.CustomData,
	}
	switch {
	case b.Data.Text != nil:
		d.Text = *b.Data.Text
	case b.Text != nil:
		d.Text = *b.Text
	}
	if b.Data.Metadata != nil {
		d.Metadata = b.Data.Metadata
	}
	if err := chat.ValidateMessageData(m.Category, m.Type, d); err != nil {
		return reply{}, err
	}
	tags := m.Tags
	if b.Tags != nil {
		if err := chat.ValidateTags(*b.Tags); err != nil {
			return reply{}, err
		}
		tags = *b.Tags
	}
	action, err := s.commit(c, nil, func() (chat.Message, error) {
		_, action, err := s.store.EditMessage(c.ctx, id, d, tags, c.who.uid, c.at())
		return action, err
	})
	if err != nil {
		return reply{}, err
	}
	return ok(action), nil
}

func (s *Server) deleteMessage(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	// Deletes are soft: the message stays as a tombstone so that every
	// client can show "deleted"; permanent is read and not acted on.
	var b struct {
		Permanent bool `json:"permanent"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	m, err := s.store.Message(c.ctx, id, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	if err := s.mayDelete(c, m); err != nil {
		return reply{}, err
	}
	action, err := s.commit(c, nil, func() (chat.Message, error) {
		_, action, err := s.store.DeleteMessage(c.ctx, id, c.who.sender(), c.at())
		return action, err
	})
	if err != nil {
		return reply{}, err
	}
	return ok(action), nil
}

// mayDelete: the sender, a group's admins and moderators, or the system.
func (s *Server) mayDelete(c *call, m chat.Message) error {
	if m.IsAction() || m.IsDeleted() {
		return chat.Errorf(chat.ErrMessageActionNotAllowed, "This message cannot be deleted.")
	}
	if c.who.uid == "" || m.Sender == c.who.uid {
		return nil
	}
	if m.ReceiverType != chat.ReceiverGroup {
		return chat.Errorf(chat.ErrMessageNotASender, "Only the sender may delete this message.")
	}
	mem, err := s.store.Member(c.ctx, m.Receiver, c.who.uid)
	if err == nil && (mem.Scope == chat.ScopeAdmin || mem.Scope == chat.ScopeModerator) {
		return nil
	}
	if err != nil && !chat.HasCode(err, chat.ErrNotAMember) {
		return err
	}
	return chat.Errorf(chat.ErrMessageActionNotAllowed, "Only the sender, admins and moderators may delete this message.")
}

func (s *Server) messageReceipts(c *call) (reply, error) {
	id, err := messageID(c)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.Message(c.ctx, id, c.who.uid); err != nil {
		return reply{}, err
	}
	rs, err := s.store.MessageReceipts(c.ctx, id)
	if err != nil {
		return reply{}, err
	}
	for i := range rs {
		rs[i].User = s.withStatus(rs[i].User)
	}
	return ok(nonNil(rs)), nil
}

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
