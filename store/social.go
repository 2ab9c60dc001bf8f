package store

import (
	"context"
	"fmt"

	"cometterm/chat"
)

// eachTarget runs fn for every distinct target other than uid inside one
// transaction and collects the per-target outcome: a *chat.Error from fn
// is that target's result, any other error aborts the call.
func (d *DB) eachTarget(ctx context.Context, uid string, targets []string, fn func(t querier, target string) error) (map[string]error, error) {
	var out map[string]error
	err := d.tx(ctx, func(t querier) error {
		out = make(map[string]error, len(targets))
		if _, err := getUser(ctx, t, uid, false); err != nil {
			return err
		}
		for _, target := range targets {
			if _, done := out[target]; done {
				continue
			}
			if target == uid {
				out[target] = chat.FieldError("uid", "A user cannot do this to themselves.")
				continue
			}
			if _, err := getUser(ctx, t, target, true); err != nil {
				if chat.CodeOf(err) == "" {
					return err
				}
				out[target] = err
				continue
			}
			err := fn(t, target)
			if err != nil && chat.CodeOf(err) == "" {
				return err
			}
			out[target] = err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Block makes uid block each target; blocking twice is not an error.
func (d *DB) Block(ctx context.Context, uid string, targets []string, at int64) (map[string]error, error) {
	return d.eachTarget(ctx, uid, targets, func(t querier, target string) error {
		_, err := t.ExecContext(ctx, `INSERT INTO blocks (uid, blocked, blocked_at) VALUES (?, ?, ?)
			ON CONFLICT (uid, blocked) DO NOTHING`, uid, target, at)
		if err != nil {
			return fmt.Errorf("store: %s blocks %s: %w", uid, target, err)
		}
		return nil
	})
}

// Unblock lifts uid's blocks; unblocking someone not blocked is not an
// error.
func (d *DB) Unblock(ctx context.Context, uid string, targets []string) (map[string]error, error) {
	return d.eachTarget(ctx, uid, targets, func(t querier, target string) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM blocks WHERE uid = ? AND blocked = ?`, uid, target); err != nil {
			return fmt.Errorf("store: %s unblocks %s: %w", uid, target, err)
		}
		return nil
	})
}

// ListBlocked lists the users uid blocked, who blocked uid, or both ("" is
// both), with the block times filled.
func (d *DB) ListBlocked(ctx context.Context, uid string, dir chat.BlockDirection, p chat.Page) ([]chat.User, int, error) {
	limit, offset, err := pageBounds(p)
	if err != nil {
		return nil, 0, err
	}
	var cond string
	switch dir {
	case "", chat.BlockedBoth:
		cond = `(byme <> 0 OR hasme <> 0)`
	case chat.BlockedByMe:
		cond = `byme <> 0`
	case chat.BlockedHasMe:
		cond = `hasme <> 0`
	default:
		return nil, 0, chat.FieldError("direction", "direction must be both, blockedByMe or hasBlockedMe.")
	}
	if _, err := getUser(ctx, d.rq, uid, true); err != nil {
		return nil, 0, err
	}
	const rel = `SELECT ` + userCols + `,
		coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = ?1 AND b.blocked = u.uid), 0) AS byme,
		coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = u.uid AND b.blocked = ?1), 0) AS hasme
		FROM users u WHERE u.uid <> ?1`
	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*) FROM (`+rel+`) WHERE `+cond, uid).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count blocked of %s: %w", uid, err)
	}
	rows, err := d.rq.QueryContext(ctx, `SELECT * FROM (`+rel+`) WHERE `+cond+
		` ORDER BY name COLLATE NOCASE, uid LIMIT ?2 OFFSET ?3`, uid, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list blocked of %s: %w", uid, err)
	}
	defer rows.Close()
	var out []chat.User
	for rows.Next() {
		var byMe, hasMe int64
		u, err := scanUser(rows, &byMe, &hasMe)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list blocked of %s: %w", uid, err)
		}
		fillRelative(&u, uid, byMe, hasMe)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list blocked of %s: %w", uid, err)
	}
	return out, total, nil
}

// Blocked reports whether a blocked b or b blocked a.
func (d *DB) Blocked(ctx context.Context, a, b string) (bool, error) {
	var ok bool
	err := d.rq.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blocks
		WHERE (uid = ? AND blocked = ?) OR (uid = ? AND blocked = ?))`, a, b, b, a).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: blocked %s/%s: %w", a, b, err)
	}
	return ok, nil
}

// AddFriends befriends uid and each target both ways.
func (d *DB) AddFriends(ctx context.Context, uid string, friends []string, at int64) (map[string]error, error) {
	return d.eachTarget(ctx, uid, friends, func(t querier, friend string) error {
		res, err := t.ExecContext(ctx, `INSERT INTO friends (uid, friend, created_at) VALUES (?, ?, ?), (?, ?, ?)
			ON CONFLICT (uid, friend) DO NOTHING`, uid, friend, at, friend, uid, at)
		if err != nil {
			return fmt.Errorf("store: befriend %s and %s: %w", uid, friend, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.Errorf(chat.ErrAlreadyFriend, "%s and %s are already friends.", uid, friend)
		}
		return nil
	})
}

// RemoveFriends ends friendships both ways; removing a non-friend is not
// an error.
func (d *DB) RemoveFriends(ctx context.Context, uid string, friends []string) (map[string]error, error) {
	return d.eachTarget(ctx, uid, friends, func(t querier, friend string) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM friends WHERE (uid = ? AND friend = ?) OR (uid = ? AND friend = ?)`,
			uid, friend, friend, uid); err != nil {
			return fmt.Errorf("store: unfriend %s and %s: %w", uid, friend, err)
		}
		return nil
	})
}

// ListFriends lists uid's friends with the filters of a user list.
func (d *DB) ListFriends(ctx context.Context, uid string, q chat.UserQuery) ([]chat.User, int, error) {
	if _, err := getUser(ctx, d.rq, uid, true); err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add(`u.uid IN (SELECT friend FROM friends WHERE uid = ?)`, uid)
	if q.Asker == "" {
		q.Asker = uid
	}
	return d.listUsers(ctx, q, w)
}

// FriendUIDs lists uid's friends' uids.
func (d *DB) FriendUIDs(ctx context.Context, uid string) ([]string, error) {
	return queryStrings(ctx, d.rq, `SELECT friend FROM friends WHERE uid = ? ORDER BY friend`, uid)
}
