package store

import (
	"context"
	"database/sql"
	"fmt"
)

// CreateAtVersion makes a database file at schema version v (the first v
// migration steps, as a program of that version created it) and runs the
// statements rows on it, for migration tests.
func CreateAtVersion(path string, v int, rows string) error {
	db, err := sql.Open("sqlite", dsn(path, 5000, true))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	for i := 1; i <= v; i++ {
		if _, err := db.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("schema step %d: %w", i, err)
		}
	}
	if _, err := db.ExecContext(ctx, rows); err != nil {
		return fmt.Errorf("rows: %w", err)
	}
	_, err = db.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
	return err
}
