package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the cache: queries built from filters (IN lists of
// any length) come in many shapes, and beyond this they run unprepared.
const maxCachedStmts = 256

// stmtCache keeps prepared statements by SQL text, so hot queries are
// parsed once per connection instead of once per call.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

// get returns the prepared statement for query, or nil when the cache is
// full or preparing failed (the caller then runs the query directly and
// sees the real error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	s, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok {
		return s
	}
	if full {
		return nil
	}
	// Prepare without the lock: it waits for a free connection.
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		s.Close()
		return old
	}
	c.m[query] = s
	return s
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.m {
		s.Close()
		delete(c.m, q)
	}
}

// cached runs reads through a statement cache. Write transactions do not
// use it: preparing a statement needs a connection, and the writer's only
// connection is the transaction's.
type cached struct {
	c *stmtCache
}

func (q cached) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := q.c.get(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return q.c.db.ExecContext(ctx, query, args...)
}

func (q cached) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := q.c.get(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return q.c.db.QueryContext(ctx, query, args...)
}

func (q cached) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := q.c.get(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.c.db.QueryRowContext(ctx, query, args...)
}
