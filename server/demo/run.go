package demo

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"cometterm/chat"
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
		results:  make(chan func()),
		pending:  map[string]*pending{},
		answered: map[string]chat.ID{},
		meName:   nickOf(cfg.Me, ""),
	}
	for _, p := range cast() {
		if p.user.UID != cfg.Me {
			d.bots[p.user.UID] = &bot{p: p, jobs: make(chan job, jobQueue)}
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
	cancel() // stops the workers, who close their clients, and the forwarders
	d.wg.Wait()
	return err
}

// director owns all demo state; only its loop goroutine touches it. It
// never calls a client itself: each demo user has a worker goroutine that
// runs their calls in order, so the director keeps reading events while a
// call is in flight, and the clients' event streams reach it through one
// forwarder goroutine each.
type director struct {
	cfg     Config
	log     *slog.Logger
	rnd     *rand.Rand
	bots    map[string]*bot
	order   []string // bot uids in a fixed order, so that choices replay with a seed
	ag      agenda
	events  chan botEvent
	results chan func() // follow-ups of finished calls, run by the loop
	wg      sync.WaitGroup
	ctx     context.Context // the loop's context; ends the workers
	err     error           // set when the demo cannot go on

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
		case then := <-d.results:
			then()
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
