package client_test

import (
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestManualConnection(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice", manual)
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)

	if _, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "before connect"); err != nil {
		t.Fatal(err)
	}
	if alice.Status() != chat.ConnDisconnected || s.Hub.Online("alice") || len(ar.snapshot()) != 0 {
		t.Fatalf("manual mode connected by itself: status %s, events %s", alice.Status(), summary(ar.snapshot()))
	}
	if err := alice.Connect(ctx); err != nil { // catches up on "before connect"
		t.Fatal(err)
	}
	if alice.Status() != chat.ConnConnected || !s.Hub.Online("alice") {
		t.Fatalf("after Connect: status %s", alice.Status())
	}
	if err := alice.Connect(ctx); err != nil { // already connected: no-op
		t.Fatal(err)
	}
	send := func(text string) chat.Message {
		t.Helper()
		m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, text)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	live1 := send("live 1")
	first(t, ar, func(e chat.MessageReceived) bool { return e.Message.ID == live1.ID })

	if err := alice.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if alice.Status() != chat.ConnDisconnected {
		t.Fatalf("after Disconnect: %s", alice.Status())
	}
	eventually(t, "alice offline on the server", func() bool { return !s.Hub.Online("alice") })
	away := send("while away")
	// Seeing it as a conversation's last message is not delivery.
	cs, err := alice.Conversations(ctx, chat.ConversationQuery{})
	if err != nil || len(cs) != 1 || cs[0].LastMessage == nil || cs[0].LastMessage.ID != away.ID {
		t.Fatalf("conversations while away: %+v %v", cs, err)
	}
	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	send("live 2")
	evs := ar.waitFor(t, "live 2", func(evs []chat.Event) bool { return len(texts(evs)) >= 4 })
	if got := texts(evs); !slices.Equal(got, []string{"before connect", "live 1", "while away", "live 2"}) {
		t.Fatalf("texts %v (%s)", got, summary(evs))
	}
	ms := all[chat.MessageReceived](evs)
	if !ms[0].CatchUp || ms[1].CatchUp || !ms[2].CatchUp || ms[3].CatchUp || ms[2].Meta().Dir != chat.Local {
		t.Fatalf("catch-up flags wrong: %s", summary(evs))
	}
	var statuses []chat.ConnStatus
	for _, e := range all[chat.ConnectionChanged](evs) {
		statuses = append(statuses, e.Status)
	}
	want := []chat.ConnStatus{chat.ConnConnecting, chat.ConnConnected, chat.ConnDisconnected, chat.ConnConnecting, chat.ConnConnected}
	if !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
}

func TestLogout(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	ctx := ctxT(t)
	connected(t, ar)
	if err := alice.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	ar.wait() // Events is closed
	if alice.Status() != chat.ConnDisconnected || s.Hub.Online("alice") {
		t.Fatalf("still connected after logout: %s", alice.Status())
	}
	// The session's auth token is gone on the server.
	if _, err := alice.User(ctx, "alice"); !chat.HasCode(err, chat.ErrAuthTokenNotFound) {
		t.Fatalf("call after logout err = %v", err)
	}
	if err := alice.Connect(ctx); err != client.ErrClosed {
		t.Fatalf("connect after logout err = %v", err)
	}
}

func TestRevokedTokenStopsReconnecting(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	connected(t, ar)
	s.Admin(t, "DELETE", "/users/alice/auth_tokens", nil, nil)
	last := first(t, ar, func(e chat.ConnectionChanged) bool {
		return e.Status == chat.ConnDisconnected && e.RetryIn == 0 && e.Err != nil
	})
	if !chat.HasCode(last.Err, chat.ErrAuthTokenNotFound) {
		t.Fatalf("final error %v", last.Err)
	}
	if err := alice.Connect(ctxT(t)); !chat.HasCode(err, chat.ErrAuthTokenNotFound) {
		t.Fatalf("connect with a revoked token err = %v", err)
	}
}

func TestBadCredentials(t *testing.T) {
	s := clienttest.Start(t)
	s.CreateUser(t, "alice", "Alice")
	ctx := ctxT(t)
	cfg := s.Config("alice")
	cfg.AuthKey = "wrong-key-wrong-key"
	if _, err := client.Login(ctx, cfg); !chat.HasCode(err, chat.ErrAPIKeyNotFound) {
		t.Fatalf("wrong auth key err = %v", err)
	}
	cfg = s.Config("nobody")
	if _, err := client.Login(ctx, cfg); !chat.HasCode(err, chat.ErrUIDNotFound) {
		t.Fatalf("unknown uid err = %v", err)
	}
	cfg = s.Config("")
	cfg.AuthToken = "alice_123deadbeef"
	if _, err := client.Login(ctx, cfg); !chat.HasCode(err, chat.ErrAuthTokenNotFound) {
		t.Fatalf("bad auth token err = %v", err)
	}
	cfg = s.Config("alice")
	cfg.AppID = "otherapp"
	if _, err := client.Login(ctx, cfg); err == nil {
		t.Fatal("login to the wrong app accepted")
	}
	if _, err := client.Login(ctx, client.Config{ServerURL: s.URL}); err == nil {
		t.Fatal("login without credentials accepted")
	}
	// Production login with a token made by the server API.
	var tok struct {
		AuthToken string `json:"authToken"`
	}
	s.Admin(t, "POST", "/users/alice/auth_tokens", map[string]any{}, &tok)
	cfg = client.Config{ServerURL: s.URL, AppID: s.AppID, AuthToken: tok.AuthToken, ManualConnection: true}
	c, err := client.Login(ctx, cfg)
	if err != nil || c.Me().UID != "alice" {
		t.Fatalf("token login: %v", err)
	}
	c.Close()
}

// countingTransport counts GET /v3.0/me calls: the JWT refreshes.
type countingTransport struct {
	next     http.RoundTripper
	getMe    atomic.Int32
	anything atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.anything.Add(1)
	if r.Method == "GET" && r.URL.Path == "/v3.0/me" {
		c.getMe.Add(1)
	}
	return c.next.RoundTrip(r)
}

func TestJWTRefreshedBeforeExpiry(t *testing.T) {
	s := clienttest.Start(t)
	tr := &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	// A clock 23 hours ahead makes the server's 24-hour JWTs look nearly
	// expired, so the client must keep refreshing them.
	_, ar := login(t, s, "alice", func(c *client.Config) {
		c.HTTPClient = &http.Client{Transport: tr}
		c.Now = func() time.Time { return time.Now().Add(23 * time.Hour) }
	})
	connected(t, ar)
	eventually(t, "two JWT refreshes", func() bool { return tr.getMe.Load() >= 2 })
	if got := ar.snapshot(); len(all[chat.ConnectionChanged](got)) != 2 {
		t.Fatalf("refreshing disturbed the connection: %s", summary(got))
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := goleak.IgnoreCurrent()
	s := clienttest.Start(t)
	s.CreateUser(t, "alice", "Alice")
	s.CreateUser(t, "bob", "Bob")
	ctx := ctxT(t)
	alice, err := client.Login(ctx, s.Config("alice"))
	if err != nil {
		t.Fatal(err)
	}
	bob, err := client.Login(ctx, s.Config("bob"))
	if err != nil {
		t.Fatal(err)
	}
	ar := record(alice)
	connected(t, ar)
	if err := bob.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	// bob never reads his events; Close must still stop everything.
	for i := range 5 {
		if _, err := alice.SendText(ctx, "bob", chat.ReceiverUser, "x"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := alice.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bob.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bob.Close(); err != nil { // twice is fine
		t.Fatal(err)
	}
	ar.wait()
	s.Stop()
	goleak.VerifyNone(t, before)
}

func TestRapidDisconnectConnect(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice", manual)
	bob, _ := login(t, s, "bob", manual)
	ctx := ctxT(t)
	if err := alice.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	var want []chat.ID
	for i := range 6 {
		m, err := bob.SendText(ctx, "alice", chat.ReceiverUser, "r"+string(rune('0'+i)))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m.ID)
		if err := alice.Disconnect(); err != nil {
			t.Fatal(err)
		}
		if err := alice.Connect(ctx); err != nil {
			t.Fatal(err)
		}
	}
	evs := expectExactly(t, ar, bob, want)
	if n := countStatus(evs, chat.ConnConnected, false); n != 7 {
		t.Fatalf("%d connections, want 7", n)
	}
}

func TestConcurrentSocketWrites(t *testing.T) {
	s := clienttest.Start(t)
	alice, ar := login(t, s, "alice")
	_, br := login(t, s, "bob")
	connected(t, ar)
	connected(t, br)
	ctx := ctxT(t)
	errs := make(chan error, 40)
	for g := range 4 {
		go func() {
			for i := range 10 {
				var err error
				switch (g + i) % 3 {
				case 0:
					err = alice.StartTyping(ctx, "bob", chat.ReceiverUser)
				case 1:
					err = alice.EndTyping(ctx, "bob", chat.ReceiverUser)
				default:
					err = alice.SendTransient(ctx, "bob", chat.ReceiverUser, map[string]any{"g": g, "i": i})
				}
				errs <- err
			}
		}()
	}
	for range 40 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ar.waitFor(t, "40 frames sent", func(evs []chat.Event) bool {
		n := 0
		for _, e := range all[chat.FrameSent](evs) {
			if e.FrameType != "auth" {
				n++
			}
		}
		return n == 40
	})
	br.waitFor(t, "transients at bob", func(evs []chat.Event) bool { return len(all[chat.TransientReceived](evs)) >= 13 })
}
