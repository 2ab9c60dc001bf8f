package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

const waitLimit = 10 * time.Second

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// login logs uid in (creating the user) and records its events.
func login(t *testing.T, s *clienttest.Server, uid string, mod ...func(*client.Config)) (*client.Client, *recorder) {
	t.Helper()
	if err := s.AdminCall("GET", "/users/"+uid, nil, nil); chat.HasCode(err, chat.ErrUIDNotFound) {
		s.CreateUser(t, uid, "User "+uid)
	}
	cfg := s.Config(uid)
	for _, m := range mod {
		m(&cfg)
	}
	c, err := client.Login(ctxT(t), cfg)
	if err != nil {
		t.Fatalf("login %s: %v", uid, err)
	}
	r := record(c)
	t.Cleanup(func() {
		c.Close()
		r.wait()
	})
	return c, r
}

// recorder keeps every event of a client, read by its own goroutine
// until Events closes.
type recorder struct {
	mu     sync.Mutex
	events []chat.Event
	notify chan struct{}
	done   chan struct{}
}

func record(c *client.Client) *recorder {
	r := &recorder{notify: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for ev := range c.Events() {
			r.mu.Lock()
			r.events = append(r.events, ev)
			r.mu.Unlock()
			select {
			case r.notify <- struct{}{}:
			default:
			}
		}
	}()
	return r
}

func (r *recorder) wait() { <-r.done }

func (r *recorder) snapshot() []chat.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]chat.Event(nil), r.events...)
}

// waitFor waits until cond holds over the events so far.
func (r *recorder) waitFor(t *testing.T, what string, cond func([]chat.Event) bool) []chat.Event {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		evs := r.snapshot()
		if cond(evs) {
			return evs
		}
		select {
		case <-r.notify:
		case <-r.done:
			evs := r.snapshot()
			if cond(evs) {
				return evs
			}
			t.Fatalf("events closed while waiting for %s; got %s", what, summary(evs))
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; got %s", what, summary(evs))
		}
	}
}

// first waits for the first event of type E that matches ok.
func first[E chat.Event](t *testing.T, r *recorder, ok func(E) bool) E {
	t.Helper()
	var found E
	r.waitFor(t, fmt.Sprintf("%T", found), func(evs []chat.Event) bool {
		for _, ev := range evs {
			if e, is := ev.(E); is && (ok == nil || ok(e)) {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

func all[E chat.Event](evs []chat.Event) []E {
	var out []E
	for _, ev := range evs {
		if e, ok := ev.(E); ok {
			out = append(out, e)
		}
	}
	return out
}

// received is the text of every message event, in order.
func texts(evs []chat.Event) []string {
	var out []string
	for _, e := range all[chat.MessageReceived](evs) {
		if e.Message.Category == chat.CategoryMessage {
			out = append(out, e.Message.Data.Text)
		}
	}
	return out
}

func summary(evs []chat.Event) string {
	s := fmt.Sprintf("%d events:", len(evs))
	for i, ev := range evs {
		if i >= 60 {
			s += " …"
			break
		}
		switch e := ev.(type) {
		case chat.ConnectionChanged:
			s += fmt.Sprintf(" [%s a=%d err=%v]", e.Status, e.Attempt, e.Err)
		case chat.MessageReceived:
			s += fmt.Sprintf(" msg(%d %q cu=%v)", e.Message.ID, e.Message.Data.Text, e.CatchUp)
		default:
			s += fmt.Sprintf(" %T", ev)
		}
	}
	return s
}

func connected(t *testing.T, r *recorder) {
	t.Helper()
	first(t, r, func(e chat.ConnectionChanged) bool { return e.Status == chat.ConnConnected })
}
