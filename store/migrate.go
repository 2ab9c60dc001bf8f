package store

import (
	"context"
	"fmt"
)

// migrations are applied in order; the database remembers how many ran in
// PRAGMA user_version. Append new steps, never edit a released one.
var migrations = []string{
	1: schemaV1,
	2: receiptsByReader,
	3: groupConversations,
	4: markSpans,
	5: membersCount,
}

// receiptsByReader lets message info find a reader's first receipt at or
// after a message: a read of a later message covers the earlier ones.
const receiptsByReader = `
CREATE INDEX receipts_by_reader ON receipts (uid, message_id);
`

// groupConversations keeps a group conversation's last message once per
// group instead of in every member's row, and counts a member's unread
// messages when asked (see bumpGroup). The rows of version 2 hold every
// count and last message up to now (and every member of a group with
// messages has one: a group's first message made its owner's), so
// counted_upto starts at each group's newest message and nothing is live
// yet; for the same reason the numbering of messages (seq) can start
// with the next one. Conversations are now ordered by a computed time, so
// conversations_recent has no use left; messages_mentions lets the unread
// mentions count read only the messages that mention someone.
const groupConversations = `
CREATE TABLE group_conversations (
	conversation_id TEXT PRIMARY KEY,
	last_message_id INTEGER NOT NULL DEFAULT 0,
	last_at         INTEGER NOT NULL DEFAULT 0,
	counted_upto    INTEGER NOT NULL DEFAULT 0,
	live            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

ALTER TABLE conversations ADD COLUMN since_id INTEGER NOT NULL DEFAULT 0;
DROP INDEX conversations_recent;

CREATE INDEX messages_mentions ON messages(conversation_id, id)
	WHERE instr(text, '<@uid:') > 0 AND parent_id IS NULL AND category <> 'action' AND deleted_at = 0;

-- Group messages that count as unread are numbered from here on, in their
-- conversation (seq) and among their sender's there (sender_seq).
ALTER TABLE messages ADD COLUMN seq INTEGER;
ALTER TABLE messages ADD COLUMN sender_seq INTEGER;
CREATE INDEX messages_seq ON messages(conversation_id, id, seq) WHERE seq IS NOT NULL;
CREATE INDEX messages_sender_seq ON messages(conversation_id, sender, id, sender_seq) WHERE sender_seq IS NOT NULL;
CREATE INDEX messages_seq_deleted ON messages(conversation_id, id, sender) WHERE seq IS NOT NULL AND deleted_at <> 0;

INSERT INTO group_conversations (conversation_id, counted_upto)
	SELECT conversation_id, max(id) FROM messages WHERE receiver_type = 'group' GROUP BY conversation_id;
`

// markSpans records the messages a reader's mark passed in a group
// conversation once per move instead of in a receipt row per message (see
// the marks in receipts.go): kind 0 is delivered, 1 read; a row holds the
// messages (after_id, upto_id] at its time. The receipt rows that version
// 3 filled stay valid, as a reader's own rows come first.
// conversations_marks counts the members whose marks reached a message
// (deliveredToAll/readByAll) without a look at each; it also serves every
// lookup by conversation id that conversations_id served.
const markSpans = `
CREATE TABLE mark_spans (
	uid             TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	conversation_id TEXT NOT NULL,
	kind            INTEGER NOT NULL,
	upto_id         INTEGER NOT NULL,
	after_id        INTEGER NOT NULL,
	at              INTEGER NOT NULL,
	PRIMARY KEY (uid, conversation_id, kind, upto_id)
) WITHOUT ROWID;

DROP INDEX conversations_id;
CREATE INDEX conversations_marks ON conversations(conversation_id, delivered_upto, read_upto);
`

// membersCount keeps each group's number of members in its row, so that
// reading a group (every post reads its receiver) does not count the
// members rows. Triggers keep it, not the store's statements: members
// also go by cascade, when a user is deleted, from groups the statement
// never names, and a trigger sees every row whatever removed it. Nothing
// moves a members row to another group, but should anything, the count
// follows it too.
const membersCount = `
ALTER TABLE groups ADD COLUMN members_count INTEGER NOT NULL DEFAULT 0;
UPDATE groups SET members_count = (SELECT count(*) FROM members m WHERE m.guid = groups.guid);

CREATE TRIGGER members_count_insert AFTER INSERT ON members BEGIN
	UPDATE groups SET members_count = members_count + 1 WHERE guid = new.guid;
END;
CREATE TRIGGER members_count_delete AFTER DELETE ON members BEGIN
	UPDATE groups SET members_count = members_count - 1 WHERE guid = old.guid;
END;
CREATE TRIGGER members_count_move AFTER UPDATE OF guid ON members WHEN new.guid <> old.guid BEGIN
	UPDATE groups SET members_count = members_count - 1 WHERE guid = old.guid;
	UPDATE groups SET members_count = members_count + 1 WHERE guid = new.guid;
END;
`

const schemaV1 = `
CREATE TABLE app (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	app_id        TEXT NOT NULL,
	auth_key      TEXT NOT NULL,
	rest_key_hash TEXT NOT NULL,
	jwt_secret    BLOB NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE users (
	uid            TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	avatar         TEXT NOT NULL DEFAULT '',
	link           TEXT NOT NULL DEFAULT '',
	role           TEXT NOT NULL DEFAULT 'default',
	status_message TEXT NOT NULL DEFAULT '',
	metadata       TEXT NOT NULL DEFAULT '',
	tags           TEXT NOT NULL DEFAULT '[]',
	last_active_at INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL DEFAULT 0,
	deactivated_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_name ON users(name COLLATE NOCASE, uid);

CREATE TABLE auth_tokens (
	token_hash TEXT PRIMARY KEY,
	uid        TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	platform   TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	app_info   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auth_tokens_uid ON auth_tokens(uid, created_at);

CREATE TABLE groups (
	guid          TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	type          TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	icon          TEXT NOT NULL DEFAULT '',
	description   TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',
	metadata      TEXT NOT NULL DEFAULT '',
	tags          TEXT NOT NULL DEFAULT '[]',
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL DEFAULT 0,
	updated_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX groups_name ON groups(name COLLATE NOCASE, guid);

CREATE TABLE members (
	guid      TEXT NOT NULL REFERENCES groups(guid) ON DELETE CASCADE,
	uid       TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	scope     TEXT NOT NULL,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (guid, uid)
) WITHOUT ROWID;
CREATE INDEX members_uid ON members(uid);

CREATE TABLE bans (
	guid      TEXT NOT NULL REFERENCES groups(guid) ON DELETE CASCADE,
	uid       TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	scope     TEXT NOT NULL,
	banned_at INTEGER NOT NULL,
	banned_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (guid, uid)
) WITHOUT ROWID;

CREATE TABLE messages (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	muid            TEXT NOT NULL DEFAULT '',
	conversation_id TEXT NOT NULL,
	sender          TEXT NOT NULL,
	receiver        TEXT NOT NULL,
	receiver_type   TEXT NOT NULL,
	category        TEXT NOT NULL,
	type            TEXT NOT NULL,
	text            TEXT NOT NULL DEFAULT '',
	data            TEXT NOT NULL,
	sent_at         INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	edited_at       INTEGER NOT NULL DEFAULT 0,
	edited_by       TEXT NOT NULL DEFAULT '',
	deleted_at      INTEGER NOT NULL DEFAULT 0,
	deleted_by      TEXT NOT NULL DEFAULT '',
	parent_id       INTEGER REFERENCES messages(id) ON DELETE CASCADE,
	reply_count     INTEGER NOT NULL DEFAULT 0,
	tags            TEXT NOT NULL DEFAULT '[]',
	has_attachments INTEGER NOT NULL DEFAULT 0,
	has_mentions    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX messages_muid ON messages(sender, muid) WHERE muid <> '';
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE INDEX messages_parent ON messages(parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX messages_updated ON messages(updated_at);

-- Full-text index over messages.text, kept in step by the triggers below.
CREATE VIRTUAL TABLE messages_fts USING fts5(
	text, content='messages', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
	INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;

-- One row per user and conversation they take part in.
CREATE TABLE conversations (
	uid               TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	conversation_id   TEXT NOT NULL,
	conversation_type TEXT NOT NULL,
	peer              TEXT NOT NULL,
	last_message_id   INTEGER NOT NULL DEFAULT 0,
	unread            INTEGER NOT NULL DEFAULT 0,
	delivered_upto    INTEGER NOT NULL DEFAULT 0,
	read_upto         INTEGER NOT NULL DEFAULT 0,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	PRIMARY KEY (uid, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversations_recent ON conversations(uid, updated_at DESC, last_message_id DESC);
CREATE INDEX conversations_id ON conversations(conversation_id);

CREATE TABLE receipts (
	message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	uid          TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	delivered_at INTEGER NOT NULL DEFAULT 0,
	read_at      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (message_id, uid)
) WITHOUT ROWID;

CREATE TABLE reactions (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	uid        TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	reaction   TEXT NOT NULL,
	reacted_at INTEGER NOT NULL,
	UNIQUE (message_id, uid, reaction)
);
CREATE INDEX reactions_message ON reactions(message_id, reaction, id);

CREATE TABLE blocks (
	uid        TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	blocked    TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	blocked_at INTEGER NOT NULL,
	PRIMARY KEY (uid, blocked)
) WITHOUT ROWID;
CREATE INDEX blocks_blocked ON blocks(blocked);

-- Friendship is stored in both directions.
CREATE TABLE friends (
	uid        TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	friend     TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (uid, friend)
) WITHOUT ROWID;

CREATE TABLE ssh_keys (
	fingerprint TEXT PRIMARY KEY,
	uid         TEXT NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	created_at  INTEGER NOT NULL
);
CREATE INDEX ssh_keys_uid ON ssh_keys(uid);
`

// migrate applies the steps the database has not seen yet, each in its own
// transaction together with the version bump.
func (d *DB) migrate(ctx context.Context) error {
	var have int
	if err := d.w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&have); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	latest := len(migrations) - 1
	if have > latest {
		return fmt.Errorf("store: database schema version %d is newer than this program's %d", have, latest)
	}
	for v := have + 1; v <= latest; v++ {
		if err := d.migrateTo(ctx, v); err != nil {
			return fmt.Errorf("store: migrate to schema version %d: %w", v, err)
		}
		d.log.Info("store schema migrated", "version", v)
	}
	return nil
}

// migrateTo runs one step without the statement cache: a schema is run
// once and may hold many statements.
func (d *DB) migrateTo(ctx context.Context, v int) error {
	t, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, migrations[v]); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v)); err != nil {
		return err
	}
	return t.Commit()
}
