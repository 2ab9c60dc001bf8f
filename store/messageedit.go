package store

import (
	"context"
	"encoding/json"
	"fmt"

	"cometterm/chat"
)

// EditMessage replaces a message's text and metadata (and its tags when
// tags is not nil) and stores the "edited" action for it. Whether by may
// edit is the caller's decision.
func (d *DB) EditMessage(ctx context.Context, id chat.ID, data chat.MessageData, tags []string, by string, at int64) (chat.Message, chat.Message, error) {
	var edited, action chat.Message
	by = actorUID(by)
	err := d.tx(ctx, func(t querier) error {
		m, err := loadMessage(ctx, t, id, "")
		if err != nil {
			return err
		}
		if m.IsDeleted() || m.IsAction() {
			return chat.Errorf(chat.ErrMessageActionNotAllowed, "The message %d cannot be edited.", id)
		}
		m.Data.Text = data.Text
		m.Data.Metadata = data.Metadata
		m.Data.Mentions = nil
		if err := fillMentions(ctx, t, &m); err != nil {
			return err
		}
		if tags != nil {
			m.Tags = tags
		}
		m.EditedAt, m.EditedBy, m.UpdatedAt = at, by, at
		if err := saveChange(ctx, t, &m); err != nil {
			return err
		}
		edited = m
		action, err = messageAction(ctx, t, m, chat.ActionEdited, by, at)
		return err
	})
	return edited, action, err
}

// DeleteMessage marks a message deleted (the row and its data stay; the
// caller shows it as deleted) and stores the "deleted" action for it.
// Recipients who had not read it get their unread count back.
func (d *DB) DeleteMessage(ctx context.Context, id chat.ID, by string, at int64) (chat.Message, chat.Message, error) {
	var deleted, action chat.Message
	by = actorUID(by)
	err := d.tx(ctx, func(t querier) error {
		m, err := loadMessage(ctx, t, id, "")
		if err != nil {
			return err
		}
		if m.IsDeleted() {
			return chat.Errorf(chat.ErrMessageIDNotFound, "The message %d has already been deleted.", id)
		}
		m.DeletedAt, m.DeletedBy, m.UpdatedAt = at, by, at
		if err := saveChange(ctx, t, &m); err != nil {
			return err
		}
		if countsUnread(&m) {
			// Only stored counts need it: a group's later messages are
			// counted when asked (see bumpGroup).
			_, err := t.ExecContext(ctx, `
				UPDATE conversations SET unread = max(unread - 1, 0)
				WHERE conversation_id = ? AND uid <> ? AND read_upto < ? AND unread > 0
					AND ? <= `+countedUptoSQL,
				m.ConversationID, m.Sender, int64(m.ID), int64(m.ID), m.ConversationID)
			if err != nil {
				return fmt.Errorf("store: uncount deleted message %d: %w", id, err)
			}
		}
		deleted = m
		action, err = messageAction(ctx, t, m, chat.ActionDeleted, by, at)
		return err
	})
	return deleted, action, err
}

// saveChange writes back the mutable columns of an existing message.
func saveChange(ctx context.Context, t querier, m *chat.Message) error {
	stored := m.Data
	stored.Reactions = nil
	data, err := json.Marshal(stored)
	if err != nil {
		return chat.FieldError("data", "The data must be a JSON object.")
	}
	_, err = t.ExecContext(ctx, `
		UPDATE messages SET text = ?, data = ?, tags = ?, updated_at = ?, edited_at = ?, edited_by = ?,
			deleted_at = ?, deleted_by = ?, has_mentions = ?
		WHERE id = ?`,
		m.Data.Text, string(data), tagsText(m.Tags), m.UpdatedAt, m.EditedAt, m.EditedBy,
		m.DeletedAt, m.DeletedBy, boolInt(len(m.Data.Mentions) > 0), int64(m.ID))
	if err != nil {
		return fmt.Errorf("store: update message %d: %w", m.ID, err)
	}
	return nil
}

// messageAction stores the edited/deleted action about m in m's own
// conversation: by → on (the message as changed) → for (m's receiver).
func messageAction(ctx context.Context, t querier, m chat.Message, action, by string, at int64) (chat.Message, error) {
	actor, sender, err := actorUser(ctx, t, by)
	if err != nil {
		return chat.Message{}, err
	}
	on := m
	on.MyReceipt = nil
	a := chat.Message{
		Sender:       sender,
		Receiver:     m.Receiver,
		ReceiverType: m.ReceiverType,
		Category:     chat.CategoryAction,
		Type:         chat.TypeMessage,
		SentAt:       at,
		Data: chat.MessageData{
			Action: action,
			Entities: chat.Entities{
				By:  chat.UserEntity(actor),
				On:  chat.MessageEntity(on),
				For: m.Data.Entities.Receiver,
			},
		},
	}
	return insertMessage(ctx, t, a, m.ConversationID)
}

// actorUser resolves who did something: a user, or the system for REST
// calls made without onBehalfOf. It returns the entity and the sender uid.
func actorUser(ctx context.Context, q querier, by string) (chat.User, string, error) {
	if actorUID(by) == chat.SystemSender {
		return systemUser(), chat.SystemSender, nil
	}
	u, err := getUser(ctx, q, by, true)
	if err != nil {
		return chat.User{}, "", err
	}
	return u, by, nil
}

// actorUID names the system for an empty actor.
func actorUID(by string) string {
	if by == "" {
		return chat.SystemSender
	}
	return by
}
