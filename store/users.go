package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cometterm/chat"
)

// userCols are the users columns scanUser reads, in order.
const userCols = `u.uid, u.name, u.avatar, u.link, u.role, u.status_message, u.metadata, u.tags,
	u.last_active_at, u.created_at, u.updated_at, u.deactivated_at`

type scanner interface{ Scan(dest ...any) error }

// scanUser reads userCols followed by any extra destinations.
func scanUser(s scanner, extra ...any) (chat.User, error) {
	var u chat.User
	var meta, tags string
	dest := append([]any{&u.UID, &u.Name, &u.Avatar, &u.Link, &u.Role, &u.StatusMessage,
		&meta, &tags, &u.LastActiveAt, &u.CreatedAt, &u.UpdatedAt, &u.DeactivatedAt}, extra...)
	if err := s.Scan(dest...); err != nil {
		return chat.User{}, err
	}
	var err error
	if u.Metadata, err = decodeMap(meta); err != nil {
		return chat.User{}, err
	}
	if u.Tags, err = decodeTags(tags); err != nil {
		return chat.User{}, err
	}
	// Live presence is the hub's business; the store only knows offline.
	u.Status = chat.StatusOffline
	return u, nil
}

func getUser(ctx context.Context, q querier, uid string, withDeactivated bool) (chat.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.uid = ?`, uid))
	if err != nil {
		return chat.User{}, notFound(err, errUID(uid), "user "+uid)
	}
	if u.DeactivatedAt != 0 && !withDeactivated {
		return chat.User{}, errUID(uid)
	}
	return u, nil
}

// CreateUser stores a new user. Role defaults to "default".
func (d *DB) CreateUser(ctx context.Context, u chat.User) (chat.User, error) {
	if u.UID == "" {
		return chat.User{}, chat.FieldError("uid", "The uid field is required.")
	}
	if u.Role == "" {
		u.Role = chat.DefaultRole
	}
	meta, err := jsonText(u.Metadata)
	if err != nil {
		return chat.User{}, chat.FieldError("metadata", "The metadata must be a JSON object.")
	}
	var out chat.User
	err = d.tx(ctx, func(t querier) error {
		res, err := t.ExecContext(ctx, `
			INSERT INTO users (uid, name, avatar, link, role, status_message, metadata, tags,
				last_active_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uid) DO NOTHING`,
			u.UID, u.Name, u.Avatar, u.Link, u.Role, u.StatusMessage, meta, tagsText(u.Tags),
			u.LastActiveAt, u.CreatedAt, u.UpdatedAt)
		if err != nil {
			return fmt.Errorf("store: create user %s: %w", u.UID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.Errorf(chat.ErrUIDAlreadyExists, "The user with uid %s already exists.", u.UID)
		}
		out, err = getUser(ctx, t, u.UID, true)
		return err
	})
	return out, err
}

// User returns one user; deactivated users are not found unless asked for.
func (d *DB) User(ctx context.Context, uid string, withDeactivated bool) (chat.User, error) {
	return getUser(ctx, d.rq, uid, withDeactivated)
}

// UpdateUser applies p to an active user.
func (d *DB) UpdateUser(ctx context.Context, uid string, p chat.UserPatch, at int64) (chat.User, error) {
	var out chat.User
	err := d.tx(ctx, func(t querier) error {
		u, err := getUser(ctx, t, uid, false)
		if err != nil {
			return err
		}
		applyUserPatch(&u, p)
		u.UpdatedAt = at
		meta, err := jsonText(u.Metadata)
		if err != nil {
			return chat.FieldError("metadata", "The metadata must be a JSON object.")
		}
		_, err = t.ExecContext(ctx, `
			UPDATE users SET name = ?, avatar = ?, link = ?, role = ?, status_message = ?,
				metadata = ?, tags = ?, updated_at = ?
			WHERE uid = ?`,
			u.Name, u.Avatar, u.Link, u.Role, u.StatusMessage, meta, tagsText(u.Tags), u.UpdatedAt, uid)
		if err != nil {
			return fmt.Errorf("store: update user %s: %w", uid, err)
		}
		out = u
		return nil
	})
	return out, err
}

func applyUserPatch(u *chat.User, p chat.UserPatch) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.Name, p.Name)
	set(&u.Avatar, p.Avatar)
	set(&u.Link, p.Link)
	set(&u.Role, p.Role)
	set(&u.StatusMessage, p.StatusMessage)
	if p.Metadata != nil {
		u.Metadata = p.Metadata
	}
	if p.SetTags {
		u.Tags = p.Tags
	}
	for _, f := range p.Unset {
		switch f {
		case "avatar":
			u.Avatar = ""
		case "link":
			u.Link = ""
		case "metadata":
			u.Metadata = nil
		}
	}
	if u.Role == "" {
		u.Role = chat.DefaultRole
	}
}

// DeleteUser removes a user with their tokens, memberships, marks,
// reactions, blocks, friendships and keys. Their messages stay, carrying
// the sender entity they were sent with.
func (d *DB) DeleteUser(ctx context.Context, uid string) error {
	// The user's memberships go by cascade, from groups not named here.
	return d.changeAllMembers(func() error {
		res, err := d.w.ExecContext(ctx, `DELETE FROM users WHERE uid = ?`, uid)
		if err != nil {
			return fmt.Errorf("store: delete user %s: %w", uid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errUID(uid)
		}
		return nil
	})
}

// ListUsers lists users by name. q.Status is live presence, which only the
// real-time hub knows: the store ignores it, and the caller filters (for
// example by passing the online uids in q.UIDs).
func (d *DB) ListUsers(ctx context.Context, q chat.UserQuery) ([]chat.User, int, error) {
	return d.listUsers(ctx, q, nil)
}

// listUsers runs a user query, with extra conditions on the users row u
// for friend lists.
func (d *DB) listUsers(ctx context.Context, q chat.UserQuery, extra *where) ([]chat.User, int, error) {
	limit, offset, err := pageBounds(q.Page)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if extra != nil {
		w.conds = append(w.conds, extra.conds...)
		w.args = append(w.args, extra.args...)
	}
	switch {
	case q.OnlyDeactivated:
		w.add(`u.deactivated_at <> 0`)
	case !q.WithDeactivated:
		w.add(`u.deactivated_at = 0`)
	}
	if q.SearchKey != "" {
		in := q.SearchIn
		if len(in) == 0 {
			in = []string{"uid", "name"}
		}
		var conds []string
		var args []any
		for _, f := range in {
			switch f {
			case "uid":
				conds = append(conds, `u.uid LIKE ? ESCAPE '\'`)
			case "name":
				conds = append(conds, `u.name LIKE ? ESCAPE '\'`)
			default:
				return nil, 0, chat.FieldError("searchIn", "searchIn may only name uid and name.")
			}
			args = append(args, likePrefix(q.SearchKey))
		}
		w.add("("+strings.Join(conds, " OR ")+")", args...)
	}
	if len(q.Roles) > 0 {
		w.add(`u.role IN (`+placeholders(len(q.Roles))+`)`, anys(q.Roles)...)
	}
	if len(q.Tags) > 0 {
		w.add(`EXISTS (SELECT 1 FROM json_each(u.tags) WHERE value IN (`+placeholders(len(q.Tags))+`))`, anys(q.Tags)...)
	}
	if len(q.UIDs) > 0 {
		w.add(`u.uid IN (`+placeholders(len(q.UIDs))+`)`, anys(q.UIDs)...)
	}

	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*) FROM users u`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count users: %w", err)
	}
	args := append([]any{q.Asker, q.Asker}, w.args...)
	args = append(args, limit, offset)
	rows, err := d.rq.QueryContext(ctx, `
		SELECT `+userCols+`,
			coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = ? AND b.blocked = u.uid), 0),
			coalesce((SELECT b.blocked_at FROM blocks b WHERE b.uid = u.uid AND b.blocked = ?), 0)
		FROM users u`+w.sql()+`
		ORDER BY u.name COLLATE NOCASE, u.uid LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []chat.User
	for rows.Next() {
		var byMe, hasMe int64
		u, err := scanUser(rows, &byMe, &hasMe)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list users: %w", err)
		}
		if !q.WithTags {
			u.Tags = nil
		}
		if q.Asker != "" {
			fillRelative(&u, q.Asker, byMe, hasMe)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list users: %w", err)
	}
	return out, total, nil
}

// fillRelative sets the fields of u that depend on who is asking.
func fillRelative(u *chat.User, asker string, blockedByMeAt, hasBlockedMeAt int64) {
	if u.UID != asker {
		u.ConversationID = chat.UserConversationID(asker, u.UID)
	}
	u.BlockedByMe = blockedByMeAt != 0
	u.BlockedByMeAt = blockedByMeAt
	u.HasBlockedMe = hasBlockedMeAt != 0
	u.BlockedAt = hasBlockedMeAt
}

// SetDeactivated deactivates or reactivates users and returns the listed
// uids that exist and are now in the requested state (unknown uids are
// skipped), in the order given.
func (d *DB) SetDeactivated(ctx context.Context, uids []string, deactivated bool, at int64) ([]string, error) {
	var out []string
	err := d.tx(ctx, func(t querier) error {
		out = nil
		for _, uid := range uids {
			if slices.Contains(out, uid) {
				continue
			}
			var res sql.Result
			var err error
			if deactivated {
				res, err = t.ExecContext(ctx,
					`UPDATE users SET deactivated_at = CASE WHEN deactivated_at = 0 THEN ? ELSE deactivated_at END WHERE uid = ?`,
					at, uid)
			} else {
				res, err = t.ExecContext(ctx, `UPDATE users SET deactivated_at = 0 WHERE uid = ?`, uid)
			}
			if err != nil {
				return fmt.Errorf("store: set deactivated %s: %w", uid, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				out = append(out, uid)
			}
		}
		return nil
	})
	return out, err
}

// SetLastActive records activity; the mark never moves backwards.
func (d *DB) SetLastActive(ctx context.Context, uid string, at int64) error {
	res, err := d.w.ExecContext(ctx, `UPDATE users SET last_active_at = max(last_active_at, ?) WHERE uid = ?`, at, uid)
	if err != nil {
		return fmt.Errorf("store: set last active %s: %w", uid, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errUID(uid)
	}
	return nil
}
