package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"cometterm/chat"
)

// Conversation rules, decided here because CometChat does not document
// them:
//   - a reply (ParentID != 0) stays inside its thread: it is neither the
//     conversation's last message nor unread in the main conversation;
//   - edited/deleted actions change an existing message, so they neither
//     bump the conversation nor count as unread (the conversation's last
//     message is read fresh and shows the change);
//   - group member actions (joined, kicked, …) become the last message but
//     are not unread: nobody needs a badge for "bob joined";
//   - a user's own messages are never unread for them.

// countsUnread reports whether m adds to its recipients' unread counts.
func countsUnread(m *chat.Message) bool {
	return m.ParentID == 0 && m.Category != chat.CategoryAction
}

// becomesLast reports whether m becomes its conversation's last message.
func becomesLast(m *chat.Message) bool {
	return m.ParentID == 0 && !(m.Category == chat.CategoryAction && m.Type == chat.TypeMessage)
}

// unreadSQL is the same rule as countsUnread for recounting, with the
// reader bound once.
const unreadSQL = `m.parent_id IS NULL AND m.category <> 'action' AND m.sender <> ?`

func systemUser() chat.User {
	return chat.User{UID: chat.SystemSender, Name: "System", Role: chat.DefaultRole, Status: chat.StatusOffline}
}

// InsertMessage stores a new message; see server.Store.
func (d *DB) InsertMessage(ctx context.Context, m chat.Message) (chat.Message, error) {
	var out chat.Message
	err := d.tx(ctx, func(t querier) error {
		var err error
		out, err = insertMessage(ctx, t, m, "")
		return err
	})
	return out, err
}

// insertMessage does InsertMessage's work inside t. conversationID, when
// set, overrides the id derived from sender and receiver (edit and delete
// actions by someone else than the author stay in the original
// conversation).
func insertMessage(ctx context.Context, t querier, m chat.Message, conversationID string) (chat.Message, error) {
	if err := checkNewMessage(&m); err != nil {
		return chat.Message{}, err
	}
	if m.MUID != "" {
		var id chat.ID
		err := t.QueryRowContext(ctx, `SELECT id FROM messages WHERE sender = ? AND muid = ?`, m.Sender, m.MUID).Scan(&id)
		switch {
		case err == nil:
			return loadMessage(ctx, t, id, "")
		case !errors.Is(err, sql.ErrNoRows):
			return chat.Message{}, fmt.Errorf("store: look up muid: %w", err)
		}
	}
	sender := systemUser()
	if m.Sender != chat.SystemSender {
		u, err := getUser(ctx, t, m.Sender, false)
		if err != nil {
			return chat.Message{}, err
		}
		sender = u
	}
	m.Data.Entities.Sender = chat.UserEntity(sender)
	switch m.ReceiverType {
	case chat.ReceiverUser:
		u, err := getUser(ctx, t, m.Receiver, false)
		if err != nil {
			return chat.Message{}, err
		}
		m.Data.Entities.Receiver = chat.UserEntity(u)
	case chat.ReceiverGroup:
		g, err := getGroup(ctx, t, m.Receiver, "")
		if err != nil {
			return chat.Message{}, err
		}
		m.Data.Entities.Receiver = chat.GroupEntity(g)
	}
	m.ConversationID = conversationID
	if m.ConversationID == "" {
		m.ConversationID = chat.ConversationIDFor(m.Sender, m.Receiver, m.ReceiverType)
	}
	if m.ParentID != 0 {
		if err := checkParent(ctx, t, m.ParentID, m.ConversationID); err != nil {
			return chat.Message{}, err
		}
	}
	if err := fillMentions(ctx, t, &m); err != nil {
		return chat.Message{}, err
	}
	if m.UpdatedAt == 0 {
		m.UpdatedAt = m.SentAt
	}
	m.ReplyCount, m.MyReceipt, m.DeliveredAt, m.ReadAt = 0, nil, 0, 0
	m.Data.Reactions = nil
	data, err := json.Marshal(m.Data)
	if err != nil {
		return chat.Message{}, chat.FieldError("data", "The data must be a JSON object.")
	}
	var parent any
	if m.ParentID != 0 {
		parent = int64(m.ParentID)
	}
	err = t.QueryRowContext(ctx, `
		INSERT INTO messages (muid, conversation_id, sender, receiver, receiver_type, category, type, text, data,
			sent_at, updated_at, edited_at, edited_by, deleted_at, deleted_by, parent_id, tags,
			has_attachments, has_mentions)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.MUID, m.ConversationID, m.Sender, m.Receiver, string(m.ReceiverType), string(m.Category), m.Type,
		m.Data.Text, string(data), m.SentAt, m.UpdatedAt, m.EditedAt, m.EditedBy, m.DeletedAt, m.DeletedBy,
		parent, tagsText(m.Tags), boolInt(len(m.Data.Attachments) > 0), boolInt(len(m.Data.Mentions) > 0),
	).Scan(&m.ID)
	if err != nil {
		return chat.Message{}, fmt.Errorf("store: insert message: %w", err)
	}
	if m.ParentID != 0 {
		if _, err := t.ExecContext(ctx, `UPDATE messages SET reply_count = reply_count + 1 WHERE id = ?`,
			int64(m.ParentID)); err != nil {
			return chat.Message{}, fmt.Errorf("store: count reply: %w", err)
		}
	}
	if err := bumpConversations(ctx, t, &m); err != nil {
		return chat.Message{}, err
	}
	return m, nil
}

func checkNewMessage(m *chat.Message) error {
	if m.ReceiverType != chat.ReceiverUser && m.ReceiverType != chat.ReceiverGroup {
		return chat.Errorf(chat.ErrInvalidReceiverType, "The receiverType must be user or group.")
	}
	switch {
	case m.Sender == "":
		return chat.FieldError("sender", "The sender field is required.")
	case m.Receiver == "":
		return chat.FieldError("receiver", "The receiver field is required.")
	case m.Category == "":
		return chat.FieldError("category", "The category field is required.")
	case m.Type == "":
		return chat.FieldError("type", "The type field is required.")
	case m.ParentID < 0:
		return chat.FieldError("parentId", "The parentId must be a message id.")
	}
	return nil
}

// checkParent makes sure a reply goes to a top-level message of the same
// conversation.
func checkParent(ctx context.Context, q querier, parentID chat.ID, conversationID string) error {
	var conv string
	var grand int64
	err := q.QueryRowContext(ctx, `SELECT conversation_id, coalesce(parent_id, 0) FROM messages WHERE id = ?`,
		int64(parentID)).Scan(&conv, &grand)
	if err != nil {
		return notFound(err, errMessageID(parentID), "parent message")
	}
	if grand != 0 {
		return chat.Errorf(chat.ErrMessageThreadNesting, "Replies to a reply are not allowed.")
	}
	if conv != conversationID {
		return chat.FieldError("parentId", "The parent message belongs to another conversation.")
	}
	return nil
}

// fillMentions resolves the <@uid:…> tokens of the text to user entities;
// unknown uids are left out.
func fillMentions(ctx context.Context, q querier, m *chat.Message) error {
	uids := chat.MentionedUIDs(m.Data.Text)
	if len(uids) == 0 || len(m.Data.Mentions) > 0 {
		return nil
	}
	if len(uids) > chat.MaxMentions {
		uids = uids[:chat.MaxMentions]
	}
	rows, err := q.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.uid IN (`+placeholders(len(uids))+`)`,
		anys(uids)...)
	if err != nil {
		return fmt.Errorf("store: resolve mentions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return fmt.Errorf("store: resolve mentions: %w", err)
		}
		if m.Data.Mentions == nil {
			m.Data.Mentions = map[string]chat.User{}
		}
		m.Data.Mentions[u.UID] = u
	}
	return rows.Err()
}

// bumpConversations makes m the last message of every participant's
// conversation and counts it unread for everyone but the sender.
func bumpConversations(ctx context.Context, t querier, m *chat.Message) error {
	if !becomesLast(m) {
		return nil
	}
	unread := boolInt(countsUnread(m))
	const upsert = `
		ON CONFLICT (uid, conversation_id) DO UPDATE SET
			last_message_id = excluded.last_message_id,
			unread = unread + excluded.unread,
			updated_at = max(updated_at, excluded.updated_at)`
	if m.ReceiverType == chat.ReceiverGroup {
		var members int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE guid = ?`, m.Receiver).Scan(&members); err != nil {
			return fmt.Errorf("store: members of %s: %w", m.Receiver, err)
		}
		// Large groups get no per-member unread counts or conversation
		// updates (CometChat's limit): only the sender's row moves, so a
		// message costs one row, not one per member.
		who, whoArgs := `guid = ?`, []any{m.Receiver}
		if members > chat.MaxConversationGroupMembers {
			who, whoArgs = `guid = ? AND uid = ?`, []any{m.Receiver, m.Sender}
		}
		args := append([]any{m.ConversationID, int64(m.ID), m.Sender, unread, m.SentAt, m.SentAt}, whoArgs...)
		_, err := t.ExecContext(ctx, `
			INSERT INTO conversations (uid, conversation_id, conversation_type, peer, last_message_id, unread,
				created_at, updated_at)
			SELECT uid, ?, 'group', guid, ?, CASE WHEN uid = ? THEN 0 ELSE ? END, ?, ?
			FROM members WHERE `+who+upsert, args...)
		if err != nil {
			return fmt.Errorf("store: update group conversation %s: %w", m.ConversationID, err)
		}
		return nil
	}
	type side struct {
		uid, peer string
		unread    int
	}
	sides := []side{{m.Sender, m.Receiver, 0}}
	if m.Receiver != m.Sender {
		sides = append(sides, side{m.Receiver, m.Sender, unread})
	}
	for _, s := range sides {
		if s.uid == chat.SystemSender {
			continue
		}
		_, err := t.ExecContext(ctx, `
			INSERT INTO conversations (uid, conversation_id, conversation_type, peer, last_message_id, unread,
				created_at, updated_at)
			VALUES (?, ?, 'user', ?, ?, ?, ?, ?)`+upsert,
			s.uid, m.ConversationID, s.peer, int64(m.ID), s.unread, m.SentAt, m.SentAt)
		if err != nil {
			return fmt.Errorf("store: update conversation %s of %s: %w", m.ConversationID, s.uid, err)
		}
	}
	return nil
}
