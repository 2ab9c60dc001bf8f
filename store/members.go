package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"cometterm/chat"
)

const memberCols = userCols + `, m.guid, m.scope, m.joined_at`

func scanMember(s scanner) (chat.GroupMember, error) {
	var gm chat.GroupMember
	var scope string
	u, err := scanUser(s, &gm.GUID, &scope, &gm.JoinedAt)
	if err != nil {
		return chat.GroupMember{}, err
	}
	gm.User = u
	gm.Scope = chat.Scope(scope)
	return gm, nil
}

func getMember(ctx context.Context, q querier, guid, uid string) (chat.GroupMember, error) {
	gm, err := scanMember(q.QueryRowContext(ctx, `SELECT `+memberCols+`
		FROM members m JOIN users u ON u.uid = m.uid WHERE m.guid = ? AND m.uid = ?`, guid, uid))
	if err == nil {
		return gm, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return chat.GroupMember{}, fmt.Errorf("store: member %s of %s: %w", uid, guid, err)
	}
	if _, err := getGroup(ctx, q, guid, ""); err != nil {
		return chat.GroupMember{}, err
	}
	return chat.GroupMember{}, errNotMember(guid, uid)
}

// Member returns uid's membership of guid.
func (d *DB) Member(ctx context.Context, guid, uid string) (chat.GroupMember, error) {
	return getMember(ctx, d.rq, guid, uid)
}

// ListMembers lists a group's members in the order they joined. q.Status
// is live presence and is left to the caller, as in ListUsers.
func (d *DB) ListMembers(ctx context.Context, guid string, q chat.MemberQuery) ([]chat.GroupMember, int, error) {
	limit, offset, err := pageBounds(q.Page)
	if err != nil {
		return nil, 0, err
	}
	if _, err := getGroup(ctx, d.rq, guid, ""); err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add(`m.guid = ?`, guid)
	if len(q.Scopes) > 0 {
		for _, s := range q.Scopes {
			if !s.Valid() {
				return nil, 0, chat.FieldError("scopes", "Scopes must be admin, moderator or participant.")
			}
		}
		w.add(`m.scope IN (`+placeholders(len(q.Scopes))+`)`, anys(q.Scopes)...)
	}
	if q.SearchKey != "" {
		w.add(`(u.uid LIKE ? ESCAPE '\' OR u.name LIKE ? ESCAPE '\')`, likePrefix(q.SearchKey), likePrefix(q.SearchKey))
	}
	const from = ` FROM members m JOIN users u ON u.uid = m.uid`
	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*)`+from+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count members of %s: %w", guid, err)
	}
	args := append(w.args, limit, offset)
	rows, err := d.rq.QueryContext(ctx, `SELECT `+memberCols+from+w.sql()+
		` ORDER BY m.joined_at, m.uid LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list members of %s: %w", guid, err)
	}
	defer rows.Close()
	var out []chat.GroupMember
	for rows.Next() {
		gm, err := scanMember(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list members of %s: %w", guid, err)
		}
		out = append(out, gm)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list members of %s: %w", guid, err)
	}
	return out, total, nil
}

// MemberUIDs lists the uids of a group's current members, in order. The
// answers are cached (see memberCache) and shared: the caller reads the
// slice and never changes it (appending to it copies it).
func (d *DB) MemberUIDs(ctx context.Context, guid string) ([]string, error) {
	uids, gen, ok := d.members.get(guid)
	if ok {
		return uids, nil
	}
	// One statement, so that the group and its members come from one
	// snapshot; the members are read in key order, from the table alone.
	rows, err := d.rq.QueryContext(ctx, `SELECT m.uid FROM groups g LEFT JOIN members m ON m.guid = g.guid
		WHERE g.guid = ? ORDER BY m.uid`, guid)
	if err != nil {
		return nil, fmt.Errorf("store: members of %s: %w", guid, err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var uid sql.NullString
		if err := rows.Scan(&uid); err != nil {
			return nil, fmt.Errorf("store: members of %s: %w", guid, err)
		}
		found = true
		if uid.Valid {
			uids = append(uids, uid.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: members of %s: %w", guid, err)
	}
	if !found {
		return nil, errGUID(guid)
	}
	uids = slices.Clip(uids)
	d.members.put(guid, gen, uids)
	return uids, nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", strings.Fields(query)[1], err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("store: scan: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rows: %w", err)
	}
	return out, nil
}

// AddMember adds uid to guid; see server.Store. A new member's marks start
// at the group's latest message, so history before the join is not unread.
func (d *DB) AddMember(ctx context.Context, guid, uid string, scope chat.Scope, by string, at int64) (chat.GroupMember, chat.Message, error) {
	if !scope.Valid() {
		return chat.GroupMember{}, chat.Message{}, chat.FieldError("scope", "The scope must be admin, moderator or participant.")
	}
	var gm chat.GroupMember
	var action chat.Message
	err := d.changeMembers(ctx, guid, func(t querier) error {
		if _, err := getGroup(ctx, t, guid, ""); err != nil {
			return err
		}
		if _, err := getUser(ctx, t, uid, false); err != nil {
			return err
		}
		if banned, err := isBanned(ctx, t, guid, uid); err != nil {
			return err
		} else if banned {
			return chat.Errorf(chat.ErrBannedGroupMember, "The user %s is banned from the group %s.", uid, guid)
		}
		res, err := t.ExecContext(ctx, `INSERT INTO members (guid, uid, scope, joined_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (guid, uid) DO NOTHING`, guid, uid, string(scope), at)
		if err != nil {
			return fmt.Errorf("store: add %s to %s: %w", uid, guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.Errorf(chat.ErrAlreadyJoined, "The user %s is already a member of the group %s.", uid, guid)
		}
		cid := chat.GroupConversationID(guid)
		if err := settleGroupTime(ctx, t, guid, uid, at); err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `
			INSERT INTO conversations (uid, conversation_id, conversation_type, peer, unread,
				delivered_upto, read_upto, since_id, created_at, updated_at)
			SELECT ?, ?, 'group', ?, 0, latest, latest, latest, ?, ?
			FROM (SELECT coalesce(max(id), 0) AS latest FROM messages WHERE conversation_id = ?)
			WHERE true
			ON CONFLICT (uid, conversation_id) DO UPDATE SET unread = 0,
				delivered_upto = excluded.delivered_upto, read_upto = excluded.read_upto,
				since_id = excluded.since_id`,
			uid, cid, guid, at, at, cid)
		if err != nil {
			return fmt.Errorf("store: start conversation of %s in %s: %w", uid, guid, err)
		}
		name, on := chat.ActionAdded, uid
		if by == uid {
			name, on = chat.ActionJoined, ""
		}
		if action, err = groupAction(ctx, t, guid, name, by, on, at, nil); err != nil {
			return err
		}
		gm, err = getMember(ctx, t, guid, uid)
		return err
	})
	return gm, action, err
}

// RemoveMember takes uid out of guid because they left, were kicked or
// were banned. Banning also works on a non-member and records the scope
// they had (participant if none).
func (d *DB) RemoveMember(ctx context.Context, guid, uid string, how chat.Removal, by string, at int64) (chat.Message, error) {
	var name string
	switch how {
	case chat.RemovalLeft:
		name = chat.ActionLeft
	case chat.RemovalKicked:
		name = chat.ActionKicked
	case chat.RemovalBanned:
		name = chat.ActionBanned
	default:
		return chat.Message{}, chat.FieldError("removal", "Unknown removal %q.", how)
	}
	var action chat.Message
	err := d.changeMembers(ctx, guid, func(t querier) error {
		gm, err := getMember(ctx, t, guid, uid)
		member := err == nil
		switch {
		case member:
		case how == chat.RemovalBanned && chat.HasCode(err, chat.ErrNotAMember):
			if _, err := getUser(ctx, t, uid, true); err != nil {
				return err
			}
			gm.Scope = chat.ScopeParticipant
		default:
			return err
		}
		if how == chat.RemovalBanned {
			res, err := t.ExecContext(ctx, `INSERT INTO bans (guid, uid, scope, banned_at, banned_by)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (guid, uid) DO NOTHING`, guid, uid, string(gm.Scope), at, actorUID(by))
			if err != nil {
				return fmt.Errorf("store: ban %s from %s: %w", uid, guid, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return chat.Errorf(chat.ErrAlreadyBanned, "The user %s is already banned from the group %s.", uid, guid)
			}
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM members WHERE guid = ? AND uid = ?`, guid, uid); err != nil {
			return fmt.Errorf("store: remove %s from %s: %w", uid, guid, err)
		}
		if member {
			if err := keepGroupConversation(ctx, t, guid, uid); err != nil {
				return err
			}
		}
		on := uid
		if how == chat.RemovalLeft {
			by, on = uid, ""
		}
		action, err = groupAction(ctx, t, guid, name, by, on, at, nil)
		return err
	})
	return action, err
}

// settleGroupTime prepares a group's part for a member joining at at (see
// bumpGroup): the group's time is the latest of all its messages, but the
// joiner's conversation must only take the times of messages from now on.
// Times only go back when the clock does, so this rarely has anything to
// do: then the other members' rows keep the group's time and the group's
// starts again.
func settleGroupTime(ctx context.Context, t querier, guid, joiner string, at int64) error {
	cid := chat.GroupConversationID(guid)
	var lastAt int64
	err := t.QueryRowContext(ctx, `SELECT last_at FROM group_conversations WHERE conversation_id = ?`, cid).Scan(&lastAt)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && lastAt <= at) {
		return nil
	}
	if err == nil {
		_, err = t.ExecContext(ctx, `UPDATE conversations SET updated_at = max(updated_at, g.last_at)
			FROM group_conversations g
			WHERE g.conversation_id = ?1 AND conversations.conversation_id = ?1
				AND g.last_message_id > conversations.since_id AND conversations.uid <> ?2
				AND conversations.uid IN (SELECT uid FROM members WHERE guid = ?3)`, cid, joiner, guid)
	}
	if err == nil {
		_, err = t.ExecContext(ctx, `UPDATE group_conversations SET last_at = 0 WHERE conversation_id = ?`, cid)
	}
	if err != nil {
		return fmt.Errorf("store: settle conversation time of %s: %w", guid, err)
	}
	return nil
}

// keepGroupConversation stores in a leaving member's row what the member
// saw of the group's part (see bumpGroup), so that later messages, which
// the member does not get, do not show if they come back.
func keepGroupConversation(ctx context.Context, t querier, guid, uid string) error {
	cid := chat.GroupConversationID(guid)
	_, err := t.ExecContext(ctx, `UPDATE conversations SET
			last_message_id = max(last_message_id, coalesce((SELECT g.last_message_id FROM group_conversations g
				WHERE g.conversation_id = ?1 AND g.last_message_id > conversations.since_id), 0)),
			updated_at = max(updated_at, coalesce((SELECT g.last_at FROM group_conversations g
				WHERE g.conversation_id = ?1 AND g.last_message_id > conversations.since_id), 0)),
			since_id = (SELECT coalesce(max(id), 0) FROM messages WHERE conversation_id = ?1)
		WHERE uid = ?2 AND conversation_id = ?1`, cid, uid)
	if err != nil {
		return fmt.Errorf("store: keep conversation of %s in %s: %w", uid, guid, err)
	}
	return nil
}

// ChangeScope sets a member's scope and records scopeChanged.
func (d *DB) ChangeScope(ctx context.Context, guid, uid string, scope chat.Scope, by string, at int64) (chat.GroupMember, chat.Message, error) {
	if !scope.Valid() {
		return chat.GroupMember{}, chat.Message{}, chat.FieldError("scope", "The scope must be admin, moderator or participant.")
	}
	var gm chat.GroupMember
	var action chat.Message
	err := d.tx(ctx, func(t querier) error {
		old, err := getMember(ctx, t, guid, uid)
		if err != nil {
			return err
		}
		if old.Scope == scope {
			return chat.Errorf(chat.ErrSameScope, "The member already has the scope %s.", scope)
		}
		if _, err := t.ExecContext(ctx, `UPDATE members SET scope = ? WHERE guid = ? AND uid = ?`,
			string(scope), guid, uid); err != nil {
			return fmt.Errorf("store: change scope of %s in %s: %w", uid, guid, err)
		}
		extras := &chat.ActionExtras{Scope: &chat.ScopeChange{New: scope, Old: old.Scope}}
		if action, err = groupAction(ctx, t, guid, chat.ActionScopeChanged, by, uid, at, extras); err != nil {
			return err
		}
		gm, err = getMember(ctx, t, guid, uid)
		return err
	})
	return gm, action, err
}

// Unban lets uid join guid again.
func (d *DB) Unban(ctx context.Context, guid, uid, by string, at int64) (chat.Message, error) {
	var action chat.Message
	err := d.tx(ctx, func(t querier) error {
		if _, err := getGroup(ctx, t, guid, ""); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `DELETE FROM bans WHERE guid = ? AND uid = ?`, guid, uid)
		if err != nil {
			return fmt.Errorf("store: unban %s from %s: %w", uid, guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.Errorf(chat.ErrNotBanned, "The user %s is not banned from the group %s.", uid, guid)
		}
		action, err = groupAction(ctx, t, guid, chat.ActionUnbanned, by, uid, at, nil)
		return err
	})
	return action, err
}

func isBanned(ctx context.Context, q querier, guid, uid string) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM bans WHERE guid = ? AND uid = ?)`, guid, uid).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: ban of %s in %s: %w", uid, guid, err)
	}
	return ok, nil
}

// Banned reports whether uid is banned from guid.
func (d *DB) Banned(ctx context.Context, guid, uid string) (bool, error) {
	if _, err := getGroup(ctx, d.rq, guid, ""); err != nil {
		return false, err
	}
	return isBanned(ctx, d.rq, guid, uid)
}

// ListBanned lists the users banned from guid, most recent ban first.
func (d *DB) ListBanned(ctx context.Context, guid string, p chat.Page) ([]chat.User, int, error) {
	limit, offset, err := pageBounds(p)
	if err != nil {
		return nil, 0, err
	}
	if _, err := getGroup(ctx, d.rq, guid, ""); err != nil {
		return nil, 0, err
	}
	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*) FROM bans WHERE guid = ?`, guid).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count banned of %s: %w", guid, err)
	}
	return collectUsers(ctx, d.rq, total, `SELECT `+userCols+` FROM bans b JOIN users u ON u.uid = b.uid
		WHERE b.guid = ? ORDER BY b.banned_at DESC, u.uid LIMIT ? OFFSET ?`, guid, limit, offset)
}

// collectUsers runs a query selecting userCols and returns the users with
// total passed through.
func collectUsers(ctx context.Context, q querier, total int, query string, args ...any) ([]chat.User, int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []chat.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list users: %w", err)
	}
	return out, total, nil
}

// groupAction stores a groupMember action in the group's conversation:
// by (a user, or the system) did name to on (a uid, or "" when the action
// is by's own). The "for" group is as the affected user sees it after the
// change.
func groupAction(ctx context.Context, t querier, guid, name, by, on string, at int64, extras *chat.ActionExtras) (chat.Message, error) {
	actor, sender, err := actorUser(ctx, t, by)
	if err != nil {
		return chat.Message{}, err
	}
	ents := chat.Entities{By: chat.UserEntity(actor)}
	viewer := sender
	if on != "" {
		target, err := getUser(ctx, t, on, true)
		if err != nil {
			return chat.Message{}, err
		}
		ents.On = chat.UserEntity(target)
		viewer = on
	}
	g, err := getGroup(ctx, t, guid, viewer)
	if err != nil {
		return chat.Message{}, err
	}
	ents.For = chat.GroupEntity(g)
	return insertMessage(ctx, t, chat.Message{
		Sender:       sender,
		Receiver:     guid,
		ReceiverType: chat.ReceiverGroup,
		Category:     chat.CategoryAction,
		Type:         chat.TypeGroupMember,
		SentAt:       at,
		Data:         chat.MessageData{Action: name, Extras: extras, Entities: ents},
	}, "")
}
