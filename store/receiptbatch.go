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

// maxReceiptBatch bounds how long one transaction holds the writer: a
// receipt in a 200-member group costs about 0.3 ms, so a message waits
// about 10 ms at most behind a batch rather than the 60 ms or more that a
// whole group acknowledging at once would take.
const maxReceiptBatch = 32

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
	stmts   *writeStmts // the receipt path's statements, prepared on the writer
	calls   chan receiptCall
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

func newReceiptBatcher(d *DB) *receiptBatcher {
	b := &receiptBatcher{d: d, stmts: newWriteStmts(d.w), calls: make(chan receiptCall), stop: make(chan struct{})}
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
	defer b.stmts.close()
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
// failure of the transaction itself fails them all. Receipts that change
// nothing (repeats, the author's own message) and those refused by the
// checks write nothing, so only the others take a savepoint.
func (b *receiptBatcher) commit(batch []receiptCall) {
	answers := make([]receiptAnswer, len(batch))
	ctx := context.Background()
	err := b.stmts.tx(ctx, func(q querier) error {
		sizes := make(map[string]int)
		for i, c := range batch {
			res, target, err := receiptCheck(ctx, q, c.uid, c.id, c.typ)
			if err != nil || !res.New {
				answers[i] = receiptAnswer{res: res, err: err}
				continue
			}
			if _, err := q.ExecContext(ctx, `SAVEPOINT receipt`); err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
			err = receiptWrite(ctx, q, c.uid, target, c.typ, c.at, sizes, &res)
			answers[i] = receiptAnswer{res: res, err: err}
			if err != nil {
				if _, err := q.ExecContext(ctx, `ROLLBACK TO receipt`); err != nil {
					return fmt.Errorf("store: roll back to savepoint: %w", err)
				}
			}
			if _, err := q.ExecContext(ctx, `RELEASE receipt`); err != nil {
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
