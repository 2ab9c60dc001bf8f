package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"cometterm/chat"
)

// openInternal opens a store in a fresh directory for a test of this
// package's insides, closed when the test ends.
func openInternal(t testing.TB) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestTxStatementsPreparedAndShared: write transactions from many
// goroutines run their statements prepared once seen, and every write
// lands (run with -race: txStmts is shared through txMu).
func TestTxStatementsPreparedAndShared(t *testing.T) {
	d := openInternal(t)
	ctx := context.Background()
	for _, uid := range []string{"alice", "bob"} {
		if _, err := d.CreateUser(ctx, chat.User{UID: uid, Name: uid, CreatedAt: 1}); err != nil {
			t.Fatal(err)
		}
	}
	send := func(i int) error {
		_, err := d.InsertMessage(ctx, chat.Message{
			Sender: "alice", Receiver: "bob", ReceiverType: chat.ReceiverUser,
			Category: chat.CategoryMessage, Type: chat.TypeText,
			Data: chat.MessageData{Text: fmt.Sprint("m", i)}, SentAt: int64(10 + i),
		})
		return err
	}
	if err := send(0); err != nil {
		t.Fatal(err)
	}
	d.txMu.Lock()
	prepared := 0
	for _, s := range d.txStmts.m {
		if s != nil {
			prepared++
		}
	}
	d.txMu.Unlock()
	if prepared == 0 {
		t.Fatal("no statement of the insert was prepared after its transaction")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 1; i <= 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- send(i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE sender = 'alice'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 41 {
		t.Fatalf("%d messages stored, want 41", n)
	}
}

// A write transaction, once begun, runs to its end when its request's
// context ends midway; one whose context ended before it began does not
// begin.
func TestWriteOutlivesItsRequest(t *testing.T) {
	d := openInternal(t)
	bg := context.Background()
	if _, err := d.CreateUser(bg, chat.User{UID: "alice", Name: "Alice", CreatedAt: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	err := d.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `UPDATE users SET name = 'A' WHERE uid = 'alice'`); err != nil {
			return err
		}
		cancel()
		_, err := q.ExecContext(ctx, `UPDATE users SET status_message = 'away' WHERE uid = 'alice'`)
		return err
	})
	if err != nil {
		t.Fatalf("the request's end broke its write: %v", err)
	}
	u, err := d.User(bg, "alice", false)
	if err != nil || u.Name != "A" || u.StatusMessage != "away" {
		t.Fatalf("the write did not land whole: %+v, %v", u, err)
	}

	ran := false
	err = d.tx(ctx, func(querier) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("a write for an ended request began (ran %v): %v", ran, err)
	}
}
