package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cometterm/chat"
)

const (
	defaultReactionLimit = 10
	maxReactionLimit     = 100
)

// AddReaction records uid's reaction on a message uid can see. Adding the
// same reaction twice returns the first one unchanged. A message carries at
// most chat.MaxReactions distinct reactions.
func (d *DB) AddReaction(ctx context.Context, id chat.ID, uid, reaction string, at int64) (chat.Reaction, chat.Message, error) {
	if err := chat.ValidateReaction(reaction); err != nil {
		return chat.Reaction{}, chat.Message{}, err
	}
	var r chat.Reaction
	var m chat.Message
	err := d.tx(ctx, func(t querier) error {
		if _, err := visibleMessage(ctx, t, id, uid); err != nil {
			return err
		}
		u, err := getUser(ctx, t, uid, false)
		if err != nil {
			return err
		}
		var distinct int
		var known bool
		err = t.QueryRowContext(ctx, `SELECT count(DISTINCT reaction), coalesce(max(reaction = ?), 0)
			FROM reactions WHERE message_id = ?`, reaction, int64(id)).Scan(&distinct, &known)
		if err != nil {
			return fmt.Errorf("store: count reactions on %d: %w", id, err)
		}
		if !known && distinct >= chat.MaxReactions {
			return chat.Errorf(chat.ErrTooManyReactions, "A message may carry at most %d different reactions.", chat.MaxReactions)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO reactions (message_id, uid, reaction, reacted_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (message_id, uid, reaction) DO NOTHING`,
			int64(id), uid, reaction, at); err != nil {
			return fmt.Errorf("store: add reaction on %d: %w", id, err)
		}
		if r, err = getReaction(ctx, t, id, uid, reaction); err != nil {
			return err
		}
		r.ReactedBy = &u
		m, err = loadMessage(ctx, t, id, uid)
		return err
	})
	return r, m, err
}

// RemoveReaction takes back uid's reaction.
func (d *DB) RemoveReaction(ctx context.Context, id chat.ID, uid, reaction string) (chat.Reaction, chat.Message, error) {
	var r chat.Reaction
	var m chat.Message
	err := d.tx(ctx, func(t querier) error {
		if _, err := visibleMessage(ctx, t, id, uid); err != nil {
			return err
		}
		var err error
		if r, err = getReaction(ctx, t, id, uid, reaction); err != nil {
			return err
		}
		if u, err := getUser(ctx, t, uid, true); err == nil {
			r.ReactedBy = &u
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM reactions WHERE id = ?`, int64(r.ID)); err != nil {
			return fmt.Errorf("store: remove reaction on %d: %w", id, err)
		}
		m, err = loadMessage(ctx, t, id, uid)
		return err
	})
	return r, m, err
}

func getReaction(ctx context.Context, q querier, id chat.ID, uid, reaction string) (chat.Reaction, error) {
	var r chat.Reaction
	err := q.QueryRowContext(ctx, `SELECT id, message_id, reaction, uid, reacted_at FROM reactions
		WHERE message_id = ? AND uid = ? AND reaction = ?`, int64(id), uid, reaction).
		Scan(&r.ID, &r.MessageID, &r.Reaction, &r.UID, &r.ReactedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return chat.Reaction{}, chat.Errorf(chat.ErrReactionNotFound, "There is no reaction %q by %s on message %d.", reaction, uid, id)
	}
	if err != nil {
		return chat.Reaction{}, fmt.Errorf("store: reaction on %d: %w", id, err)
	}
	return r, nil
}

// ListReactions lists a message's reactions (optionally only one kind) in
// the order they were made, after the reaction id afterID.
func (d *DB) ListReactions(ctx context.Context, id chat.ID, reaction string, afterID chat.ID, limit int) ([]chat.Reaction, error) {
	if limit < 0 || limit > maxReactionLimit {
		return nil, chat.FieldError("limit", "limit must be between 1 and %d.", maxReactionLimit)
	}
	if limit == 0 {
		limit = defaultReactionLimit
	}
	if _, err := loadMessage(ctx, d.rq, id, ""); err != nil {
		return nil, err
	}
	w := &where{}
	w.add(`r.message_id = ?`, int64(id))
	if reaction != "" {
		w.add(`r.reaction = ?`, reaction)
	}
	if afterID > 0 {
		w.add(`r.id > ?`, int64(afterID))
	}
	args := append(w.args, limit)
	rows, err := d.rq.QueryContext(ctx, `SELECT `+userCols+`, r.id, r.message_id, r.reaction, r.uid, r.reacted_at
		FROM reactions r JOIN users u ON u.uid = r.uid`+w.sql()+` ORDER BY r.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list reactions on %d: %w", id, err)
	}
	defer rows.Close()
	var out []chat.Reaction
	for rows.Next() {
		var r chat.Reaction
		u, err := scanUser(rows, &r.ID, &r.MessageID, &r.Reaction, &r.UID, &r.ReactedAt)
		if err != nil {
			return nil, fmt.Errorf("store: list reactions on %d: %w", id, err)
		}
		r.ReactedBy = &u
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list reactions on %d: %w", id, err)
	}
	return out, nil
}
