package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"cometterm/chat"
)

// messageSelect reads a message with the asker's own receipt (the asker is
// ?1; "" for nobody) and, for 1:1 messages, the receiver's marks. In a
// group the asker's times for a message are those of their own receipt row
// where it has them, else those of the spans of their marks that hold it
// (see the marks in receipts.go); their own messages have none.
var messageSelect = `SELECT m.id, m.muid, m.conversation_id, m.sender, m.receiver, m.receiver_type,
	m.category, m.type, m.data, m.sent_at, m.updated_at, m.edited_at, m.edited_by, m.deleted_at,
	m.deleted_by, coalesce(m.parent_id, 0), m.reply_count, m.tags,
	coalesce(pr.delivered_at, 0), coalesce(pr.read_at, 0),
	CASE WHEN coalesce(mr.delivered_at, 0) = 0 AND m.receiver_type = 'group' AND m.sender <> ?1 AND ?1 <> ''
		THEN ` + coveredAt(false, "?1", "m.conversation_id", "m.id") + ` ELSE coalesce(mr.delivered_at, 0) END,
	CASE WHEN coalesce(mr.read_at, 0) = 0 AND m.receiver_type = 'group' AND m.sender <> ?1 AND ?1 <> ''
		THEN ` + coveredAt(true, "?1", "m.conversation_id", "m.id") + ` ELSE coalesce(mr.read_at, 0) END
	FROM messages m
	LEFT JOIN receipts pr ON m.receiver_type = 'user' AND pr.message_id = m.id AND pr.uid = m.receiver
	LEFT JOIN receipts mr ON mr.message_id = m.id AND mr.uid = ?1`

func scanMessage(s scanner) (chat.Message, error) {
	var m chat.Message
	var data, tags string
	var myDelivered, myRead int64
	err := s.Scan(&m.ID, &m.MUID, &m.ConversationID, &m.Sender, &m.Receiver, &m.ReceiverType,
		&m.Category, &m.Type, &data, &m.SentAt, &m.UpdatedAt, &m.EditedAt, &m.EditedBy, &m.DeletedAt,
		&m.DeletedBy, &m.ParentID, &m.ReplyCount, &tags, &m.DeliveredAt, &m.ReadAt, &myDelivered, &myRead)
	if err != nil {
		return chat.Message{}, err
	}
	if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
		return chat.Message{}, fmt.Errorf("decode message %d data: %w", m.ID, err)
	}
	if m.Tags, err = decodeTags(tags); err != nil {
		return chat.Message{}, err
	}
	if myDelivered != 0 || myRead != 0 {
		m.MyReceipt = &chat.MyReceipt{DeliveredAt: myDelivered, ReadAt: myRead}
	}
	return m, nil
}

// loadMessage reads one message with reactions, as asker sees its marks.
// It does not check that asker may see it.
func loadMessage(ctx context.Context, q querier, id chat.ID, asker string) (chat.Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, messageSelect+` WHERE m.id = ?`, asker, int64(id)))
	if err != nil {
		return chat.Message{}, notFound(err, errMessageID(id), "message")
	}
	ms := []chat.Message{m}
	if err := fillReactions(ctx, q, ms, asker); err != nil {
		return chat.Message{}, err
	}
	return ms[0], nil
}

// fillReactions sets Data.Reactions on every message, in order of each
// reaction's first use.
func fillReactions(ctx context.Context, q querier, ms []chat.Message, asker string) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]any, len(ms))
	at := make(map[chat.ID]int, len(ms))
	for i := range ms {
		ids[i] = int64(ms[i].ID)
		at[ms[i].ID] = i
		ms[i].Data.Reactions = nil
	}
	args := append([]any{asker}, ids...)
	rows, err := q.QueryContext(ctx, `
		SELECT message_id, reaction, count(*), max(uid = ?)
		FROM reactions WHERE message_id IN (`+placeholders(len(ids))+`)
		GROUP BY message_id, reaction ORDER BY message_id, min(id)`, args...)
	if err != nil {
		return fmt.Errorf("store: load reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id chat.ID
		var rc chat.ReactionCount
		if err := rows.Scan(&id, &rc.Reaction, &rc.Count, &rc.ReactedByMe); err != nil {
			return fmt.Errorf("store: load reactions: %w", err)
		}
		i := at[id]
		ms[i].Data.Reactions = append(ms[i].Data.Reactions, rc)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load reactions: %w", err)
	}
	return nil
}

// canSee reports whether asker takes part in m's conversation: a party of
// a 1:1 chat or a current member of the group. Former members lose the
// group's history; members see it all, including what came before they
// joined. "" is the server's full view.
func canSee(ctx context.Context, q querier, m *chat.Message, asker string) (bool, error) {
	if asker == "" {
		return true, nil
	}
	if m.ReceiverType == chat.ReceiverUser {
		peer, _, ok := chat.SplitConversationID(m.ConversationID, asker)
		return ok && peer != "", nil
	}
	return isMember(ctx, q, m.Receiver, asker)
}

func isMember(ctx context.Context, q querier, guid, uid string) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE guid = ? AND uid = ?)`, guid, uid).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: membership of %s in %s: %w", uid, guid, err)
	}
	return ok, nil
}

func errNoAccess(id chat.ID) *chat.Error {
	return chat.Errorf(chat.ErrMessageNoAccess, "You do not have access to the message %d.", id)
}

// visibleMessage loads a message and checks that asker may see it.
func visibleMessage(ctx context.Context, q querier, id chat.ID, asker string) (chat.Message, error) {
	m, err := loadMessage(ctx, q, id, asker)
	if err != nil {
		return chat.Message{}, err
	}
	ok, err := canSee(ctx, q, &m, asker)
	if err != nil {
		return chat.Message{}, err
	}
	if !ok {
		return chat.Message{}, errNoAccess(id)
	}
	return m, nil
}

// Message returns one message as asker sees it.
func (d *DB) Message(ctx context.Context, id chat.ID, asker string) (chat.Message, error) {
	return visibleMessage(ctx, d.rq, id, asker)
}

const (
	defaultMessageLimit = 30
	maxMessageLimit     = 1000
)

// ListMessages returns one page of messages, oldest first, with
// chat.MessageQuery's cursor: "prepend" (the default) pages back from
// ID (or SentAt), "append" pages forward. Without a cursor, prepend gives
// the newest messages and append the oldest.
func (d *DB) ListMessages(ctx context.Context, q chat.MessageQuery) ([]chat.Message, error) {
	if q.Limit < 0 || q.Limit > maxMessageLimit {
		return nil, chat.FieldError("limit", "limit must be between 1 and %d.", maxMessageLimit)
	}
	limit := q.Limit
	if limit == 0 {
		limit = defaultMessageLimit
	}
	var prepend bool
	switch q.Affix {
	case "", "prepend":
		prepend = true
	case "append":
	default:
		return nil, chat.FieldError("affix", "affix must be append or prepend.")
	}
	w, err := d.messageFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nil // a search with nothing to search for
	}
	order := "ASC"
	switch {
	case prepend && q.ID > 0:
		w.add(`m.id < ?`, int64(q.ID))
	case prepend && q.SentAt > 0:
		w.add(`m.sent_at <= ?`, q.SentAt)
	case q.ID > 0:
		w.add(`m.id > ?`, int64(q.ID))
	case q.SentAt > 0:
		w.add(`m.sent_at >= ?`, q.SentAt)
	}
	if prepend {
		order = "DESC"
	}
	args := append([]any{q.Asker}, w.args...)
	args = append(args, limit)
	rows, err := d.rq.QueryContext(ctx, messageSelect+w.sql()+` ORDER BY m.id `+order+` LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list messages: %w", err)
	}
	defer rows.Close()
	var out []chat.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list messages: %w", err)
	}
	if prepend {
		slices.Reverse(out)
	}
	if err := fillReactions(ctx, d.rq, out, q.Asker); err != nil {
		return nil, err
	}
	return out, nil
}

// messageFilter turns the query's filters into conditions on messages m.
// It returns nil (and no error) when the query can match nothing.
func (d *DB) messageFilter(ctx context.Context, q chat.MessageQuery) (*where, error) {
	w := &where{}
	switch {
	case q.ConversationID != "":
		if err := checkConversationAccess(ctx, d.rq, q.ConversationID, q.Asker); err != nil {
			return nil, err
		}
		w.add(`m.conversation_id = ?`, q.ConversationID)
	case q.Asker != "":
		w.add(`((m.receiver_type = 'user' AND (m.sender = ? OR m.receiver = ?))
			OR (m.receiver_type = 'group' AND m.receiver IN (SELECT guid FROM members WHERE uid = ?)))`,
			q.Asker, q.Asker, q.Asker)
	}
	if q.ParentID != 0 {
		if _, err := visibleMessage(ctx, d.rq, q.ParentID, q.Asker); err != nil {
			return nil, err
		}
		w.add(`m.parent_id = ?`, int64(q.ParentID))
	}
	if q.HideReplies {
		w.add(`m.parent_id IS NULL`)
	}
	if q.HideDeleted {
		w.add(`m.deleted_at = 0`)
	}
	if q.OnlyDeleted {
		w.add(`m.deleted_at <> 0`)
	}
	if q.UpdatedAfter > 0 {
		w.add(`m.updated_at > ?`, q.UpdatedAfter)
	}
	if q.OnlyUpdates {
		w.add(`(m.edited_at <> 0 OR m.deleted_at <> 0)`)
	}
	if len(q.Categories) > 0 {
		w.add(`m.category IN (`+placeholders(len(q.Categories))+`)`, anys(q.Categories)...)
	}
	if len(q.Types) > 0 {
		w.add(`m.type IN (`+placeholders(len(q.Types))+`)`, anys(q.Types)...)
	}
	if len(q.Tags) > 0 {
		w.add(`EXISTS (SELECT 1 FROM json_each(m.tags) WHERE value IN (`+placeholders(len(q.Tags))+`))`, anys(q.Tags)...)
	}
	if q.Sender != "" {
		w.add(`m.sender = ?`, q.Sender)
	}
	if q.HasAttachments {
		w.add(`m.has_attachments = 1`)
	}
	if q.HasMentions {
		w.add(`m.has_mentions = 1`)
	}
	if q.Unread {
		if q.Asker == "" {
			return nil, chat.FieldError("unread", "Unread messages are relative to a user.")
		}
		w.add(`m.sender <> ? AND m.id > coalesce((SELECT c.read_upto FROM conversations c
			WHERE c.uid = ? AND c.conversation_id = m.conversation_id), 0)`, q.Asker, q.Asker)
	}
	if q.SearchKey != "" {
		match := ftsQuery(q.SearchKey)
		if match == "" {
			return nil, nil
		}
		w.add(`m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)`, match)
	}
	return w, nil
}

// checkConversationAccess tells whether asker may read a conversation.
func checkConversationAccess(ctx context.Context, q querier, conversationID, asker string) error {
	if asker == "" {
		return nil
	}
	peer, rt, ok := chat.SplitConversationID(conversationID, asker)
	if !ok {
		return chat.Errorf(chat.ErrConversationNotAccess, "The conversation %s is not accessible.", conversationID)
	}
	if rt == chat.ReceiverUser {
		return nil
	}
	if _, err := getGroup(ctx, q, peer, ""); err != nil {
		return err
	}
	member, err := isMember(ctx, q, peer, asker)
	if err != nil {
		return err
	}
	if !member {
		return chat.Errorf(chat.ErrGroupNotJoined, "You have not joined the group %s.", peer)
	}
	return nil
}
