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
// reader bound once; deleted messages do not count either.
const unreadSQL = countedSQL + ` AND m.sender <> ?`

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
	var members int // of the receiving group
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
		members = int(g.MembersCount)
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
	var parent, seq, senderSeq any
	if m.ParentID != 0 {
		parent = int64(m.ParentID)
	}
	if m.ReceiverType == chat.ReceiverGroup && countsUnread(&m) {
		var n, own int64
		if err := t.QueryRowContext(ctx, nextSeq, m.ConversationID, m.Sender).Scan(&n, &own); err != nil {
			return chat.Message{}, fmt.Errorf("store: number message in %s: %w", m.ConversationID, err)
		}
		seq, senderSeq = n, own
	}
	err = t.QueryRowContext(ctx, `
		INSERT INTO messages (muid, conversation_id, sender, receiver, receiver_type, category, type, text, data,
			sent_at, updated_at, edited_at, edited_by, deleted_at, deleted_by, parent_id, tags,
			has_attachments, has_mentions, seq, sender_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.MUID, m.ConversationID, m.Sender, m.Receiver, string(m.ReceiverType), string(m.Category), m.Type,
		m.Data.Text, string(data), m.SentAt, m.UpdatedAt, m.EditedAt, m.EditedBy, m.DeletedAt, m.DeletedBy,
		parent, tagsText(m.Tags), boolInt(len(m.Data.Attachments) > 0), boolInt(len(m.Data.Mentions) > 0),
		seq, senderSeq,
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
	if err := bumpConversations(ctx, t, &m, members); err != nil {
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
// conversation and counts it unread for everyone but the sender. members
// is the size of the receiving group.
func bumpConversations(ctx context.Context, t querier, m *chat.Message, members int) error {
	if !becomesLast(m) {
		return nil
	}
	if m.ReceiverType == chat.ReceiverGroup {
		return bumpGroup(ctx, t, m, members)
	}
	unread := boolInt(countsUnread(m))
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
			VALUES (?, ?, 'user', ?, ?, ?, ?, ?)`+upsertLast,
			s.uid, m.ConversationID, s.peer, int64(m.ID), s.unread, m.SentAt, m.SentAt)
		if err != nil {
			return fmt.Errorf("store: update conversation %s of %s: %w", m.ConversationID, s.uid, err)
		}
	}
	return nil
}

// upsertLast makes a new message the last one of an existing conversation
// row too.
const upsertLast = `
	ON CONFLICT (uid, conversation_id) DO UPDATE SET
		last_message_id = excluded.last_message_id,
		unread = unread + excluded.unread,
		updated_at = max(updated_at, excluded.updated_at)`

// A group conversation is kept in two parts, so that a message costs one
// row, not one per member:
//   - group_conversations holds, once per group, the last message that
//     reached every member and the latest time of those messages;
//   - each member's row in conversations holds what is the member's own:
//     marks, times, and a last message of their own where it differs.
//
// A member sees the later of the row's last message and the group's (the
// group's only if sent after the row's since_id: the member's join), and
// the later of the two times.
//
// Groups over chat.MaxConversationGroupMembers get no per-member unread
// counts or conversation updates (CometChat's limit): their messages only
// move the sender's row. So a member's unread count has two parts too:
// the row's unread, the messages up to the group's counted_upto, stored
// and kept as messages are read or deleted; and the messages after both
// counted_upto and the member's read mark, counted when asked. Every
// message to a group over the limit moves counted_upto past itself, so
// the counted part holds only messages sent while the group was within
// the limit. live tells that such messages may have come since
// counted_upto; when the group next goes over the limit, they are added
// to every member's stored count first.

// The unread count after counted_upto is asked for on every conversation
// list, so it must not cost a scan of the unread messages: the group
// messages that count as unread are numbered (messages.seq, and
// sender_seq among their sender's), and the count after a message id is
// the difference of two numbers, less the reader's own messages (again a
// difference) and the deleted ones (few, through their own index).

// nextSeq numbers a group message that counts as unread: conversation id,
// sender.
const nextSeq = `SELECT
	coalesce((SELECT seq FROM messages WHERE conversation_id = ?1 AND seq IS NOT NULL ORDER BY id DESC LIMIT 1), 0) + 1,
	coalesce((SELECT sender_seq FROM messages WHERE conversation_id = ?1 AND sender = ?2 AND sender_seq IS NOT NULL
		ORDER BY id DESC LIMIT 1), 0) + 1`

// countLive counts a group member's unread messages after an id that is
// at least the group's counted_upto: conversation id, id, uid.
const countLive = `SELECT
	coalesce((SELECT seq FROM messages WHERE conversation_id = ?1 AND seq IS NOT NULL ORDER BY id DESC LIMIT 1), 0)
	- coalesce((SELECT seq FROM messages WHERE conversation_id = ?1 AND seq IS NOT NULL AND id <= ?2
		ORDER BY id DESC LIMIT 1), 0)
	- coalesce((SELECT sender_seq FROM messages WHERE conversation_id = ?1 AND sender = ?3 AND sender_seq IS NOT NULL
		ORDER BY id DESC LIMIT 1), 0)
	+ coalesce((SELECT sender_seq FROM messages WHERE conversation_id = ?1 AND sender = ?3 AND sender_seq IS NOT NULL
		AND id <= ?2 ORDER BY id DESC LIMIT 1), 0)
	- (SELECT count(*) FROM messages INDEXED BY messages_seq_deleted
		WHERE conversation_id = ?1 AND seq IS NOT NULL AND deleted_at <> 0 AND id > ?2 AND sender <> ?3)`

// countedSQL selects the messages that count as unread (countsUnread, not
// deleted) among those of m.
const countedSQL = `m.parent_id IS NULL AND m.category <> 'action' AND m.deleted_at = 0`

// Statements of bumpGroup.
const (
	selectGroupConv = `SELECT counted_upto, live FROM group_conversations WHERE conversation_id = ?`
	// foldLive adds the counted messages below a message (the first sent
	// over the limit) after counted_upto to every member's stored count:
	// counted_upto, message id, conversation id, guid.
	foldLive = `UPDATE conversations SET unread = unread + (
			SELECT count(*) FROM messages m
			WHERE m.conversation_id = conversations.conversation_id
				AND m.id > max(conversations.read_upto, ?) AND m.id < ?
				AND ` + countedSQL + ` AND m.sender <> conversations.uid)
		WHERE conversation_id = ? AND uid IN (SELECT uid FROM members WHERE guid = ?)`
	overLimit = `INSERT INTO group_conversations (conversation_id, counted_upto) VALUES (?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET counted_upto = excluded.counted_upto, live = 0`
	// bumpSender moves the sender's row only, as a member: conversation
	// id, message id, sent at (twice), guid, sender.
	bumpSender = `
		INSERT INTO conversations (uid, conversation_id, conversation_type, peer, last_message_id,
			since_id, created_at, updated_at)
		SELECT uid, ?1, 'group', guid, ?2, ?2, ?3, ?3
		FROM members WHERE guid = ?4 AND uid = ?5` + upsertLast
	// startRows gives the members without a row (a new group's owner) one,
	// as of the group's first message: conversation id, sent at, guid.
	startRows = `INSERT INTO conversations (uid, conversation_id, conversation_type, peer, created_at, updated_at)
		SELECT uid, ?1, 'group', guid, ?2, ?2 FROM members WHERE guid = ?3
		ON CONFLICT (uid, conversation_id) DO NOTHING`
	bumpGroupConv = `INSERT INTO group_conversations (conversation_id, last_message_id, last_at, live)
		VALUES (?, ?, ?, 1)
		ON CONFLICT (conversation_id) DO UPDATE SET last_message_id = excluded.last_message_id,
			last_at = max(last_at, excluded.last_at), live = 1`
)

// bumpGroup records m, a message that becomes its group conversation's
// last, for the group's members (see above).
func bumpGroup(ctx context.Context, t querier, m *chat.Message, members int) error {
	var countedUpto int64
	var live bool
	err := t.QueryRowContext(ctx, selectGroupConv, m.ConversationID).Scan(&countedUpto, &live)
	first := errors.Is(err, sql.ErrNoRows)
	if err != nil && !first {
		return fmt.Errorf("store: group conversation %s: %w", m.ConversationID, err)
	}
	if members > chat.MaxConversationGroupMembers {
		if live {
			if _, err := t.ExecContext(ctx, foldLive, countedUpto, int64(m.ID), m.ConversationID, m.Receiver); err != nil {
				return fmt.Errorf("store: store unread counts of %s: %w", m.ConversationID, err)
			}
		}
		if _, err := t.ExecContext(ctx, overLimit, m.ConversationID, int64(m.ID)); err != nil {
			return fmt.Errorf("store: update group conversation %s: %w", m.ConversationID, err)
		}
		if _, err := t.ExecContext(ctx, bumpSender, m.ConversationID, int64(m.ID), m.SentAt, m.Receiver, m.Sender); err != nil {
			return fmt.Errorf("store: update group conversation %s of %s: %w", m.ConversationID, m.Sender, err)
		}
		return nil
	}
	if first {
		if _, err := t.ExecContext(ctx, startRows, m.ConversationID, m.SentAt, m.Receiver); err != nil {
			return fmt.Errorf("store: start group conversation %s: %w", m.ConversationID, err)
		}
	}
	if _, err := t.ExecContext(ctx, bumpGroupConv, m.ConversationID, int64(m.ID), m.SentAt); err != nil {
		return fmt.Errorf("store: update group conversation %s: %w", m.ConversationID, err)
	}
	return nil
}
