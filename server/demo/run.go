package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"cometterm/chat"
	"cometterm/chat/client"
)

// Run brings every demo user but cfg.Me to life until ctx ends: they log
// in one after another, answer the user, chat among themselves, react,
// come and go, and change a member's scope now and then. It returns nil
// when ctx ends, or the error that stopped the demo (a demo user who
// cannot log in). Every goroutine it starts has ended when it returns.
func Run(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	d := &director{
		cfg:      cfg,
		log:      cfg.Logger,
		rnd:      cfg.Rand,
		bots:     map[string]*bot{},
		events:   make(chan botEvent),
		pending:  map[string]*pending{},
		answered: map[string]chat.ID{},
		meName:   nickOf(cfg.Me, ""),
	}
	for _, p := range cast() {
		if p.user.UID != cfg.Me {
			d.bots[p.user.UID] = &bot{p: p}
			d.order = append(d.order, p.user.UID)
		}
	}
	d.scopeActor, d.scopeTarget = CaptainAmerica, Cyclops
	if cfg.Me == CaptainAmerica {
		d.scopeActor = IronMan
	}
	if cfg.Me == Cyclops {
		d.scopeTarget = Wolverine
	}
	d.scopeNow = chat.ScopeParticipant

	err := d.loop(ctx)
	cancel()
	for _, uid := range d.order {
		if c := d.bots[uid].c; c != nil {
			c.Close()
		}
	}
	d.wg.Wait()
	return err
}

// director owns all demo state; only its loop goroutine touches it. The
// clients' event streams reach it through one forwarder goroutine each.
type director struct {
	cfg    Config
	log    *slog.Logger
	rnd    *rand.Rand
	bots   map[string]*bot
	order  []string // bot uids in a fixed order, so that choices replay with a seed
	ag     agenda
	events chan botEvent
	wg     sync.WaitGroup
	ctx    context.Context // the loop's context, for the actions it runs
	err    error           // set by an action when the demo cannot go on

	// Answers in preparation by conversation (and thread), and the newest
	// message of the user answered in each, so that the copies of a group
	// message that every demo user receives get one answer.
	pending  map[string]*pending
	answered map[string]chat.ID
	meName   string

	scopeActor, scopeTarget string
	scopeNow                chat.Scope
	lastChatter             string
	away                    int // demo users taken offline on purpose
}

type bot struct {
	p       persona
	c       *client.Client
	engaged time.Time // the user last wrote to them; they stay online a while
}

type botEvent struct {
	uid string
	ev  chat.Event
}

// pending is an answer to the user being prepared.
type pending struct {
	last      chat.Message // the user's newest message
	receivers []string     // demo users who received it, in arrival order
}

func (d *director) loop(ctx context.Context) error {
	d.ctx = ctx
	d.opening()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for d.err == nil {
		if t, ok := d.ag.next(); ok {
			timer.Reset(time.Until(t))
		} else {
			timer.Stop()
		}
		select {
		case <-ctx.Done():
			return nil
		case be := <-d.events:
			d.handle(be)
		case <-timer.C:
			for _, do := range d.ag.due(time.Now()) {
				do()
			}
		}
	}
	return d.err
}

// after schedules do in a random number of paces between lo and hi.
func (d *director) after(lo, hi float64, do func()) {
	d.ag.at(time.Now().Add(d.paces(lo, hi)), do)
}

func (d *director) paces(lo, hi float64) time.Duration {
	return time.Duration((lo + d.rnd.Float64()*(hi-lo)) * float64(d.cfg.Pace))
}

// act runs one call of a demo user with a bounded time. Failures are
// logged, not fatal: the user may have kicked a demo user, the server may
// be busy, and the show goes on.
func (d *director) act(uid, what string, call func(ctx context.Context, c *client.Client) error) {
	b := d.bots[uid]
	if b == nil || b.c == nil || d.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, 10*time.Second)
	defer cancel()
	if err := call(ctx, b.c); err != nil && d.ctx.Err() == nil {
		d.log.Info("demo user action failed", "uid", uid, "action", what, "err", err)
	}
}

func (d *director) online(uid string) bool {
	b := d.bots[uid]
	return b != nil && b.c != nil && b.c.Status() == chat.ConnConnected
}

// onlineBots lists the demo users who are connected, except those named.
func (d *director) onlineBots(except ...string) []string {
	var out []string
	for _, uid := range d.order {
		if d.online(uid) && !contains(except, uid) {
			out = append(out, uid)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// login brings one demo user online; the demo cannot go on without them.
func (d *director) login(uid string) {
	ctx, cancel := context.WithTimeout(d.ctx, 30*time.Second)
	defer cancel()
	c, err := client.Login(ctx, client.Config{
		ServerURL: d.cfg.ServerURL, AppID: d.cfg.AppID, UID: uid, AuthKey: d.cfg.AuthKey,
		HTTPClient: d.cfg.HTTPClient, Logger: d.log.With("uid", uid),
	})
	if err != nil {
		if d.ctx.Err() == nil && !errors.Is(err, context.Canceled) {
			d.err = fmt.Errorf("demo: log in %s: %w", uid, err)
		}
		return
	}
	d.bots[uid].c = c
	d.wg.Add(1)
	go d.forward(uid, c.Events())
	d.log.Info("demo user online", "uid", uid)
}

// forward hands one client's events to the director until the client
// closes its stream or the demo stops.
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

// nickOf is how the demo users address uid: their nickname in the cast,
// or the first word of their name.
func nickOf(uid, name string) string {
	for _, p := range cast() {
		if p.user.UID == uid {
			return p.nick
		}
	}
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return uid
}
