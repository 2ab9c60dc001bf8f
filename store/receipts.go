package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"cometterm/chat"
)

// Marks: a user's conversation row holds "delivered up to" and "read up
// to" message ids; the times go with the messages. A mark that moves
// covers every message it passes (other people's messages only), so that
// message info and myReceipt agree with the conversation marks.
//
// In a 1:1 conversation a move fills a receipt row for every message it
// passes. In a group that would be a row per member and message (a busy
// group's members each cover dozens of messages a second), so a move
// records the span it passed instead: one mark_spans row (after, upto] of
// its kind with its time. A reader's delivered and read times for a group
// message are then their own receipt row's where it has them, else those
// of the spans that hold it (see coveredAt); this gives what the fill
// gave. Receipt rows stay where the fill's result needs them: the message
// a receipt names, the last message a REST mark passes and the last one
// that stays read when marking unread cuts a span (keepLastRow). Each is a
// row the fill would have written, with the same times, so message info
// (coveringMarks: a reader's earliest receipt at or after a message) is
// the same without the others as long as receipt times do not go back.
//
// Spans of one kind never overlap and end at or before the reader's mark
// of that kind. A read span also counts as delivered where no delivered
// span holds the message (the fill gave those messages their delivered
// time with the read), so marking unread turns the part of a read span it
// cuts into delivered spans where none holds it.

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
		return moveMarks(ctx, t, uid, conversationID, isGroupConversation(conversationID, uid), upTo, at, read)
	})
}

// isGroupConversation tells a group's conversation from a 1:1 one.
func isGroupConversation(conversationID, uid string) bool {
	_, rt, _ := chat.SplitConversationID(conversationID, uid)
	return rt == chat.ReceiverGroup
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
	// fillMarks fills the receipt rows of a 1:1 conversation.
	fillMarks = `INSERT INTO receipts (message_id, uid, delivered_at, read_at)
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
	// insertSpan records a span of a group conversation's messages that a
	// mark passed: uid, conversation id, kind, after, upto, time.
	insertSpan = `INSERT INTO mark_spans (uid, conversation_id, kind, after_id, upto_id, at) VALUES (?, ?, ?, ?, ?, ?)`
)

// The kinds of mark_spans.
const (
	spanDelivered = 0
	spanRead      = 1
)

// spanAt is the SQL for the time of a reader's span of a kind that holds
// a message, 0 for none: the first span ending at or after the message,
// if it starts before it (spans of a kind do not overlap). uid, cid and id
// are SQL expressions.
func spanAt(kind int, uid, cid, id string) string {
	return fmt.Sprintf(`coalesce((SELECT CASE WHEN s.after_id < %[4]s THEN s.at ELSE 0 END FROM mark_spans s
		WHERE s.uid = %[2]s AND s.conversation_id = %[3]s AND s.kind = %[1]d AND s.upto_id >= %[4]s
		ORDER BY s.upto_id LIMIT 1), 0)`, kind, uid, cid, id)
}

// coveredAt is the SQL for a reader's delivered (read false) or read time
// of a group message from the spans alone: for delivered, the delivered
// span that holds it, else the read span.
func coveredAt(read bool, uid, cid, id string) string {
	if read {
		return spanAt(spanRead, uid, cid, id)
	}
	return `coalesce(nullif(` + spanAt(spanDelivered, uid, cid, id) + `, 0), ` + spanAt(spanRead, uid, cid, id) + `)`
}

// keepLastRow writes the receipt row of the last message in (after, upto]
// of a group conversation that is not the reader's, as the fill would have
// left it: its own times where it has them, else the spans'. Arguments:
// conversation id, after, upto, uid.
var keepLastRow = `INSERT INTO receipts (message_id, uid, delivered_at, read_at)
	SELECT x.id, ?4, ` + coveredAt(false, "?4", "?1", "x.id") + `, ` + coveredAt(true, "?4", "?1", "x.id") + `
	FROM (SELECT id FROM messages WHERE conversation_id = ?1 AND id > ?2 AND id <= ?3 AND sender <> ?4
		ORDER BY id DESC LIMIT 1) x
	WHERE true
	ON CONFLICT (message_id, uid) DO UPDATE SET
		delivered_at = CASE WHEN delivered_at = 0 THEN excluded.delivered_at ELSE delivered_at END,
		read_at = CASE WHEN read_at = 0 THEN excluded.read_at ELSE read_at END`

// marks are a reader's delivered_upto and read_upto in a conversation.
type marks struct{ delivered, read int64 }

// moveMarks advances uid's marks in a conversation to upTo and covers the
// messages passed.
func moveMarks(ctx context.Context, t querier, uid, conversationID string, group bool, upTo chat.ID, at int64, read bool) error {
	var mk marks
	err := t.QueryRowContext(ctx, selectMarks, uid, conversationID).Scan(&mk.delivered, &mk.read)
	if errors.Is(err, sql.ErrNoRows) {
		if err := ensureConversation(ctx, t, uid, conversationID, at); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("store: marks of %s in %s: %w", uid, conversationID, err)
	}
	return advanceMarks(ctx, t, uid, conversationID, group, upTo, at, read, mk, upTo)
}

// advanceMarks moves uid's marks mk (the conversation row exists) to upTo,
// covering the messages passed up to fillTo, and for a read recounts the
// unread messages. A receipt covers up to the message before the one it
// names (its own row holds that one); a REST mark covers up to upTo.
func advanceMarks(ctx context.Context, t querier, uid, conversationID string, group bool, upTo chat.ID, at int64,
	read bool, mk marks, fillTo chat.ID) error {
	from, readAt, kind := mk.delivered, int64(0), spanDelivered
	if read {
		from, readAt, kind = mk.read, at, spanRead
	}
	if from < int64(fillTo) {
		var err error
		if !group {
			_, err = t.ExecContext(ctx, fillMarks, uid, at, readAt, conversationID, from, int64(fillTo), uid)
		} else {
			_, err = t.ExecContext(ctx, insertSpan, uid, conversationID, kind, from, int64(fillTo), at)
			if err == nil && fillTo == upTo {
				_, err = t.ExecContext(ctx, keepLastRow, conversationID, from, int64(fillTo), uid)
			}
		}
		if err != nil {
			return fmt.Errorf("store: cover receipts of %s in %s: %w", uid, conversationID, err)
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
		if isGroupConversation(conversationID, uid) {
			if err := cutReadSpans(ctx, t, uid, conversationID, int64(from)); err != nil {
				return err
			}
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

// span is a mark_spans row: the messages (after, upto] at a time.
type span struct{ after, upto, at int64 }

// cutReadSpans ends uid's read spans in a group conversation before
// message from, for marking unread from there: the messages from on are
// no longer read, but stay delivered, so the cut parts become delivered
// spans where none holds them. The last message that stays read in a cut
// span gets its receipt row (keepLastRow), since the row that carried the
// span's time for message info (the named message's) is cleared.
func cutReadSpans(ctx context.Context, t querier, uid, conversationID string, from int64) error {
	fail := func(err error) error {
		return fmt.Errorf("store: cut read spans of %s in %s: %w", uid, conversationID, err)
	}
	keep := from - 1
	cut, err := loadSpans(ctx, t, `SELECT after_id, upto_id, at FROM mark_spans
		WHERE uid = ? AND conversation_id = ? AND kind = 1 AND upto_id >= ? ORDER BY upto_id`,
		uid, conversationID, keep)
	if err != nil {
		return fail(err)
	}
	if len(cut) == 0 {
		return nil
	}
	if cut[0].after < keep {
		if _, err := t.ExecContext(ctx, keepLastRow, conversationID, cut[0].after, keep, uid); err != nil {
			return fail(err)
		}
	}
	for i := range cut {
		cut[i].after = max(cut[i].after, keep)
	}
	if cut[0].after >= cut[0].upto {
		cut = cut[1:] // it ended at from-1: nothing cut
	}
	if len(cut) == 0 {
		return nil
	}
	held, err := loadSpans(ctx, t, `SELECT after_id, upto_id, at FROM mark_spans
		WHERE uid = ? AND conversation_id = ? AND kind = 0 AND upto_id > ? AND after_id < ? ORDER BY upto_id`,
		uid, conversationID, keep, cut[len(cut)-1].upto)
	if err != nil {
		return fail(err)
	}
	for _, c := range cut {
		for _, g := range gaps(c.after, c.upto, held) {
			if _, err := t.ExecContext(ctx, insertSpan, uid, conversationID, spanDelivered, g.after, g.upto, c.at); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM mark_spans WHERE uid = ? AND conversation_id = ? AND kind = 1
		AND upto_id > ? AND after_id >= ?`, uid, conversationID, keep, keep); err != nil {
		return fail(err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE mark_spans SET upto_id = ? WHERE uid = ? AND conversation_id = ? AND kind = 1
		AND upto_id > ?`, keep, uid, conversationID, keep); err != nil {
		return fail(err)
	}
	return nil
}

func loadSpans(ctx context.Context, q querier, query string, args ...any) ([]span, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []span
	for rows.Next() {
		var s span
		if err := rows.Scan(&s.after, &s.upto, &s.at); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// gaps returns the parts of (after, upto] that none of held (spans in
// order that do not overlap) holds.
func gaps(after, upto int64, held []span) []span {
	var out []span
	cur := after
	i, _ := slices.BinarySearchFunc(held, cur, func(s span, at int64) int { return cmp.Compare(s.upto, at+1) })
	for ; i < len(held) && cur < upto; i++ {
		h := held[i]
		if h.after >= upto {
			break
		}
		if h.after > cur {
			out = append(out, span{after: cur, upto: h.after})
		}
		cur = max(cur, h.upto)
	}
	if cur < upto {
		out = append(out, span{after: cur, upto: upto})
	}
	return out
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
// message's addressing, whether the reader (?1) is a current member of its
// group, the reader's delivered and read times for it (in a group, those
// of the spans that hold it where the reader has no receipt row of their
// own) and the reader's marks in its conversation (-1 without a
// conversation row).
var receiptLook = `SELECT m.sender, m.receiver, m.receiver_type, m.conversation_id, coalesce(m.parent_id, 0),
	m.receiver_type = 'user' OR EXISTS (SELECT 1 FROM members mb WHERE mb.guid = m.receiver AND mb.uid = ?1),
	CASE WHEN coalesce(r.delivered_at, 0) = 0 AND m.receiver_type = 'group'
		THEN ` + coveredAt(false, "?1", "m.conversation_id", "m.id") + ` ELSE coalesce(r.delivered_at, 0) END,
	CASE WHEN coalesce(r.read_at, 0) = 0 AND m.receiver_type = 'group'
		THEN ` + coveredAt(true, "?1", "m.conversation_id", "m.id") + ` ELSE coalesce(r.read_at, 0) END,
	coalesce(c.delivered_upto, -1), coalesce(c.read_upto, -1)
	FROM messages m
	LEFT JOIN receipts r ON r.message_id = m.id AND r.uid = ?1
	LEFT JOIN conversations c ON c.uid = ?1 AND c.conversation_id = m.conversation_id
	WHERE m.id = ?2`

// receiptTarget is a message as receiptLook reads it for one reader.
type receiptTarget struct {
	m               chat.Message // addressing fields only
	delivered, read int64        // the reader's times for it, 0 for none
	marks           marks        // the reader's marks, -1 without a conversation row
}

// receiptCheck is the read-only half of recording a receipt: it finds the
// message, checks the reader may see it (canSee's rule) and tells whether
// the receipt is new. Only a new receipt needs receiptWrite.
func receiptCheck(ctx context.Context, q querier, uid string, id chat.ID, typ chat.ReceiptType) (chat.ReceiptResult, receiptTarget, error) {
	tg := receiptTarget{m: chat.Message{ID: id}}
	m := &tg.m
	var ok bool
	err := q.QueryRowContext(ctx, receiptLook, uid, int64(id)).Scan(&m.Sender, &m.Receiver, &m.ReceiverType,
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
// change), the number of conversation rows whose mark has reached the
// message, and only when those leave it open, a look at every member. A
// member who has delivered/read a message has their mark at or past it, or
// (for a reply, whose receipts move no mark) a receipt row on it; rows of
// former members count too, so fewer than members but the sender means
// some member has not delivered/read it yet. The converse does not hold (a
// member's marks start at the group's latest message when they join),
// hence the last step.
const countMembers = `SELECT coalesce((SELECT members_count FROM groups WHERE guid = ?), 0)`

// countMarked counts the conversation rows whose delivered, then read mark
// is at or past a message (through conversations_marks; a read mark is
// never past the delivered one): conversation id, message id.
var countMarked = [2]string{
	`SELECT count(*) FROM conversations WHERE conversation_id = ?1 AND delivered_upto >= ?2`,
	`SELECT count(*) FROM conversations WHERE conversation_id = ?1 AND delivered_upto >= ?2 AND read_upto >= ?2`,
}

// countReceipts counts the receipts on a message with delivered_at, then
// with read_at set.
var countReceipts = [2]string{
	`SELECT count(*) FROM receipts WHERE message_id = ? AND delivered_at > 0`,
	`SELECT count(*) FROM receipts WHERE message_id = ? AND read_at > 0`,
}

// allReceipts tells whether every member of a group but the sender has
// delivered, then read a message: by their receipt row on it or a span
// that holds it. guid, sender, conversation id, message id.
var allReceipts = [2]string{
	`SELECT NOT EXISTS (SELECT 1 FROM members mb WHERE mb.guid = ?1 AND mb.uid <> ?2
		AND coalesce((SELECT r.delivered_at FROM receipts r WHERE r.message_id = ?4 AND r.uid = mb.uid), 0) = 0
		AND ` + coveredAt(false, "mb.uid", "?3", "?4") + ` = 0)`,
	`SELECT NOT EXISTS (SELECT 1 FROM members mb WHERE mb.guid = ?1 AND mb.uid <> ?2
		AND coalesce((SELECT r.read_at FROM receipts r WHERE r.message_id = ?4 AND r.uid = mb.uid), 0) = 0
		AND ` + coveredAt(true, "mb.uid", "?3", "?4") + ` = 0)`,
}

// receiptWrite stores a new receipt that receiptCheck let through and
// completes res (All, Members). sizes caches group member counts for the
// transaction.
func receiptWrite(ctx context.Context, t querier, uid string, tg receiptTarget, typ chat.ReceiptType, at int64,
	sizes map[string]int, res *chat.ReceiptResult) error {
	m, id := &tg.m, tg.m.ID
	isRead := typ == chat.ReceiptRead
	group := m.ReceiverType == chat.ReceiverGroup
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
		if err := advanceMarks(ctx, t, uid, m.ConversationID, group, id, at, isRead, mk, id-1); err != nil {
			return err
		}
	}
	if !group {
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
	if err := t.QueryRowContext(ctx, countMarked[col], m.ConversationID, int64(id)).Scan(&done); err != nil {
		return fmt.Errorf("store: marks on %d: %w", id, err)
	}
	if m.ParentID != 0 {
		var named int
		if err := t.QueryRowContext(ctx, countReceipts[col], int64(id)).Scan(&named); err != nil {
			return fmt.Errorf("store: receipts on %d: %w", id, err)
		}
		done += named
	}
	if done < members-1 {
		return nil
	}
	err := t.QueryRowContext(ctx, allReceipts[col], m.Receiver, m.Sender, m.ConversationID, int64(id)).Scan(&res.All)
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
