package sshd

import (
	"io"
	"sync"
	"time"
)

// DefaultOutputBacklog is how many bytes of frames a session may have
// waiting for a slow SSH client before its frames are skipped.
const DefaultOutputBacklog = 256 << 10

// outputWriter stands between a session's renderer and its SSH channel.
// Bubble Tea writes each frame while holding its renderer lock, and a
// write to an SSH channel blocks while the client does not read: one
// stalled client would stop its session's program, then its chat
// client, and leave it holding a socket the hub keeps filling. Here the
// renderer's writes only queue; a goroutine of the session's own copies
// them to the channel.
//
// A client that falls more than backlog bytes behind loses the frames
// that have not been sent yet (whole frames, never part of one, so no
// escape sequence is cut) and, once it has taken what was in flight,
// gets the whole screen drawn again through resync.
type outputWriter struct {
	w       io.Writer
	backlog int

	mu       sync.Mutex
	queue    [][]byte
	queued   int
	dropping bool // frames are being skipped until the in-flight ones land
	err      error
	closed   bool
	resync   func()
	skipped  int // frames skipped, for the log
	// spare are buffers of frames already sent, for the next frames: a
	// session sends ten frames a second, and each was a new copy.
	spare [][]byte
	// freeQueue is the queue the writer emptied, for the next frames.
	freeQueue [][]byte

	wake chan struct{}
	done chan struct{}
}

func newOutputWriter(w io.Writer, backlog int) *outputWriter {
	if backlog <= 0 {
		backlog = DefaultOutputBacklog
	}
	o := &outputWriter{w: w, backlog: backlog, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go o.run()
	return o
}

// setResync sets what asks the program for a full redraw.
func (o *outputWriter) setResync(f func()) {
	o.mu.Lock()
	o.resync = f
	o.mu.Unlock()
}

// Write queues a frame; it never waits for the client.
func (o *outputWriter) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.err != nil:
		return 0, o.err
	case o.closed:
		return 0, io.ErrClosedPipe
	case o.dropping:
		o.skipped++
		return len(p), nil
	case o.queued > 0 && o.queued+len(p) > o.backlog:
		o.skipped += len(o.queue) + 1
		o.queue, o.queued, o.dropping = nil, 0, true
		return len(p), nil
	}
	var buf []byte
	if n := len(o.spare); n > 0 {
		buf, o.spare = o.spare[n-1], o.spare[:n-1]
	}
	o.queue = append(o.queue, append(buf, p...))
	o.queued += len(p)
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *outputWriter) run() {
	defer close(o.done)
	for range o.wake {
		for {
			o.mu.Lock()
			batch := o.queue
			o.queue, o.queued, o.freeQueue = o.freeQueue, 0, nil
			var resync func()
			if len(batch) == 0 {
				if o.dropping {
					// What was in flight has landed: draw everything again.
					o.dropping, resync = false, o.resync
				}
				closed := o.closed
				o.mu.Unlock()
				if resync != nil {
					resync()
				}
				if closed {
					return
				}
				break
			}
			o.mu.Unlock()
			for _, b := range batch {
				if _, err := o.w.Write(b); err != nil {
					o.mu.Lock()
					o.err, o.queue, o.queued = err, nil, 0
					o.mu.Unlock()
					return
				}
			}
			o.reuse(batch)
		}
	}
}

// maxSpare bounds the buffers kept for reuse, and maxSpareSize their
// size: a full redraw's buffer is not kept for the small frames after it.
const (
	maxSpare     = 4
	maxSpareSize = 32 << 10
)

// reuse keeps the buffers of frames the channel has taken, and the queue
// they came in. (An io.Writer keeps nothing it is given.)
func (o *outputWriter) reuse(sent [][]byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, b := range sent {
		if len(o.spare) < maxSpare && cap(b) <= maxSpareSize {
			o.spare = append(o.spare, b[:0])
		}
	}
	clear(sent)
	o.freeQueue = sent[:0]
}

// Close sends what is queued (the program's last frame restores the
// terminal), waiting at most timeout for a slow client.
func (o *outputWriter) Close(timeout time.Duration) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.closed = true
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-o.done:
	case <-t.C:
	}
}

// Skipped is how many frames were not sent to a slow client.
func (o *outputWriter) Skipped() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.skipped
}
