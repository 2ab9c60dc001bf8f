package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cometterm/chat"
	"cometterm/chat/client"
)

// jobQueue bounds each demo user's backlog of calls. The director never
// waits on a worker: a call that does not fit is skipped and logged, which
// at the demo's pace means a server that has stopped answering.
const jobQueue = 32

// callTimeout bounds one call of a demo user.
const callTimeout = 10 * time.Second

// bot is one demo user as the director sees them.
type bot struct {
	p       persona
	c       *client.Client // set by the loop once logged in
	jobs    chan job       // calls for the worker, in order
	engaged time.Time      // the user last wrote to them; they stay online a while
	busy    int            // answers and lines in progress; nobody leaves mid-sentence
}

// botEvent is an event seen by demo user uid.
type botEvent struct {
	uid string
	ev  chat.Event
}

// job is one call of a demo user; then, if set, runs on the loop after a
// successful call (it may read what the call captured).
type job struct {
	what string
	call func(ctx context.Context, c *client.Client) error
	then func()
}

// start launches the worker of demo user uid, who logs in first.
func (d *director) start(uid string) {
	d.wg.Add(1)
	go d.work(uid, d.bots[uid].jobs)
}

// work logs uid in, then runs their calls one at a time until the demo
// stops, and closes the client on the way out.
func (d *director) work(uid string, jobs <-chan job) {
	defer d.wg.Done()
	ctx, cancel := context.WithTimeout(d.ctx, 3*callTimeout)
	c, err := client.Login(ctx, client.Config{
		ServerURL: d.cfg.ServerURL, AppID: d.cfg.AppID, UID: uid, AuthKey: d.cfg.AuthKey,
		HTTPClient: d.cfg.HTTPClient, Logger: d.log.With("uid", uid),
	})
	cancel()
	if err != nil {
		d.post(func() {
			if d.ctx.Err() == nil && !errors.Is(err, context.Canceled) {
				d.err = fmt.Errorf("demo: log in %s: %w", uid, err)
			}
		})
		return
	}
	defer c.Close()
	d.wg.Add(1)
	go d.forward(uid, c.Events())
	d.post(func() {
		d.bots[uid].c = c
		d.log.Info("demo user logged in", "uid", uid)
	})
	for {
		select {
		case j := <-jobs:
			ctx, cancel := context.WithTimeout(d.ctx, callTimeout)
			err := j.call(ctx, c)
			cancel()
			switch {
			case d.ctx.Err() != nil:
				return
			case err != nil:
				// The user may have kicked a demo user, or the server may
				// be busy: the show goes on.
				d.log.Info("demo user call failed", "uid", uid, "call", j.what, "err", err)
			case j.then != nil:
				d.post(j.then)
			}
		case <-d.ctx.Done():
			return
		}
	}
}

// post hands a follow-up to the loop, unless the demo is stopping.
func (d *director) post(then func()) {
	select {
	case d.results <- then:
	case <-d.ctx.Done():
	}
}

// forward hands one client's events to the loop until the client closes
// its stream or the demo stops.
func (d *director) forward(uid string, events <-chan chat.Event) {
	defer d.wg.Done()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			select {
			case d.events <- botEvent{uid: uid, ev: ev}:
			case <-d.ctx.Done():
				return
			}
		case <-d.ctx.Done():
			return
		}
	}
}

// act queues a call of an online demo user; an offline one does nothing,
// as a person away would.
func (d *director) act(uid, what string, call func(ctx context.Context, c *client.Client) error) {
	if d.online(uid) {
		d.queue(uid, job{what: what, call: call})
	}
}

// actThen is act with a follow-up on success.
func (d *director) actThen(uid, what string, call func(ctx context.Context, c *client.Client) error, then func()) {
	if d.online(uid) {
		d.queue(uid, job{what: what, call: call, then: then})
	}
}

func (d *director) queue(uid string, j job) {
	select {
	case d.bots[uid].jobs <- j:
	default:
		d.log.Warn("demo user is behind; call skipped", "uid", uid, "call", j.what)
	}
}
