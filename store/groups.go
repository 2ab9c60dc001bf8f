package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cometterm/chat"
)

// groupSelect reads a group with the view of one asker (bound twice, first
// for the ban check then for the membership join; "" for nobody).
const groupSelect = `SELECT g.guid, g.name, g.type, g.icon, g.description, g.owner, g.metadata, g.tags,
	g.created_at, g.updated_at, g.updated_by, g.members_count,
	coalesce(m.scope, ''), coalesce(m.joined_at, 0),
	EXISTS (SELECT 1 FROM bans b WHERE b.guid = g.guid AND b.uid = ?)
	FROM groups g LEFT JOIN members m ON m.guid = g.guid AND m.uid = ?`

// groupByGUIDNobody reads a group as nobody ("") sees it, the server's
// view of a post's receiver: no user has the uid "", so it leaves out the
// membership and ban lookups that could only find nothing.
const groupByGUIDNobody = `SELECT g.guid, g.name, g.type, g.icon, g.description, g.owner, g.metadata, g.tags,
	g.created_at, g.updated_at, g.updated_by, g.members_count, '', 0, false
	FROM groups g WHERE g.guid = ?`

func scanGroup(s scanner) (chat.Group, error) {
	var g chat.Group
	var meta, tags, scope string
	err := s.Scan(&g.GUID, &g.Name, &g.Type, &g.Icon, &g.Description, &g.Owner, &meta, &tags,
		&g.CreatedAt, &g.UpdatedAt, &g.UpdatedBy, &g.MembersCount, &scope, &g.JoinedAt, &g.IsBanned)
	if err != nil {
		return chat.Group{}, err
	}
	if g.Metadata, err = decodeMap(meta); err != nil {
		return chat.Group{}, err
	}
	if g.Tags, err = decodeTags(tags); err != nil {
		return chat.Group{}, err
	}
	g.Scope = chat.Scope(scope)
	g.HasJoined = scope != ""
	g.ConversationID = chat.GroupConversationID(g.GUID)
	return g, nil
}

func getGroup(ctx context.Context, q querier, guid, asker string) (chat.Group, error) {
	var row *sql.Row
	if asker == "" {
		row = q.QueryRowContext(ctx, groupByGUIDNobody, guid)
	} else {
		row = q.QueryRowContext(ctx, groupSelect+` WHERE g.guid = ?`, asker, asker, guid)
	}
	g, err := scanGroup(row)
	if err != nil {
		return chat.Group{}, notFound(err, errGUID(guid), "group "+guid)
	}
	return g, nil
}

// CreateGroup stores a group and makes its owner an admin member.
func (d *DB) CreateGroup(ctx context.Context, g chat.Group, passwordHash string) (chat.Group, error) {
	if g.GUID == "" {
		return chat.Group{}, chat.FieldError("guid", "The guid field is required.")
	}
	if _, ok := chat.ParseGroupType(string(g.Type)); !ok {
		return chat.Group{}, chat.FieldError("type", "The type must be public, password or private.")
	}
	meta, err := jsonText(g.Metadata)
	if err != nil {
		return chat.Group{}, chat.FieldError("metadata", "The metadata must be a JSON object.")
	}
	var out chat.Group
	err = d.changeMembers(ctx, g.GUID, func(t querier) error {
		if g.Owner != "" {
			if _, err := getUser(ctx, t, g.Owner, false); err != nil {
				return err
			}
		}
		res, err := t.ExecContext(ctx, `
			INSERT INTO groups (guid, name, type, password_hash, icon, description, owner, metadata, tags,
				created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guid) DO NOTHING`,
			g.GUID, g.Name, string(g.Type), passwordHash, g.Icon, g.Description, g.Owner, meta,
			tagsText(g.Tags), g.CreatedAt, g.UpdatedAt, g.UpdatedBy)
		if err != nil {
			return fmt.Errorf("store: create group %s: %w", g.GUID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.Errorf(chat.ErrGUIDAlreadyExists, "The group with guid %s already exists.", g.GUID)
		}
		if g.Owner != "" {
			if _, err := t.ExecContext(ctx, `INSERT INTO members (guid, uid, scope, joined_at) VALUES (?, ?, ?, ?)`,
				g.GUID, g.Owner, string(chat.ScopeAdmin), g.CreatedAt); err != nil {
				return fmt.Errorf("store: add owner of %s: %w", g.GUID, err)
			}
		}
		out, err = getGroup(ctx, t, g.GUID, g.Owner)
		return err
	})
	return out, err
}

// Group returns a group as asker sees it. It does not hide private groups:
// the caller needs them to answer join requests with the right error.
func (d *DB) Group(ctx context.Context, guid, asker string) (chat.Group, error) {
	return getGroup(ctx, d.rq, guid, asker)
}

// GroupPasswordHash returns the stored bcrypt hash, "" for none.
func (d *DB) GroupPasswordHash(ctx context.Context, guid string) (string, error) {
	return passwordHash(ctx, d.rq, guid)
}

// UpdateGroup applies p. A new owner must already be a member and becomes
// an admin. The password hash is dropped when the type stops being
// "password".
func (d *DB) UpdateGroup(ctx context.Context, guid string, p chat.GroupPatch, by string, at int64) (chat.Group, error) {
	var out chat.Group
	err := d.tx(ctx, func(t querier) error {
		g, err := getGroup(ctx, t, guid, "")
		if err != nil {
			return err
		}
		hash, err := passwordHash(ctx, t, guid)
		if err != nil {
			return err
		}
		set := func(dst *string, src *string) {
			if src != nil {
				*dst = *src
			}
		}
		set(&g.Name, p.Name)
		set(&g.Icon, p.Icon)
		set(&g.Description, p.Description)
		set(&hash, p.PasswordHash)
		if p.Type != nil {
			if _, ok := chat.ParseGroupType(string(*p.Type)); !ok {
				return chat.FieldError("type", "The type must be public, password or private.")
			}
			g.Type = *p.Type
		}
		if g.Type != chat.GroupPassword {
			hash = ""
		}
		if p.Metadata != nil {
			g.Metadata = p.Metadata
		}
		if p.SetTags {
			g.Tags = p.Tags
		}
		for _, f := range p.Unset {
			switch f {
			case "icon":
				g.Icon = ""
			case "description":
				g.Description = ""
			case "metadata":
				g.Metadata = nil
			}
		}
		if p.Owner != nil && *p.Owner != g.Owner {
			if err := setOwner(ctx, t, guid, *p.Owner); err != nil {
				return err
			}
			g.Owner = *p.Owner
		}
		meta, err := jsonText(g.Metadata)
		if err != nil {
			return chat.FieldError("metadata", "The metadata must be a JSON object.")
		}
		_, err = t.ExecContext(ctx, `
			UPDATE groups SET name = ?, type = ?, password_hash = ?, icon = ?, description = ?, owner = ?,
				metadata = ?, tags = ?, updated_at = ?, updated_by = ?
			WHERE guid = ?`,
			g.Name, string(g.Type), hash, g.Icon, g.Description, g.Owner, meta, tagsText(g.Tags), at, by, guid)
		if err != nil {
			return fmt.Errorf("store: update group %s: %w", guid, err)
		}
		out, err = getGroup(ctx, t, guid, by)
		return err
	})
	return out, err
}

func passwordHash(ctx context.Context, q querier, guid string) (string, error) {
	var h string
	err := q.QueryRowContext(ctx, `SELECT password_hash FROM groups WHERE guid = ?`, guid).Scan(&h)
	if err != nil {
		return "", notFound(err, errGUID(guid), "group password of "+guid)
	}
	return h, nil
}

// setOwner makes a current member the owner and an admin.
func setOwner(ctx context.Context, t querier, guid, uid string) error {
	res, err := t.ExecContext(ctx, `UPDATE members SET scope = ? WHERE guid = ? AND uid = ?`,
		string(chat.ScopeAdmin), guid, uid)
	if err != nil {
		return fmt.Errorf("store: make %s admin of %s: %w", uid, guid, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := getUser(ctx, t, uid, false); err != nil {
			return err
		}
		return errNotMember(guid, uid)
	}
	if _, err := t.ExecContext(ctx, `UPDATE groups SET owner = ? WHERE guid = ?`, uid, guid); err != nil {
		return fmt.Errorf("store: set owner of %s: %w", guid, err)
	}
	return nil
}

// TransferOwner hands the group to a current member, who becomes admin.
func (d *DB) TransferOwner(ctx context.Context, guid, newOwner, by string, at int64) (chat.Group, error) {
	var out chat.Group
	err := d.tx(ctx, func(t querier) error {
		if _, err := getGroup(ctx, t, guid, ""); err != nil {
			return err
		}
		if err := setOwner(ctx, t, guid, newOwner); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE groups SET updated_at = ?, updated_by = ? WHERE guid = ?`,
			at, by, guid); err != nil {
			return fmt.Errorf("store: transfer owner of %s: %w", guid, err)
		}
		var err error
		out, err = getGroup(ctx, t, guid, by)
		return err
	})
	return out, err
}

// DeleteGroup removes a group, its members, bans, messages and every
// member's conversation with it.
func (d *DB) DeleteGroup(ctx context.Context, guid string) error {
	return d.changeMembers(ctx, guid, func(t querier) error {
		res, err := t.ExecContext(ctx, `DELETE FROM groups WHERE guid = ?`, guid)
		if err != nil {
			return fmt.Errorf("store: delete group %s: %w", guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errGUID(guid)
		}
		cid := chat.GroupConversationID(guid)
		if _, err := t.ExecContext(ctx, `DELETE FROM messages WHERE conversation_id = ?`, cid); err != nil {
			return fmt.Errorf("store: delete messages of %s: %w", guid, err)
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM mark_spans WHERE conversation_id = ?1 AND uid IN (
			SELECT uid FROM conversations WHERE conversation_id = ?1)`, cid); err != nil {
			return fmt.Errorf("store: delete marks of %s: %w", guid, err)
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM conversations WHERE conversation_id = ?`, cid); err != nil {
			return fmt.Errorf("store: delete conversations of %s: %w", guid, err)
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM group_conversations WHERE conversation_id = ?`, cid); err != nil {
			return fmt.Errorf("store: delete conversations of %s: %w", guid, err)
		}
		return nil
	})
}

// groupSorts maps the accepted sortBy values to columns.
var groupSorts = map[string]string{
	"":          "g.name COLLATE NOCASE",
	"name":      "g.name COLLATE NOCASE",
	"guid":      "g.guid",
	"createdAt": "g.created_at",
}

// ListGroups lists groups; an asker does not see private groups they are
// not a member of.
func (d *DB) ListGroups(ctx context.Context, q chat.GroupQuery) ([]chat.Group, int, error) {
	limit, offset, err := pageBounds(q.Page)
	if err != nil {
		return nil, 0, err
	}
	col, ok := groupSorts[q.SortBy]
	if !ok {
		return nil, 0, chat.FieldError("sortBy", "sortBy must be name, guid or createdAt.")
	}
	order := "ASC"
	switch strings.ToLower(q.SortOrder) {
	case "", "asc":
	case "desc":
		order = "DESC"
	default:
		return nil, 0, chat.FieldError("sortOrder", "sortOrder must be asc or desc.")
	}
	w := &where{}
	if q.Asker != "" {
		w.add(`(g.type <> 'private' OR m.uid IS NOT NULL)`)
	}
	if q.HasJoined {
		w.add(`m.uid IS NOT NULL`)
	}
	if q.SearchKey != "" {
		w.add(`(g.name LIKE ? ESCAPE '\' OR g.guid LIKE ? ESCAPE '\')`, likePrefix(q.SearchKey), likePrefix(q.SearchKey))
	}
	if len(q.Types) > 0 {
		w.add(`g.type IN (`+placeholders(len(q.Types))+`)`, anys(q.Types)...)
	}
	if len(q.Tags) > 0 {
		w.add(`EXISTS (SELECT 1 FROM json_each(g.tags) WHERE value IN (`+placeholders(len(q.Tags))+`))`, anys(q.Tags)...)
	}
	var total int
	countArgs := append([]any{q.Asker}, w.args...)
	err = d.rq.QueryRowContext(ctx, `SELECT count(*) FROM groups g
		LEFT JOIN members m ON m.guid = g.guid AND m.uid = ?`+w.sql(), countArgs...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: count groups: %w", err)
	}
	args := append([]any{q.Asker, q.Asker}, w.args...)
	args = append(args, limit, offset)
	rows, err := d.rq.QueryContext(ctx, groupSelect+w.sql()+
		` ORDER BY `+col+` `+order+`, g.guid `+order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list groups: %w", err)
	}
	defer rows.Close()
	var out []chat.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list groups: %w", err)
		}
		if !q.WithTags {
			g.Tags = nil
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list groups: %w", err)
	}
	return out, total, nil
}
