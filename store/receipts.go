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

// Statements of moveMarks, kept constant so that the receipt batcher runs
// them prepared.
const (
	selectMarks = `SELECT delivered_upto, read_upto FROM conversations WHERE uid = ? AND conversation_id = ?`
	fillMarks   = `INSERT INTO receipts (message_id, uid, delivered_at, read_at)
		SELECT id, ?, ?, ? FROM messages
		WHERE conversation_id = ? AND id > ? AND id <= ? AND sender <> ?
		ON CONFLICT (message_id, uid) DO UPDATE SET
			delivered_at = CASE WHEN delivered_at = 0 THEN excluded.delivered_at ELSE delivered_at END,
			read_at = CASE WHEN read_at = 0 THEN excluded.read_at ELSE read_at END`
	moveDelivered = `UPDATE conversations SET delivered_upto = max(delivered_upto, ?)
		WHERE uid = ? AND conversation_id = ?`
	// moveRead sets the read mark and recounts the stored unread messages
	// after it, as recountUnread does: delivered, read mark, conversation
	// id, read mark, conversation id, uid, uid, conversation id.
	moveRead = `UPDATE conversations SET delivered_upto = max(delivered_upto, ?), read_upto = ?,
		unread = (SELECT count(*) FROM messages m
			WHERE m.conversation_id = ? AND m.id > ? AND m.id <= ` + countedUptoSQL + ` AND ` + unreadSQL + `)
		WHERE uid = ? AND conversation_id = ?`
)

// marks are a reader's delivered_upto and read_upto in a conversation.
type marks struct{ delivered, read int64 }

// moveMarks advances uid's marks in a conversation to upTo and fills the
// receipts of the messages passed.
func moveMarks(ctx context.Context, t querier, uid, conversationID string, upTo chat.ID, at int64, read bool) error {
	var mk marks
	err := t.QueryRowContext(ctx, selectMarks, uid, conversationID).Scan(&mk.delivered, &mk.read)
	if errors.Is(err, sql.ErrNoRows) {
		if err := ensureConversation(ctx, t, uid, conversationID, at); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("store: marks of %s in %s: %w", uid, conversationID, err)
	}
	return advanceMarks(ctx, t, uid, conversationID, upTo, at, read, mk, upTo)
}

// advanceMarks moves uid's marks mk (the conversation row exists) to upTo,
// filling the receipts of the messages passed up to fillTo, and for a read
// recounts the unread messages.
func advanceMarks(ctx context.Context, t querier, uid, conversationID string, upTo chat.ID, at int64, read bool,
	mk marks, fillTo chat.ID) error {
	from, readAt := mk.delivered, int64(0)
	if read {
		from, readAt = mk.read, at
	}
	if from < int64(fillTo) {
		_, err := t.ExecContext(ctx, fillMarks, uid, at, readAt, conversationID, from, int64(fillTo), uid)
		if err != nil {
			return fmt.Errorf("store: fill receipts of %s in %s: %w", uid, conversationID, err)
		}
	}
	var err error
	if read {
		newRead := max(mk.read, int64(upTo))
		_, err = t.ExecContext(ctx, moveRead, int64(upTo), newRead, conversationID, newRead, conversationID, uid,
			uid, conversationID)
	} else if mk.delivered < int64(upTo) {
		_, err = t.ExecContext(ctx, moveDelivered, int64(upTo), uid, conversationID)
	}
	if err != nil {
		return fmt.Errorf("store: move marks of %s in %s: %w", uid, conversationID, err)
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
// stays with the reply. The result's Message has the addressing fields
// only (ID, Sender, Receiver, ReceiverType, ConversationID, ParentID).
func (d *DB) Receipt(ctx context.Context, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error) {
	if typ != chat.ReceiptDelivered && typ != chat.ReceiptRead {
		return chat.ReceiptResult{}, chat.FieldError("action", "A receipt is delivered or read.")
	}
	return d.receipts.do(ctx, receiptCall{uid: uid, id: id, typ: typ, at: at})
}

// receiptLook reads in one statement what recording a receipt needs: the
// message's addressing, whether the reader (bound thrice) is a current
// member of its group, the reader's receipt on it and the reader's marks
// in its conversation (-1 without a conversation row).
const receiptLook = `SELECT m.sender, m.receiver, m.receiver_type, m.conversation_id, coalesce(m.parent_id, 0),
	m.receiver_type = 'user' OR EXISTS (SELECT 1 FROM members mb WHERE mb.guid = m.receiver AND mb.uid = ?),
	coalesce(r.delivered_at, 0), coalesce(r.read_at, 0),
	coalesce(c.delivered_upto, -1), coalesce(c.read_upto, -1)
	FROM messages m
	LEFT JOIN receipts r ON r.message_id = m.id AND r.uid = ?
	LEFT JOIN conversations c ON c.uid = ? AND c.conversation_id = m.conversation_id
	WHERE m.id = ?`

// receiptTarget is a message as receiptLook reads it for one reader.
type receiptTarget struct {
	m               chat.Message // addressing fields only
	delivered, read int64        // the reader's receipt on it, 0 for none
	marks           marks        // the reader's marks, -1 without a conversation row
}

// receiptCheck is the read-only half of recording a receipt: it finds the
// message, checks the reader may see it (canSee's rule) and tells whether
// the receipt is new. Only a new receipt needs receiptWrite.
func receiptCheck(ctx context.Context, q querier, uid string, id chat.ID, typ chat.ReceiptType) (chat.ReceiptResult, receiptTarget, error) {
	tg := receiptTarget{m: chat.Message{ID: id}}
	m := &tg.m
	var ok bool
	err := q.QueryRowContext(ctx, receiptLook, uid, uid, uid, int64(id)).Scan(&m.Sender, &m.Receiver, &m.ReceiverType,
		&m.ConversationID, &m.ParentID, &ok, &tg.delivered, &tg.read, &tg.marks.delivered, &tg.marks.read)
	if err != nil {
		return chat.ReceiptResult{}, tg, notFound(err, errMessageID(id), "message")
	}
	if m.ReceiverType == chat.ReceiverUser {
		peer, _, party := chat.SplitConversationID(m.ConversationID, uid)
		ok = party && peer != ""
	}
	if !ok {
		return chat.ReceiptResult{}, tg, errNoAccess(id)
	}
	res := chat.ReceiptResult{Message: *m}
	if m.Sender == uid {
		return res, tg, nil
	}
	res.New = tg.delivered == 0 || (typ == chat.ReceiptRead && tg.read == 0)
	return res, tg, nil
}

const upsertReceipt = `INSERT INTO receipts (message_id, uid, delivered_at, read_at)
	VALUES (?, ?, ?, ?) ON CONFLICT (message_id, uid) DO UPDATE SET
	delivered_at = excluded.delivered_at, read_at = excluded.read_at`

// Whether a receipt completes a group (deliveredToAll/readByAll) is
// decided in three steps, cheapest first: the group's member count (once
// per batch: only receipts are written in a batch, so members do not
// change), the number of receipts on the message with the column set, and
// only when those leave it open, a look at every member. Receipts of
// former members count too, so fewer receipts than members but the sender
// means some member has not delivered/read yet.
const countMembers = `SELECT count(*) FROM members WHERE guid = ?`

// countReceipts counts the receipts on a message with delivered_at, then
// with read_at set.
var countReceipts = [2]string{
	`SELECT count(*) FROM receipts WHERE message_id = ? AND delivered_at > 0`,
	`SELECT count(*) FROM receipts WHERE message_id = ? AND read_at > 0`,
}

// allReceipts tells whether every member of a group but the sender has
// the column set on a message: guid, sender, message id.
var allReceipts = [2]string{
	`SELECT NOT EXISTS (SELECT 1 FROM members mb WHERE mb.guid = ? AND mb.uid <> ? AND NOT EXISTS (
		SELECT 1 FROM receipts r WHERE r.message_id = ? AND r.uid = mb.uid AND r.delivered_at > 0))`,
	`SELECT NOT EXISTS (SELECT 1 FROM members mb WHERE mb.guid = ? AND mb.uid <> ? AND NOT EXISTS (
		SELECT 1 FROM receipts r WHERE r.message_id = ? AND r.uid = mb.uid AND r.read_at > 0))`,
}

// receiptWrite stores a new receipt that receiptCheck let through and
// completes res (All, Members). sizes caches group member counts for the
// transaction.
func receiptWrite(ctx context.Context, t querier, uid string, tg receiptTarget, typ chat.ReceiptType, at int64,
	sizes map[string]int, res *chat.ReceiptResult) error {
	m, id := &tg.m, tg.m.ID
	isRead := typ == chat.ReceiptRead
	delivered, readAt := tg.delivered, tg.read
	if delivered == 0 {
		delivered = at
	}
	if isRead {
		readAt = at
	}
	if _, err := t.ExecContext(ctx, upsertReceipt, int64(id), uid, delivered, readAt); err != nil {
		return fmt.Errorf("store: store receipt of %s on %d: %w", uid, id, err)
	}
	if m.ParentID == 0 {
		mk := tg.marks
		if mk.delivered < 0 {
			if err := ensureConversation(ctx, t, uid, m.ConversationID, at); err != nil {
				return err
			}
			mk = marks{}
		}
		// The messages before this one count as delivered/read too.
		if err := advanceMarks(ctx, t, uid, m.ConversationID, id, at, isRead, mk, id-1); err != nil {
			return err
		}
	}
	if m.ReceiverType != chat.ReceiverGroup {
		return nil
	}
	members, ok := sizes[m.Receiver]
	if !ok {
		if err := t.QueryRowContext(ctx, countMembers, m.Receiver).Scan(&members); err != nil {
			return fmt.Errorf("store: members of %s: %w", m.Receiver, err)
		}
		sizes[m.Receiver] = members
	}
	res.Members = members
	col := 0
	if isRead {
		col = 1
	}
	var done int
	if err := t.QueryRowContext(ctx, countReceipts[col], int64(id)).Scan(&done); err != nil {
		return fmt.Errorf("store: receipts on %d: %w", id, err)
	}
	if done < members-1 {
		return nil
	}
	err := t.QueryRowContext(ctx, allReceipts[col], m.Receiver, m.Sender, int64(id)).Scan(&res.All)
	if err != nil {
		return fmt.Errorf("store: receipts on %d: %w", id, err)
	}
	return nil
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
