package store

import (
	"context"
	"fmt"

	"cometterm/chat"
)

// BindSSHKey binds a public key fingerprint to uid. Binding it again to the
// same user is a no-op; a key bound to someone else is refused, so one key
// never opens two accounts.
func (d *DB) BindSSHKey(ctx context.Context, uid, fingerprint string, at int64) error {
	if fingerprint == "" {
		return chat.FieldError("fingerprint", "The key fingerprint is empty.")
	}
	return d.tx(ctx, func(t querier) error {
		if _, err := getUser(ctx, t, uid, false); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO ssh_keys (fingerprint, uid, created_at) VALUES (?, ?, ?)
			ON CONFLICT (fingerprint) DO NOTHING`, fingerprint, uid, at); err != nil {
			return fmt.Errorf("store: bind ssh key to %s: %w", uid, err)
		}
		var owner string
		if err := t.QueryRowContext(ctx, `SELECT uid FROM ssh_keys WHERE fingerprint = ?`, fingerprint).Scan(&owner); err != nil {
			return fmt.Errorf("store: ssh key owner: %w", err)
		}
		if owner != uid {
			return chat.Errorf(chat.ErrNoAccess, "This key belongs to another user.")
		}
		return nil
	})
}

// SSHKeys lists the fingerprints bound to uid, oldest first.
func (d *DB) SSHKeys(ctx context.Context, uid string) ([]string, error) {
	return queryStrings(ctx, d.rq, `SELECT fingerprint FROM ssh_keys WHERE uid = ? ORDER BY created_at, fingerprint`, uid)
}
