package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"cometterm/chat"
)

// maxTokensPerUser follows CometChat: beyond 100 active tokens the oldest
// are retired.
const maxTokensPerUser = 100

func hashToken(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

func errToken() *chat.Error {
	return chat.Errorf(chat.ErrAuthTokenNotFoundUser, "The auth token does not exist.")
}

// CreateAuthToken stores the hash of t.Token for an existing user.
func (d *DB) CreateAuthToken(ctx context.Context, t chat.AuthToken) error {
	if t.Token == "" {
		return chat.FieldError("authToken", "The auth token is empty.")
	}
	info, err := jsonText(t.AppInfo)
	if err != nil {
		return chat.FieldError("appInfo", "The appInfo must be a JSON object.")
	}
	return d.tx(ctx, func(tx querier) error {
		if _, err := getUser(ctx, tx, t.UID, true); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO auth_tokens (token_hash, uid, created_at, platform, user_agent, app_info)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING`,
			hashToken(t.Token), t.UID, t.CreatedAt, t.Platform, t.UserAgent, info)
		if err != nil {
			return fmt.Errorf("store: create auth token for %s: %w", t.UID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return chat.FieldError("authToken", "The auth token already exists.")
		}
		_, err = tx.ExecContext(ctx, `
			DELETE FROM auth_tokens WHERE uid = ? AND token_hash NOT IN (
				SELECT token_hash FROM auth_tokens WHERE uid = ?
				ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
			t.UID, t.UID, maxTokensPerUser)
		if err != nil {
			return fmt.Errorf("store: retire old auth tokens of %s: %w", t.UID, err)
		}
		return nil
	})
}

// AuthTokenUID resolves a token to its user. Tokens of deactivated users
// do not resolve.
func (d *DB) AuthTokenUID(ctx context.Context, token string) (string, error) {
	var uid string
	err := d.rq.QueryRowContext(ctx, `
		SELECT t.uid FROM auth_tokens t JOIN users u ON u.uid = t.uid
		WHERE t.token_hash = ? AND u.deactivated_at = 0`, hashToken(token)).Scan(&uid)
	if err != nil {
		return "", notFound(err, chat.Errorf(chat.ErrAuthTokenNotFound, "The auth token is not valid."), "auth token")
	}
	return uid, nil
}

// AuthTokenHashUID is AuthTokenUID for a token known only by its SHA-256
// (as a socket JWT carries it): revoked tokens and deactivated users are
// not found.
func (d *DB) AuthTokenHashUID(ctx context.Context, hash string) (string, error) {
	var uid string
	err := d.rq.QueryRowContext(ctx, `
		SELECT t.uid FROM auth_tokens t JOIN users u ON u.uid = t.uid
		WHERE t.token_hash = ? AND u.deactivated_at = 0`, hash).Scan(&uid)
	if err != nil {
		return "", notFound(err, chat.Errorf(chat.ErrAuthTokenNotFound, "The auth token is not valid."), "auth token")
	}
	return uid, nil
}

func scanToken(s scanner) (chat.AuthToken, error) {
	var t chat.AuthToken
	var info string
	if err := s.Scan(&t.UID, &t.CreatedAt, &t.Platform, &t.UserAgent, &info); err != nil {
		return chat.AuthToken{}, err
	}
	var err error
	t.AppInfo, err = decodeMap(info)
	return t, err
}

const tokenCols = `uid, created_at, platform, user_agent, app_info`

// AuthToken returns uid's token; Token is echoed back from the argument.
func (d *DB) AuthToken(ctx context.Context, uid, token string) (chat.AuthToken, error) {
	return getToken(ctx, d.rq, uid, token)
}

func getToken(ctx context.Context, q querier, uid, token string) (chat.AuthToken, error) {
	t, err := scanToken(q.QueryRowContext(ctx,
		`SELECT `+tokenCols+` FROM auth_tokens WHERE token_hash = ? AND uid = ?`, hashToken(token), uid))
	if err != nil {
		return chat.AuthToken{}, notFound(err, errToken(), "auth token of "+uid)
	}
	t.Token = token
	return t, nil
}

// UpdateAuthToken changes platform, user agent and app info.
func (d *DB) UpdateAuthToken(ctx context.Context, t chat.AuthToken) (chat.AuthToken, error) {
	info, err := jsonText(t.AppInfo)
	if err != nil {
		return chat.AuthToken{}, chat.FieldError("appInfo", "The appInfo must be a JSON object.")
	}
	var out chat.AuthToken
	err = d.tx(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE auth_tokens SET platform = ?, user_agent = ?, app_info = ?
			WHERE token_hash = ? AND uid = ?`,
			t.Platform, t.UserAgent, info, hashToken(t.Token), t.UID)
		if err != nil {
			return fmt.Errorf("store: update auth token of %s: %w", t.UID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errToken()
		}
		out, err = getToken(ctx, tx, t.UID, t.Token)
		return err
	})
	return out, err
}

// ListAuthTokens lists uid's tokens, newest first, without the tokens.
func (d *DB) ListAuthTokens(ctx context.Context, uid string, p chat.Page) ([]chat.AuthToken, int, error) {
	limit, offset, err := pageBounds(p)
	if err != nil {
		return nil, 0, err
	}
	if _, err := getUser(ctx, d.rq, uid, true); err != nil {
		return nil, 0, err
	}
	var total int
	if err := d.rq.QueryRowContext(ctx, `SELECT count(*) FROM auth_tokens WHERE uid = ?`, uid).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count auth tokens of %s: %w", uid, err)
	}
	rows, err := d.rq.QueryContext(ctx, `SELECT `+tokenCols+` FROM auth_tokens WHERE uid = ?
		ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`, uid, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list auth tokens of %s: %w", uid, err)
	}
	defer rows.Close()
	var out []chat.AuthToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list auth tokens of %s: %w", uid, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list auth tokens of %s: %w", uid, err)
	}
	return out, total, nil
}

// DeleteAuthToken removes one of uid's tokens.
func (d *DB) DeleteAuthToken(ctx context.Context, uid, token string) error {
	res, err := d.w.ExecContext(ctx, `DELETE FROM auth_tokens WHERE token_hash = ? AND uid = ?`, hashToken(token), uid)
	if err != nil {
		return fmt.Errorf("store: delete auth token of %s: %w", uid, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errToken()
	}
	return nil
}

// FlushAuthTokens removes all of uid's tokens.
func (d *DB) FlushAuthTokens(ctx context.Context, uid string) error {
	return d.tx(ctx, func(t querier) error {
		if _, err := getUser(ctx, t, uid, true); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM auth_tokens WHERE uid = ?`, uid); err != nil {
			return fmt.Errorf("store: flush auth tokens of %s: %w", uid, err)
		}
		return nil
	})
}
