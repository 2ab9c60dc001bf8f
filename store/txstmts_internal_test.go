package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"cometterm/chat"
)

// TestTxStatementsPreparedAndShared: write transactions from many
// goroutines run their statements prepared once seen, and every write
// lands (run with -race: txStmts is shared through txMu).
func TestTxStatementsPreparedAndShared(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
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
