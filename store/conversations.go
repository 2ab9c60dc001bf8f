package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cometterm/chat"
)

// Conversations are listed from each user's own row; a group conversation
// shows only while the user is a current member, and a conversation
// appears with its first message. The store keeps no conversation tags,
// so a tag filter matches nothing. A group conversation's row is completed
// from its group_conversations row (see bumpGroup).

// conversationFrom joins each row with its group's part (none for 1:1).
const conversationFrom = ` FROM conversations c
	LEFT JOIN group_conversations g ON g.conversation_id = c.conversation_id`

// latestSQL and updatedSQL are a row's last message and activity time:
// the row's own, or the group's when later and sent since the row's
// since_id.
const (
	latestSQL  = `max(c.last_message_id, CASE WHEN g.last_message_id > c.since_id THEN g.last_message_id ELSE 0 END)`
	updatedSQL = `max(c.updated_at, CASE WHEN g.last_message_id > c.since_id THEN g.last_at ELSE 0 END)`
	// liveFromSQL is the id after which a group member's unread messages
	// are counted when asked; -1 for a 1:1 conversation, which has them
	// all in c.unread.
	liveFromSQL = `CASE WHEN c.conversation_type = 'group' THEN max(c.read_upto, coalesce(g.counted_upto, 0)) ELSE -1 END`
)

const conversationCols = `c.conversation_id, c.conversation_type, c.peer, c.unread, c.read_upto,
	` + latestSQL + `, c.created_at, ` + updatedSQL + `, ` + liveFromSQL

type convRow struct {
	c        chat.Conversation
	peer     string
	liveFrom int64 // see liveFromSQL
}

func scanConversation(s scanner) (convRow, error) {
	var r convRow
	err := s.Scan(&r.c.ConversationID, &r.c.ConversationType, &r.peer, &r.c.UnreadMessageCount,
		&r.c.LastReadMessageID, &r.c.LatestMessageID, &r.c.CreatedAt, &r.c.UpdatedAt, &r.liveFrom)
	return r, err
}

// ListConversations lists uid's conversations, most recently active first.
func (d *DB) ListConversations(ctx context.Context, uid string, q chat.ConversationQuery) ([]chat.Conversation, int, error) {
	limit, offset, err := pageBounds(q.Page)
	if err != nil {
		return nil, 0, err
	}
	if len(q.Tags) > 0 {
		return nil, 0, nil
	}
	w := &where{}
	w.add(`c.uid = ? AND `+latestSQL+` > 0`, uid)
	w.add(`(c.conversation_type = 'user' OR EXISTS (SELECT 1 FROM members mb WHERE mb.guid = c.peer AND mb.uid = c.uid))`)
	switch q.Type {
	case "":
	case chat.ReceiverUser, chat.ReceiverGroup:
		w.add(`c.conversation_type = ?`, string(q.Type))
	default:
		return nil, 0, chat.FieldError("conversationType", "conversationType must be user or group.")
	}
	if q.Unread {
		w.add(`(c.unread > 0 OR (c.conversation_type = 'group' AND EXISTS (SELECT 1 FROM messages m
			WHERE m.conversation_id = c.conversation_id AND m.id > ` + liveFromSQL + ` AND ` + countedSQL + `
				AND m.sender <> c.uid)))`)
	}
	if q.SearchKey != "" {
		k := likePrefix(q.SearchKey)
		w.add(`(c.peer LIKE ? ESCAPE '\'
			OR (c.conversation_type = 'user' AND EXISTS (SELECT 1 FROM users u WHERE u.uid = c.peer AND u.name LIKE ? ESCAPE '\'))
			OR (c.conversation_type = 'group' AND EXISTS (SELECT 1 FROM groups g WHERE g.guid = c.peer AND g.name LIKE ? ESCAPE '\')))`,
			k, k, k)
	}
	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*)`+conversationFrom+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count conversations of %s: %w", uid, err)
	}
	args := append(w.args, limit, offset)
	rows, err := d.rq.QueryContext(ctx, `SELECT `+conversationCols+conversationFrom+w.sql()+
		` ORDER BY `+updatedSQL+` DESC, `+latestSQL+` DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list conversations of %s: %w", uid, err)
	}
	var list []convRow
	for rows.Next() {
		r, err := scanConversation(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("store: list conversations of %s: %w", uid, err)
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list conversations of %s: %w", uid, err)
	}
	out := make([]chat.Conversation, 0, len(list))
	for _, r := range list {
		if err := completeConversation(ctx, d.rq, &r, uid); err != nil {
			return nil, 0, err
		}
		out = append(out, r.c)
	}
	return out, total, nil
}

// Conversation returns one of uid's conversations.
func (d *DB) Conversation(ctx context.Context, uid, conversationID string) (chat.Conversation, error) {
	if err := checkConversationAccess(ctx, d.rq, conversationID, uid); err != nil {
		return chat.Conversation{}, err
	}
	r, err := scanConversation(d.rq.QueryRowContext(ctx, `SELECT `+conversationCols+conversationFrom+`
		WHERE c.uid = ? AND c.conversation_id = ? AND `+latestSQL+` > 0`, uid, conversationID))
	if errors.Is(err, sql.ErrNoRows) {
		return chat.Conversation{}, chat.Errorf(chat.ErrConversationNotAccess,
			"The conversation %s has no messages yet.", conversationID)
	}
	if err != nil {
		return chat.Conversation{}, fmt.Errorf("store: conversation %s of %s: %w", conversationID, uid, err)
	}
	if err := completeConversation(ctx, d.rq, &r, uid); err != nil {
		return chat.Conversation{}, err
	}
	return r.c, nil
}

// completeConversation adds the last message, the other side, the unread
// messages not in the row and the unread mentions.
func completeConversation(ctx context.Context, q querier, r *convRow, uid string) error {
	last, err := loadMessage(ctx, q, r.c.LatestMessageID, uid)
	if err != nil {
		return err
	}
	if r.liveFrom >= 0 {
		var live int
		if err := q.QueryRowContext(ctx, countLive, r.c.ConversationID, r.liveFrom, uid).Scan(&live); err != nil {
			return fmt.Errorf("store: count unread of %s in %s: %w", uid, r.c.ConversationID, err)
		}
		r.c.UnreadMessageCount += chat.Count(live)
	}
	r.c.LastMessage = &last
	if r.c.ConversationType == chat.ReceiverGroup {
		g, err := getGroup(ctx, q, r.peer, uid)
		if err != nil {
			return err
		}
		r.c.WithGroup = &g
	} else {
		u, err := peerUser(ctx, q, r.peer, uid)
		if err != nil {
			return err
		}
		r.c.WithUser = &u
	}
	var mentions int
	token := "<@uid:" + uid + ">"
	braced := "<@uid:{" + uid + "}>"
	// Both tokens start with "<@uid:", which lets the count go through
	// messages_mentions: only the messages that mention anyone.
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM messages m
		WHERE m.conversation_id = ? AND m.id > ? AND `+unreadSQL+`
			AND instr(m.text, '<@uid:') > 0 AND (instr(m.text, ?) > 0 OR instr(m.text, ?) > 0)`,
		r.c.ConversationID, int64(r.c.LastReadMessageID), uid, token, braced).Scan(&mentions)
	if err != nil {
		return fmt.Errorf("store: count mentions of %s: %w", uid, err)
	}
	r.c.UnreadMentionsCount = chat.Count(mentions)
	return nil
}

// peerUser returns the other side of a 1:1 conversation as asker sees it.
// A deleted user is shown by uid so that their history stays listed.
func peerUser(ctx context.Context, q querier, peer, asker string) (chat.User, error) {
	if peer == chat.SystemSender {
		return systemUser(), nil
	}
	var byMe, hasMe int64
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+`,
		coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = ? AND b.blocked = u.uid), 0),
		coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = u.uid AND b.blocked = ?), 0)
		FROM users u WHERE u.uid = ?`, asker, asker, peer), &byMe, &hasMe)
	if errors.Is(err, sql.ErrNoRows) {
		return chat.User{UID: peer, Name: peer, Role: chat.DefaultRole, Status: chat.StatusOffline,
			ConversationID: chat.UserConversationID(asker, peer)}, nil
	}
	if err != nil {
		return chat.User{}, fmt.Errorf("store: user %s: %w", peer, err)
	}
	fillRelative(&u, asker, byMe, hasMe)
	return u, nil
}

// ensureConversation creates uid's row for a conversation they may read.
func ensureConversation(ctx context.Context, t querier, uid, conversationID string, at int64) error {
	peer, rt, ok := chat.SplitConversationID(conversationID, uid)
	if !ok {
		return chat.Errorf(chat.ErrConversationNotAccess, "The conversation %s is not accessible.", conversationID)
	}
	_, err := t.ExecContext(ctx, `INSERT INTO conversations (uid, conversation_id, conversation_type, peer,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid, conversation_id) DO NOTHING`,
		uid, conversationID, string(rt), peer, at, at)
	if err != nil {
		return fmt.Errorf("store: conversation %s of %s: %w", conversationID, uid, err)
	}
	return nil
}

// countedUptoSQL is the last message whose unread state a conversation
// row stores: the group's counted_upto, every message for 1:1 (and for a
// group without messages). It binds the conversation id.
const countedUptoSQL = `coalesce((SELECT counted_upto FROM group_conversations WHERE conversation_id = ?), 9223372036854775807)`

// recountUnread recomputes uid's stored unread count from the read mark.
func recountUnread(ctx context.Context, t querier, uid, conversationID string) error {
	_, err := t.ExecContext(ctx, `UPDATE conversations SET unread = (
			SELECT count(*) FROM messages m
			WHERE m.conversation_id = conversations.conversation_id AND m.id > conversations.read_upto
				AND m.id <= `+countedUptoSQL+` AND `+unreadSQL+`)
		WHERE uid = ? AND conversation_id = ?`, conversationID, uid, uid, conversationID)
	if err != nil {
		return fmt.Errorf("store: recount unread of %s in %s: %w", uid, conversationID, err)
	}
	return nil
}
