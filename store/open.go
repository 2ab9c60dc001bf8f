// Package store is cometterm's SQLite persistence. DB implements
// server.Store on one database file in WAL mode: one writer connection
// (so write transactions never race for the lock) and a small pool of
// readers that see every committed write.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is the SQLite store. It is safe for concurrent use.
type DB struct {
	w   *sql.DB // exactly one connection: every write goes through it
	r   *sql.DB // read pool; the same handle as w for in-memory databases
	rq  cached  // reads, through prepared statements on r
	log *slog.Logger

	receipts *receiptBatcher // group commit of delivered/read receipts
	members  *memberCache    // MemberUIDs' answers, dropped by every change

	// txMu is held by a write transaction of tx for its whole run, so
	// that txStmts, which is not safe for concurrent use, serves one at a
	// time (they are one at a time anyway: the writer has one connection).
	txMu    sync.Mutex
	txStmts *writeStmts // tx's statements, prepared on the writer
}

type options struct {
	log         *slog.Logger
	readers     int
	busyTimeout int
}

// Option adjusts Open.
type Option func(*options)

// WithLogger sets the logger for migrations and slow paths.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithReaders sets the size of the read connection pool (default 4).
func WithReaders(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.readers = n
		}
	}
}

// WithBusyTimeout sets how long a connection waits for a lock held by
// another process, in milliseconds (default 5000).
func WithBusyTimeout(ms int) Option {
	return func(o *options) {
		if ms > 0 {
			o.busyTimeout = ms
		}
	}
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. path ":memory:" gives a private in-memory database.
func Open(path string, opts ...Option) (*DB, error) {
	o := options{log: slog.New(slog.DiscardHandler), readers: 4, busyTimeout: 5000}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	d := &DB{log: o.log, members: newMemberCache()}
	if path == ":memory:" {
		// Every connection to :memory: is its own database, so reads must
		// share the single connection.
		w, err := sql.Open("sqlite", dsn(":memory:", o.busyTimeout, false))
		if err != nil {
			return nil, fmt.Errorf("store: open memory db: %w", err)
		}
		w.SetMaxOpenConns(1)
		d.w, d.r = w, w
	} else {
		w, err := sql.Open("sqlite", dsn(path, o.busyTimeout, true))
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		r, err := sql.Open("sqlite", dsn(path, o.busyTimeout, false))
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
		}
		r.SetMaxOpenConns(o.readers)
		r.SetMaxIdleConns(o.readers)
		d.w, d.r = w, r
	}
	d.rq = cached{c: newStmtCache(d.r)}
	d.txStmts = newWriteStmts(d.w)
	if err := d.migrate(context.Background()); err != nil {
		d.Close()
		return nil, err
	}
	d.receipts = newReceiptBatcher(d)
	return d, nil
}

// dsn builds a modernc DSN whose pragmas apply to every pooled connection.
// The writer takes the write lock at BEGIN, so a transaction that reads
// first cannot fail later with SQLITE_BUSY when it starts writing.
func dsn(path string, busyMS int, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyMS))
	q.Add("_pragma", "foreign_keys(1)")
	if path != ":memory:" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	if writer {
		q.Set("_txlock", "immediate")
	}
	prefix := "file:"
	if strings.HasPrefix(path, "file:") {
		prefix = ""
	}
	return prefix + path + "?" + q.Encode()
}

// Close closes both pools.
func (d *DB) Close() error {
	if d.receipts != nil {
		d.receipts.close()
	}
	if d.txStmts != nil {
		d.txMu.Lock()
		d.txStmts.close()
		d.txMu.Unlock()
	}
	var errs []error
	if d.rq.c != nil {
		d.rq.c.close()
	}
	if d.r != nil && d.r != d.w {
		errs = append(errs, d.r.Close())
	}
	if d.w != nil {
		errs = append(errs, d.w.Close())
	}
	return errors.Join(errs...)
}

// tx runs fn in a write transaction and commits when fn returns nil.
// Statements run prepared once seen (a message insert spent about 40% of
// its time parsing SQL).
func (d *DB) tx(ctx context.Context, fn func(querier) error) error {
	d.txMu.Lock()
	defer d.txMu.Unlock()
	return d.txStmts.tx(ctx, fn)
}

// querier is what both *sql.DB and *sql.Tx offer, so read helpers work
// inside and outside a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
