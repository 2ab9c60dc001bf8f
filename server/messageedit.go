package server

import (
	"cometterm/chat"
)

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
