package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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

// writeStmts keeps statements prepared on the writer's connection, for
// the receipt batcher and for DB.tx (one each). A statement cannot be prepared on the writer while a
// transaction holds its only connection, so a query first seen inside a
// transaction runs unprepared there and is prepared after the commit
// (prepareSeen); later transactions bind it with Tx.StmtContext, which
// reuses the statement already prepared on the connection. It is not safe
// for concurrent use: the batcher's goroutine uses its own, and DB.tx
// holds txMu.
type writeStmts struct {
	db   *sql.DB
	m    map[string]*sql.Stmt // nil value: preparing failed, run unprepared
	seen []string             // queries to prepare after the transaction
}

func newWriteStmts(db *sql.DB) *writeStmts {
	return &writeStmts{db: db, m: make(map[string]*sql.Stmt)}
}

// in returns a querier for transaction t that runs the known queries
// through prepared statements.
func (w *writeStmts) in(ctx context.Context, t *sql.Tx) *txStmts {
	return &txStmts{w: w, t: t, ctx: ctx, bound: make(map[string]*sql.Stmt)}
}

// prepareSeen prepares the queries met since the last call. It must run
// outside any transaction on the writer.
func (w *writeStmts) prepareSeen(ctx context.Context) {
	for _, q := range w.seen {
		if _, ok := w.m[q]; ok {
			continue
		}
		s, err := w.db.PrepareContext(ctx, q)
		if err != nil {
			s = nil
		}
		w.m[q] = s
	}
	w.seen = w.seen[:0]
}

func (w *writeStmts) close() {
	for q, s := range w.m {
		if s != nil {
			s.Close()
		}
		delete(w.m, q)
	}
}

// tx runs fn in a write transaction on the writer with these statements,
// commits when fn returns nil, then prepares the statements it met for
// the first time (the writer is free again).
//
// Once begun, the transaction runs to its end even if ctx ends: it is
// short, and under a context that can end every statement costs two
// watcher goroutines (database/sql's and the driver's), which at a
// hundred posts a second to a large group was most of what the writes
// allocated. The statements run under ctx without its end, whatever
// context fn passes them.
func (w *writeStmts) tx(ctx context.Context, fn func(querier) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	ctx = context.WithoutCancel(ctx)
	t, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer w.prepareSeen(context.Background())
	if err := fn(w.in(ctx, t)); err != nil {
		_ = t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// txStmts is the querier of one write transaction with writeStmts.
type txStmts struct {
	w     *writeStmts
	t     *sql.Tx
	ctx   context.Context // what every statement runs under (see writeStmts.tx)
	bound map[string]*sql.Stmt
}

// stmt returns query's statement bound to the transaction, or nil to run
// the query unprepared.
func (q *txStmts) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := q.bound[query]; ok {
		return s
	}
	p, ok := q.w.m[query]
	if !ok {
		if len(q.w.m)+len(q.w.seen) < maxCachedStmts && !slices.Contains(q.w.seen, query) {
			q.w.seen = append(q.w.seen, query)
		}
		return nil
	}
	var s *sql.Stmt
	if p != nil {
		s = q.t.StmtContext(ctx, p)
	}
	q.bound[query] = s
	return s
}

func (q *txStmts) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	ctx := q.ctx
	if s := q.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return q.t.ExecContext(ctx, query, args...)
}

func (q *txStmts) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx := q.ctx
	if s := q.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return q.t.QueryContext(ctx, query, args...)
}

func (q *txStmts) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	ctx := q.ctx
	if s := q.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.t.QueryRowContext(ctx, query, args...)
}
