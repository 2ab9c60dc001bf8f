package server

import (
	"cometterm/chat"
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
		// Member tells a missing group (ERR_GUID_NOT_FOUND) from a
		// non-member, so the group needs no read of its own.
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
