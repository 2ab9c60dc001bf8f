package demo

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/chat/wire"
)

// live is a seeded in-process server with the demo running on it and the
// user logged in as a real client.
type live struct {
	srv  *clienttest.Server
	me   *client.Client
	stop func() // cancels Run and checks that it returned nil
}

func startLive(t *testing.T, pace time.Duration) *live {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs last, after the server stops
	srv := clienttest.Start(t)
	if _, err := Seed(context.Background(), srv.Store, time.Now()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	// The user logs in first, so that they see the demo users arrive.
	cfg := srv.Config(IronMan)
	cfg.PresenceSubscription = wire.SubscribeAllUsers
	me, err := client.Login(context.Background(), cfg)
	if err != nil {
		t.Fatalf("login %s: %v", IronMan, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{
			ServerURL: srv.URL, AppID: srv.AppID, AuthKey: srv.AuthKey, Me: IronMan, Pace: pace,
			Rand:   rand.New(rand.NewPCG(7, 11)),
			Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo})),
		})
	}()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil after cancel", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Run did not return after cancel")
		}
	}
	l := &live{srv: srv, me: me, stop: stop}
	t.Cleanup(func() {
		stop()
		me.Close()
	})
	return l
}

// await reads the user's events until every condition has been met, in
// any order, or fails at the deadline naming the ones still missing.
func (l *live) await(t *testing.T, within time.Duration, conds map[string]func(chat.Event) bool) {
	t.Helper()
	deadline := time.After(within)
	for len(conds) > 0 {
		select {
		case ev, ok := <-l.me.Events():
			if !ok {
				t.Fatalf("event stream closed")
			}
			for name, met := range conds {
				if met(ev) {
					delete(conds, name)
				}
			}
		case <-deadline:
			var missing []string
			for name := range conds {
				missing = append(missing, name)
			}
			slices.Sort(missing)
			t.Fatalf("after %s still waiting for: %s", within, strings.Join(missing, ", "))
		}
	}
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// awaitOnline returns once uid is online: at once if the server says so,
// else when their presence event arrives (it cannot be missed: the user
// subscribed before asking).
func (l *live) awaitOnline(t *testing.T, uid string) {
	t.Helper()
	u, err := l.me.User(context.Background(), uid)
	if err != nil {
		t.Fatalf("user %s: %v", uid, err)
	}
	if u.Online() {
		return
	}
	l.await(t, 10*time.Second, map[string]func(chat.Event) bool{
		uid + " online": func(ev chat.Event) bool {
			p, ok := ev.(chat.PresenceChanged)
			return ok && p.User.UID == uid && p.Online
		},
	})
}

// TestRun watches one running demo from the user's side. Each part waits
// only for the events it names, so the demo's own life in between (chatter,
// presence, scope changes) does not disturb it.
func TestRun(t *testing.T) {
	l := startLive(t, 10*time.Millisecond)
	t.Run("answers a direct message", l.answersADirectMessage)
	t.Run("answers in a group once", l.answersInAGroupOnce)
	t.Run("answers in a thread", l.answersInAThread)
	t.Run("lives on its own", l.livesOnItsOwn)
	t.Run("a wrong auth key stops it", l.wrongAuthKey)
}

func (l *live) wrongAuthKey(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), Config{ServerURL: l.srv.URL, AppID: l.srv.AppID, AuthKey: "not-the-key", Pace: time.Millisecond})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "log in") {
			t.Errorf("Run = %v, want a login error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Run kept going with a wrong auth key")
	}
}

func (l *live) answersADirectMessage(t *testing.T) {
	ctx := context.Background()
	l.awaitOnline(t, CaptainAmerica)

	const q = "Are we still on for training?"
	sent, err := l.me.SendText(ctx, CaptainAmerica, chat.ReceiverUser, q)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	l.await(t, 10*time.Second, map[string]func(chat.Event) bool{
		"read receipt": func(ev chat.Event) bool {
			r, ok := ev.(chat.ReceiptReceived)
			return ok && r.Receipt.Type == chat.ReceiptRead && r.Receipt.MessageID == sent.ID && r.Receipt.Sender == CaptainAmerica
		},
		// Typing travels on Cap's socket and the answer through the REST
		// API, so at a test's pace either may arrive first.
		"typing started": func(ev chat.Event) bool {
			ts, ok := ev.(chat.TypingStarted)
			return ok && ts.Typing.Sender.UID == CaptainAmerica && ts.Typing.Receiver == IronMan
		},
		"an answer to the question": func(ev chat.Event) bool {
			mr, ok := ev.(chat.MessageReceived)
			if !ok || mr.Message.Sender != CaptainAmerica || mr.Message.Receiver != IronMan {
				return false
			}
			if !isLine(mr.Message.Data.Text, replies[CaptainAmerica][question], "Tony") {
				t.Errorf("answer %q is not one of Cap's answers to questions", mr.Message.Data.Text)
			}
			return true
		},
	})
}

func isLine(text string, lines []string, name string) bool {
	for _, l := range lines {
		if fill(l, name) == text {
			return true
		}
	}
	return false
}

func (l *live) answersInAGroupOnce(t *testing.T) {
	ctx := context.Background()
	for _, uid := range []string{CaptainAmerica, Spiderman, Wolverine, Cyclops} {
		l.awaitOnline(t, uid)
	}
	hello, err := l.me.SendText(ctx, Avengers, chat.ReceiverGroup, "hey team")
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	l.await(t, 10*time.Second, map[string]func(chat.Event) bool{
		"someone types in the group": func(ev chat.Event) bool {
			ts, ok := ev.(chat.TypingStarted)
			return ok && ts.Typing.Receiver == Avengers
		},
		"a greeting back": groupAnswer(greeting),
	})
	// Every demo user received the greeting; one answered. A second
	// answer would come within a few paces, well before the answer to a
	// second message has had time to be read, typed and sent.
	if _, err := l.me.SendText(ctx, Avengers, chat.ReceiverGroup, "Training moved to noon."); err != nil {
		t.Fatalf("send: %v", err)
	}
	l.await(t, 10*time.Second, map[string]func(chat.Event) bool{"an answer to the statement": groupAnswer(statement)})
	ms, err := l.me.Messages(ctx, chat.MessageQuery{
		ConversationID: chat.GroupConversationID(Avengers), Affix: wire.AffixAppend, ID: hello.ID, Limit: 100,
	})
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	greetings := 0
	for _, m := range ms {
		if m.Sender != IronMan && isLine(stripMention(m.Data.Text), replies[m.Sender][greeting], "Tony") {
			greetings++
		}
	}
	if greetings != 1 {
		t.Errorf("%d greetings back, want 1", greetings)
	}
}

func (l *live) answersInAThread(t *testing.T) {
	ctx := context.Background()
	ms, err := l.me.Messages(ctx, chat.MessageQuery{ConversationID: chat.GroupConversationID(Avengers), SearchKey: "Briefing at eleven", Limit: 10})
	if err != nil || len(ms) == 0 {
		t.Fatalf("find the briefing: %d messages, %v", len(ms), err)
	}
	parent := ms[0].ID
	if _, err := l.me.SendText(ctx, Avengers, chat.ReceiverGroup, "thanks for organising this", client.InThread(parent)); err != nil {
		t.Fatalf("send: %v", err)
	}
	l.await(t, 10*time.Second, map[string]func(chat.Event) bool{
		"thanks back in the thread": func(ev chat.Event) bool {
			mr, ok := ev.(chat.MessageReceived)
			m := mr.Message
			return ok && m.Sender != IronMan && m.ParentID == parent &&
				isLine(stripMention(m.Data.Text), replies[m.Sender][thanks], "Tony")
		},
	})
}

func stripMention(text string) string { return strings.TrimPrefix(text, "<@uid:"+IronMan+"> ") }

// groupAnswer matches a demo user's answer of kind k in the public group.
func groupAnswer(k kind) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		mr, ok := ev.(chat.MessageReceived)
		m := mr.Message
		return ok && m.Receiver == Avengers && m.Sender != IronMan &&
			isLine(stripMention(m.Data.Text), replies[m.Sender][k], "Tony")
	}
}

// With a fast pace, the unprompted life of the demo shows within seconds:
// chatter in the public group, a demo user going offline and coming back,
// an admin changing a member's scope.
func (l *live) livesOnItsOwn(t *testing.T) {
	wentAway := ""
	l.await(t, 30*time.Second, map[string]func(chat.Event) bool{
		"chatter in the public group": func(ev chat.Event) bool {
			mr, ok := ev.(chat.MessageReceived)
			return ok && mr.Message.Receiver == Avengers && mr.Message.Sender != IronMan && mr.Message.Category == chat.CategoryMessage
		},
		"someone goes offline and comes back": func(ev chat.Event) bool {
			p, ok := ev.(chat.PresenceChanged)
			if !ok {
				return false
			}
			if !p.Online {
				wentAway = p.User.UID
			}
			return p.Online && p.User.UID == wentAway
		},
		"Cyclops's scope changes": func(ev chat.Event) bool {
			g, ok := ev.(chat.GroupMemberChanged)
			return ok && g.Action == chat.ActionScopeChanged && g.On.UID == Cyclops && g.By.UID == CaptainAmerica
		},
	})
}
