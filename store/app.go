package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cometterm/chat"
)

// App returns the app identity; ok is false on a fresh database.
func (d *DB) App(ctx context.Context) (chat.App, bool, error) {
	var a chat.App
	err := d.rq.QueryRowContext(ctx,
		`SELECT app_id, auth_key, rest_key_hash, jwt_secret, created_at FROM app WHERE id = 1`).
		Scan(&a.AppID, &a.AuthKey, &a.RESTKeyHash, &a.JWTSecret, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return chat.App{}, false, nil
	}
	if err != nil {
		return chat.App{}, false, fmt.Errorf("store: app: %w", err)
	}
	return a, true, nil
}

// SaveApp stores the app identity, replacing the previous one.
func (d *DB) SaveApp(ctx context.Context, a chat.App) error {
	if a.AppID == "" || len(a.JWTSecret) == 0 {
		return chat.FieldError("appId", "An app needs an id and a JWT secret.")
	}
	_, err := d.w.ExecContext(ctx, `
		INSERT INTO app (id, app_id, auth_key, rest_key_hash, jwt_secret, created_at)
		VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET app_id = excluded.app_id, auth_key = excluded.auth_key,
			rest_key_hash = excluded.rest_key_hash, jwt_secret = excluded.jwt_secret,
			created_at = excluded.created_at`,
		a.AppID, a.AuthKey, a.RESTKeyHash, a.JWTSecret, a.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: save app: %w", err)
	}
	return nil
}
