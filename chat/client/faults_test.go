package client_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

// sendRetry sends text, retrying with the same muid while the server is
// being disturbed: the muid makes every retry the same message.
func sendRetry(t *testing.T, c *client.Client, to, text string) chat.Message {
	t.Helper()
	muid := uuid.NewString()
	var last error
	for range 50 {
		m, err := c.SendText(ctxT(t), to, chat.ReceiverUser, text, client.WithMUID(muid))
		if err == nil {
			return m
		}
		last = err
		if chat.CodeOf(err) != "" && !chat.HasCode(err, chat.ErrInternal) {
			t.Fatalf("send %q: %v", text, err)
		}
		eventually(t, "server reachable", func() bool {
			_, err := c.User(ctxT(t), to)
			return err == nil
		})
	}
	t.Fatalf("send %q kept failing: %v", text, last)
	return chat.Message{}
}

// messageIDs lists the chat messages received, in order.
func messageIDs(evs []chat.Event) []chat.ID {
	var out []chat.ID
	for _, e := range all[chat.MessageReceived](evs) {
		if e.Message.Category == chat.CategoryMessage {
			out = append(out, e.Message.ID)
		}
	}
	return out
}

// expectExactly waits for every message in want plus a final marker, then
// checks that each arrived once and in order.
func expectExactly(t *testing.T, r *recorder, bob *client.Client, want []chat.ID) []chat.Event {
	t.Helper()
	marker := sendRetry(t, bob, "alice", "end")
	want = append(want, marker.ID)
	evs := r.waitFor(t, "every message", func(evs []chat.Event) bool {
		return slices.Contains(messageIDs(evs), marker.ID)
	})
	if got := messageIDs(evs); !slices.Equal(got, want) {
		t.Fatalf("received %v\nwant     %v\n%s", got, want, summary(evs))
	}
	return evs
}

func countStatus(evs []chat.Event, st chat.ConnStatus, withErr bool) int {
	n := 0
	for _, e := range all[chat.ConnectionChanged](evs) {
		if e.Status == st && (!withErr || e.Err != nil) {
			n++
		}
	}
	return n
}

func TestServerDropsEverySocketMidStream(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	bob, _ := login(t, s, "bob", manual)
	connected(t, ar)
	var want []chat.ID
	for i := range 60 {
		if i == 20 || i == 40 {
			eventually(t, "alice connected", func() bool { return alice.Status() == chat.ConnConnected })
			s.DropConnections()
		}
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("m", i)).ID)
	}
	evs := expectExactly(t, ar, bob, want)
	if n := countStatus(evs, chat.ConnDisconnected, true); n < 2 {
		t.Fatalf("%d drops reported, want 2: %s", n, summary(evs))
	}
	if n := countStatus(evs, chat.ConnConnected, false); n < 3 {
		t.Fatalf("%d connections, want 3", n)
	}
}

func TestServerRestartsOnSameDataDir(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	bob, _ := login(t, s, "bob", manual)
	connected(t, ar)
	var want []chat.ID
	for i := range 10 {
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("before ", i)).ID)
	}
	r := ar.waitFor(t, "first ten", func(evs []chat.Event) bool { return len(messageIDs(evs)) >= 10 })
	connectedBefore := countStatus(r, chat.ConnConnected, false)
	s.Restart()
	for i := range 10 {
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("after ", i)).ID)
	}
	evs := expectExactly(t, ar, bob, want)
	if countStatus(evs, chat.ConnDisconnected, true) < 1 || countStatus(evs, chat.ConnConnected, false) <= connectedBefore {
		t.Fatalf("restart not reported: %s", summary(evs))
	}
	if alice.Status() != chat.ConnConnected {
		t.Fatalf("status %s", alice.Status())
	}
}

func TestPongStopsArriving(t *testing.T) {
	s := clienttest.Start(t)
	p := clienttest.NewProxy(t, s.Addr)
	alice, ar := login(t, s, "alice", func(c *client.Config) { c.ServerURL = p.URL })
	bob, _ := login(t, s, "bob", manual)
	connected(t, ar)
	var want []chat.ID
	for i := range 5 {
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("live ", i)).ID)
	}
	ar.waitFor(t, "first five", func(evs []chat.Event) bool { return len(messageIDs(evs)) >= 5 })

	p.Pause()
	for i := range 5 {
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("swallowed ", i)).ID)
	}
	lost := first(t, ar, func(e chat.ConnectionChanged) bool {
		return e.Status == chat.ConnDisconnected && e.Err != nil && strings.Contains(e.Err.Error(), "pong")
	})
	if lost.RetryIn <= 0 || lost.Attempt != 1 {
		t.Fatalf("drop reported as %+v", lost)
	}
	if alice.Status() == chat.ConnConnected {
		t.Fatal("still connected while the network swallows everything")
	}
	p.Resume()
	for i := range 5 {
		want = append(want, sendRetry(t, bob, "alice", fmt.Sprint("after ", i)).ID)
	}
	evs := expectExactly(t, ar, bob, want)
	var caught int
	for _, e := range all[chat.MessageReceived](evs) {
		if e.CatchUp {
			caught++
		}
	}
	if caught == 0 {
		t.Fatalf("nothing came by catch-up although the proxy swallowed frames: %s", summary(evs))
	}
}
