package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cometterm/chat"
)

// Marks: a user's conversation row holds "delivered up to" and "read up
// to" message ids; per-message rows in receipts hold the times. Moving a
// mark fills the rows of every message it passes (other people's messages
// only), so message info and myReceipt agree with the conversation marks.

// MarkDelivered moves uid's delivered mark to upTo (0: the latest message).
func (d *DB) MarkDelivered(ctx context.Context, uid, conversationID string, upTo chat.ID, at int64) error {
	return d.mark(ctx, uid, conversationID, upTo, at, false)
}

// MarkRead moves uid's read (and delivered) mark to upTo (0: the latest
// message) and recounts the unread messages.
func (d *DB) MarkRead(ctx context.Context, uid, conversationID string, upTo chat.ID, at int64) error {
	return d.mark(ctx, uid, conversationID, upTo, at, true)
}

func (d *DB) mark(ctx context.Context, uid, conversationID string, upTo chat.ID, at int64, read bool) error {
	if upTo < 0 {
		return chat.FieldError("messageId", "The messageId must be a message id.")
	}
	return d.tx(ctx, func(t querier) error {
		if err := checkConversationAccess(ctx, t, conversationID, uid); err != nil {
			return err
		}
		if upTo == 0 {
			err := t.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages WHERE conversation_id = ?`,
				conversationID).Scan(&upTo)
			if err != nil {
				return fmt.Errorf("store: latest message of %s: %w", conversationID, err)
			}
			if upTo == 0 {
				return nil
			}
		} else if err := inConversation(ctx, t, upTo, conversationID); err != nil {
			return err
		}
		return moveMarks(ctx, t, uid, conversationID, upTo, at, read)
	})
}

func inConversation(ctx context.Context, q querier, id chat.ID, conversationID string) error {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?)`,
		int64(id), conversationID).Scan(&ok)
	if err != nil {
		return fmt.Errorf("store: message %d: %w", id, err)
	}
	if !ok {
		return errMessageID(id)
	}
	return nil
}

// moveMarks advances uid's marks in a conversation to upTo and fills the
// receipts of the messages passed.
func moveMarks(ctx context.Context, t querier, uid, conversationID string, upTo chat.ID, at int64, read bool) error {
	if err := ensureConversation(ctx, t, uid, conversationID, at); err != nil {
		return err
	}
	var delivered, readMark int64
	err := t.QueryRowContext(ctx, `SELECT delivered_upto, read_upto FROM conversations
		WHERE uid = ? AND conversation_id = ?`, uid, conversationID).Scan(&delivered, &readMark)
	if err != nil {
		return fmt.Errorf("store: marks of %s in %s: %w", uid, conversationID, err)
	}
	from, readAt := delivered, int64(0)
	if read {
		from, readAt = readMark, at
	}
	_, err = t.ExecContext(ctx, `
		INSERT INTO receipts (message_id, uid, delivered_at, read_at)
		SELECT id, ?, ?, ? FROM messages
		WHERE conversation_id = ? AND id > ? AND id <= ? AND sender <> ?
		ON CONFLICT (message_id, uid) DO UPDATE SET
			delivered_at = CASE WHEN delivered_at = 0 THEN excluded.delivered_at ELSE delivered_at END,
			read_at = CASE WHEN read_at = 0 THEN excluded.read_at ELSE read_at END`,
		uid, at, readAt, conversationID, from, int64(upTo), uid)
	if err != nil {
		return fmt.Errorf("store: fill receipts of %s in %s: %w", uid, conversationID, err)
	}
	if read {
		_, err = t.ExecContext(ctx, `UPDATE conversations SET delivered_upto = max(delivered_upto, ?),
			read_upto = max(read_upto, ?) WHERE uid = ? AND conversation_id = ?`,
			int64(upTo), int64(upTo), uid, conversationID)
	} else {
		_, err = t.ExecContext(ctx, `UPDATE conversations SET delivered_upto = max(delivered_upto, ?)
			WHERE uid = ? AND conversation_id = ?`, int64(upTo), uid, conversationID)
	}
	if err != nil {
		return fmt.Errorf("store: move marks of %s in %s: %w", uid, conversationID, err)
	}
	if read {
		return recountUnread(ctx, t, uid, conversationID)
	}
	return nil
}

// MarkUnread moves uid's read mark back to before message from and clears
// the read times from there on.
func (d *DB) MarkUnread(ctx context.Context, uid, conversationID string, from chat.ID) error {
	if from <= 0 {
		return chat.FieldError("messageId", "The messageId must be a message id.")
	}
	return d.tx(ctx, func(t querier) error {
		if err := checkConversationAccess(ctx, t, conversationID, uid); err != nil {
			return err
		}
		if err := inConversation(ctx, t, from, conversationID); err != nil {
			return err
		}
		if err := ensureConversation(ctx, t, uid, conversationID, 0); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE conversations SET read_upto = min(read_upto, ?)
			WHERE uid = ? AND conversation_id = ?`, int64(from)-1, uid, conversationID); err != nil {
			return fmt.Errorf("store: mark unread for %s in %s: %w", uid, conversationID, err)
		}
		if _, err := t.ExecContext(ctx, `UPDATE receipts SET read_at = 0 WHERE uid = ? AND message_id IN (
			SELECT id FROM messages WHERE conversation_id = ? AND id >= ?)`, uid, conversationID, int64(from)); err != nil {
			return fmt.Errorf("store: clear read receipts of %s in %s: %w", uid, conversationID, err)
		}
		return recountUnread(ctx, t, uid, conversationID)
	})
}

// Receipt records that uid delivered or read message id; see
// server.Store. For a top-level message it also moves uid's conversation
// marks (earlier messages count as delivered/read too); a reply's receipt
// stays with the reply.
func (d *DB) Receipt(ctx context.Context, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error) {
	if typ != chat.ReceiptDelivered && typ != chat.ReceiptRead {
		return chat.ReceiptResult{}, chat.FieldError("action", "A receipt is delivered or read.")
	}
	return d.receipts.do(ctx, receiptCall{uid: uid, id: id, typ: typ, at: at})
}

// receiptIn records one receipt inside the write transaction t.
func receiptIn(ctx context.Context, t querier, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error) {
	var res chat.ReceiptResult
	err := func() error {
		m, err := visibleMessage(ctx, t, id, uid)
		if err != nil {
			return err
		}
		res = chat.ReceiptResult{Message: m}
		if m.Sender == uid {
			return nil
		}
		var delivered, read int64
		err = t.QueryRowContext(ctx, `SELECT delivered_at, read_at FROM receipts WHERE message_id = ? AND uid = ?`,
			int64(id), uid).Scan(&delivered, &read)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: receipt of %s on %d: %w", uid, id, err)
		}
		res.New = delivered == 0 || (typ == chat.ReceiptRead && read == 0)
		if !res.New {
			return nil
		}
		isRead := typ == chat.ReceiptRead
		readAt := read
		if isRead {
			readAt = at
		}
		if delivered == 0 {
			delivered = at
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO receipts (message_id, uid, delivered_at, read_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (message_id, uid) DO UPDATE SET
			delivered_at = excluded.delivered_at, read_at = excluded.read_at`,
			int64(id), uid, delivered, readAt); err != nil {
			return fmt.Errorf("store: store receipt of %s on %d: %w", uid, id, err)
		}
		if m.ParentID == 0 {
			if err := moveMarks(ctx, t, uid, m.ConversationID, id, at, isRead); err != nil {
				return err
			}
		}
		if m.ReceiverType == chat.ReceiverGroup {
			col := "delivered_at"
			if isRead {
				col = "read_at"
			}
			var missing int
			err := t.QueryRowContext(ctx, `SELECT count(*) FROM members mb
				LEFT JOIN receipts r ON r.message_id = ? AND r.uid = mb.uid
				WHERE mb.guid = ? AND mb.uid <> ? AND coalesce(r.`+col+`, 0) = 0`,
				int64(id), m.Receiver, m.Sender).Scan(&missing)
			if err != nil {
				return fmt.Errorf("store: receipts on %d: %w", id, err)
			}
			res.All = missing == 0
		}
		res.Message, err = loadMessage(ctx, t, id, uid)
		return err
	}()
	return res, err
}

// coveringMarks are a reader's delivered and read times for a message: a
// receipt for a later message of the same conversation covers it (clients
// acknowledge the newest message of a burst only), so the time is that of
// the first receipt at or after it. Arguments: conversation id, message id,
// twice; the reader is u.uid.
const coveringMarks = `
	coalesce((SELECT min(r.delivered_at) FROM receipts r JOIN messages x ON x.id = r.message_id
		WHERE r.uid = u.uid AND x.conversation_id = ? AND r.message_id >= ? AND r.delivered_at > 0), 0),
	coalesce((SELECT min(r.read_at) FROM receipts r JOIN messages x ON x.id = r.message_id
		WHERE r.uid = u.uid AND x.conversation_id = ? AND r.message_id >= ? AND r.read_at > 0), 0)`

// MessageReceipts lists the recipients of a message with their marks: the
// peer of a 1:1 message, or every current member of the group but the
// sender.
func (d *DB) MessageReceipts(ctx context.Context, id chat.ID) ([]chat.MessageReceipt, error) {
	m, err := loadMessage(ctx, d.rq, id, "")
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if m.ReceiverType == chat.ReceiverGroup {
		rows, err = d.rq.QueryContext(ctx, `SELECT `+userCols+`, `+coveringMarks+`
			FROM members mb JOIN users u ON u.uid = mb.uid
			WHERE mb.guid = ? AND mb.uid <> ? ORDER BY u.uid`,
			m.ConversationID, int64(id), m.ConversationID, int64(id), m.Receiver, m.Sender)
	} else {
		rows, err = d.rq.QueryContext(ctx, `SELECT `+userCols+`, `+coveringMarks+`
			FROM users u
			WHERE u.uid = ? AND u.uid <> ?`,
			m.ConversationID, int64(id), m.ConversationID, int64(id), m.Receiver, m.Sender)
	}
	if err != nil {
		return nil, fmt.Errorf("store: receipts of %d: %w", id, err)
	}
	defer rows.Close()
	var out []chat.MessageReceipt
	for rows.Next() {
		var mr chat.MessageReceipt
		u, err := scanUser(rows, &mr.DeliveredAt, &mr.ReadAt)
		if err != nil {
			return nil, fmt.Errorf("store: receipts of %d: %w", id, err)
		}
		mr.User = u
		out = append(out, mr)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: receipts of %d: %w", id, err)
	}
	return out, nil
}
