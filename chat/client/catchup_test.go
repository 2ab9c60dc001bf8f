package client_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

// What happens while away comes back as the events it would have been
// live: edits, deletes, group actions, thread replies, group messages.
func TestCatchUpKeepsEventKinds(t *testing.T) {
	s := clienttest.Start(t)
	s.CreateUser(t, "alice", "Alice")
	bob, _ := login(t, s, "bob", manual)
	carol, _ := login(t, s, "carol", manual)
	ctx := ctxT(t)
	if _, err := bob.CreateGroup(ctx, client.NewGroup{GUID: "g", Name: "G", Type: chat.GroupPublic,
		Members: map[string]chat.Scope{"alice": chat.ScopeParticipant}}); err != nil {
		t.Fatal(err)
	}
	old, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "old")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "to be deleted")
	if err != nil {
		t.Fatal(err)
	}
	alice, ar := login(t, s, "alice", manual) // old and gone are history now
	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := alice.Disconnect(); err != nil {
		t.Fatal(err)
	}

	if _, err := bob.EditMessage(ctx, old.ID, "old, edited"); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.DeleteMessage(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	reply, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "reply", client.InThread(old.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carol.JoinGroup(ctx, "g", ""); err != nil {
		t.Fatal(err)
	}
	gm, err := carol.SendText(ctx, "g", chat.ReceiverGroup, "hello group")
	if err != nil {
		t.Fatal(err)
	}
	// alice's own message from this client came back by REST already.
	mine, err := alice.SendText(ctx, "bob", chat.ReceiverUser, "mine")
	if err != nil {
		t.Fatal(err)
	}

	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	// Connect returns once the catch-up is queued; the recorder may still
	// be reading it.
	evs := ar.waitFor(t, "the group message", func(evs []chat.Event) bool {
		return slices.ContainsFunc(all[chat.MessageReceived](evs), func(e chat.MessageReceived) bool { return e.Message.ID == gm.ID })
	})
	var kinds []string
	for _, ev := range evs {
		switch e := ev.(type) {
		case chat.MessageEdited:
			if e.Message.ID == old.ID && e.Message.Data.Text == "old, edited" {
				kinds = append(kinds, "edited")
			}
		case chat.MessageDeleted:
			if e.Message.ID == gone.ID {
				kinds = append(kinds, "deleted")
			}
		case chat.GroupMemberChanged:
			if e.Action == chat.ActionJoined && e.By.UID == "carol" && e.Group.GUID == "g" {
				kinds = append(kinds, "joined")
			}
		case chat.MessageReceived:
			if !e.CatchUp {
				t.Fatalf("live message while disconnected: %+v", e.Message)
			}
			switch e.Message.ID {
			case reply.ID:
				kinds = append(kinds, "reply")
			case gm.ID:
				kinds = append(kinds, "group")
			case mine.ID:
				t.Fatal("own message sent through this client delivered again")
			case old.ID, gone.ID:
				t.Fatal("history from before login replayed")
			}
		}
	}
	if want := []string{"edited", "deleted", "reply", "joined", "group"}; !slices.Equal(kinds, want) {
		t.Fatalf("caught up %v, want %v: %s", kinds, want, summary(evs))
	}
}

// A reader that falls behind slows the socket down; nothing is dropped.
func TestBackpressureDropsNothing(t *testing.T) {
	s := clienttest.Start(t)
	s.CreateUser(t, "alice", "Alice")
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)
	cfg := s.Config("alice")
	cfg.EventBuffer = 2
	alice, err := client.Login(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	// Read only the first connection event, then stop reading.
	ev := <-alice.Events()
	if cc, ok := ev.(chat.ConnectionChanged); !ok || cc.Status != chat.ConnConnecting {
		t.Fatalf("first event %T %+v", ev, ev)
	}
	var want []chat.ID
	for i := range 40 {
		m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "x", client.WithMetadata(map[string]any{"i": i}))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m.ID)
	}
	var got []chat.ID
	for len(got) < len(want) {
		select {
		case ev := <-alice.Events():
			if m, ok := ev.(chat.MessageReceived); ok {
				got = append(got, m.Message.ID)
			}
		case <-ctx.Done():
			t.Fatalf("stalled after %d of %d", len(got), len(want))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

// refuseGlobalList answers GET /v3.0/messages as a server without that
// route would (CometChat's client API may not list across conversations);
// everything else goes to the real server.
type refuseGlobalList struct{ next http.RoundTripper }

func (r refuseGlobalList) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == "GET" && req.URL.Path == "/v3.0/messages" {
		body := `{"error":{"code":"ERR_API_NOT_FOUND","message":"No such API."}}`
		return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
	}
	return r.next.RoundTrip(req)
}

func TestCatchUpPerConversationFallback(t *testing.T) {
	s := clienttest.Start(t)
	s.CreateUser(t, "alice", "Alice")
	bob, _ := login(t, s, "bob", manual)
	carol, _ := login(t, s, "carol", manual)
	ctx := ctxT(t)
	if _, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "history"); err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	alice, ar := login(t, s, "alice", manual, func(c *client.Config) {
		c.HTTPClient = &http.Client{Transport: refuseGlobalList{next: tr}}
	})
	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	live, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "live")
	if err != nil {
		t.Fatal(err)
	}
	first(t, ar, func(e chat.MessageReceived) bool { return e.Message.ID == live.ID })
	if err := alice.Disconnect(); err != nil {
		t.Fatal(err)
	}
	var want []chat.ID
	for i, sender := range []*client.Client{bob, carol, bob} {
		m, err := sender.SendText(ctx, "alice", chat.ReceiverUser, fmt.Sprint("away ", i))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m.ID)
	}
	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	evs := expectExactly(t, ar, bob, append([]chat.ID{live.ID}, want...))
	var got []chat.ID
	for _, e := range all[chat.MessageReceived](evs) {
		if e.CatchUp {
			got = append(got, e.Message.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("caught up %v, want %v", got, want)
	}
}
