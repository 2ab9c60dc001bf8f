package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"cometterm/chat"
)

// Receipts are the most frequent writes (every client acknowledges every
// message), and SQLite has one writer. Committing each on its own makes a
// busy group queue hundreds of transactions in front of the next message,
// so receipts that arrive together are committed together: a group
// commit. Each caller still gets its own answer.

// maxReceiptBatch bounds how long one transaction holds the writer.
const maxReceiptBatch = 256

type receiptCall struct {
	uid  string
	id   chat.ID
	typ  chat.ReceiptType
	at   int64
	done chan receiptAnswer
}

type receiptAnswer struct {
	res chat.ReceiptResult
	err error
}

// errClosed answers receipts that arrive while the store closes.
var errClosed = errors.New("store: closed")

type receiptBatcher struct {
	d       *DB
	calls   chan receiptCall
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

func newReceiptBatcher(d *DB) *receiptBatcher {
	b := &receiptBatcher{d: d, calls: make(chan receiptCall), stop: make(chan struct{})}
	b.stopped.Add(1)
	go b.run()
	return b
}

// do hands c to the batcher and waits for its answer.
func (b *receiptBatcher) do(ctx context.Context, c receiptCall) (chat.ReceiptResult, error) {
	c.done = make(chan receiptAnswer, 1)
	select {
	case b.calls <- c:
	case <-b.stop:
		return chat.ReceiptResult{}, errClosed
	case <-ctx.Done():
		return chat.ReceiptResult{}, ctx.Err()
	}
	// Once taken, the receipt is committed whatever happens to ctx; the
	// caller may stop waiting for the answer.
	select {
	case a := <-c.done:
		return a.res, a.err
	case <-ctx.Done():
		return chat.ReceiptResult{}, ctx.Err()
	}
}

func (b *receiptBatcher) run() {
	defer b.stopped.Done()
	for {
		var batch []receiptCall
		select {
		case c := <-b.calls:
			batch = append(batch, c)
		case <-b.stop:
			return
		}
	gather:
		for len(batch) < maxReceiptBatch {
			select {
			case c := <-b.calls:
				batch = append(batch, c)
			default:
				break gather
			}
		}
		b.commit(batch)
	}
}

// commit records a batch in one transaction. A receipt that fails (no
// access, unknown message) is rolled back to its savepoint alone; only a
// failure of the transaction itself fails them all.
func (b *receiptBatcher) commit(batch []receiptCall) {
	answers := make([]receiptAnswer, len(batch))
	ctx := context.Background()
	err := b.d.tx(ctx, func(t querier) error {
		for i, c := range batch {
			if _, err := t.ExecContext(ctx, `SAVEPOINT receipt`); err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
			res, err := receiptIn(ctx, t, c.uid, c.id, c.typ, c.at)
			answers[i] = receiptAnswer{res: res, err: err}
			undo := `RELEASE receipt`
			if err != nil {
				undo = `ROLLBACK TO receipt; RELEASE receipt`
			}
			if _, err := t.ExecContext(ctx, undo); err != nil {
				return fmt.Errorf("store: release savepoint: %w", err)
			}
		}
		return nil
	})
	for i, c := range batch {
		if err != nil {
			answers[i] = receiptAnswer{err: err}
		}
		c.done <- answers[i]
	}
}

func (b *receiptBatcher) close() {
	b.once.Do(func() {
		close(b.stop)
		b.stopped.Wait()
	})
}
