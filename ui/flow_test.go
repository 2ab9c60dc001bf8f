package ui_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/ui"
)

var _ ui.Backend = (*client.Client)(nil)

const waitLong = 30 * time.Second

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// login creates uid (named name) on s and logs a real client in.
func login(t *testing.T, s *clienttest.Server, uid, name string) *client.Client {
	t.Helper()
	if err := s.AdminCall("GET", "/users/"+uid, nil, nil); chat.HasCode(err, chat.ErrUIDNotFound) {
		s.CreateUser(t, uid, name)
	}
	c, err := client.Login(ctxT(t), s.Config(uid))
	if err != nil {
		t.Fatalf("login %s: %v", uid, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// drain reads a client's events so that its buffer never fills.
func drain(t *testing.T, c *client.Client) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range c.Events() {
		}
	}()
	t.Cleanup(func() { c.Close(); <-done })
}

// start runs the whole TUI for me at 120×36.
func start(t *testing.T, me *client.Client, opts ui.Options) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, ui.New(me, opts), teatest.WithInitialTermSize(120, 36))
	t.Cleanup(func() {
		tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		tm.WaitFinished(t, teatest.WithFinalTimeout(15*time.Second))
	})
	return tm
}

// screen waits until the output (colours stripped) shows every want.
func screen(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		plain := []byte(ansi.Strip(string(b)))
		for _, w := range want {
			if !bytes.Contains(plain, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(waitLong), teatest.WithCheckInterval(20*time.Millisecond))
}

// eventually polls the server's state until cond holds or the deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func key(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

func enter(tm *teatest.TestModel) { tm.Send(key(tea.KeyEnter)) }

// newest is the newest message of a conversation as peer sees it.
func newest(t *testing.T, peer *client.Client, conv string) (chat.Message, bool) {
	t.Helper()
	ms, err := peer.Messages(ctxT(t), chat.MessageQuery{ConversationID: conv, Limit: 5, Categories: []chat.Category{chat.CategoryMessage}})
	if err != nil || len(ms) == 0 {
		return chat.Message{}, false
	}
	last := ms[0]
	for _, m := range ms {
		if m.ID > last.ID {
			last = m
		}
	}
	return last, true
}

// avengers sets up superhero1 (admin, owner) and superhero2, superhero3
// (participants) in the public group avengers.
func avengers(t *testing.T) (s *clienttest.Server, me, cap, spidey *client.Client) {
	s = clienttest.Start(t)
	me = login(t, s, "superhero1", "Iron Man")
	cap = login(t, s, "superhero2", "Captain America")
	spidey = login(t, s, "superhero3", "Spiderman")
	drain(t, cap)
	drain(t, spidey)
	_, err := me.CreateGroup(ctxT(t), client.NewGroup{GUID: "avengers", Name: "Avengers HQ", Type: chat.GroupPublic,
		Members: map[string]chat.Scope{"superhero2": chat.ScopeParticipant, "superhero3": chat.ScopeParticipant}})
	if err != nil {
		t.Fatal(err)
	}
	return s, me, cap, spidey
}

func TestFlowSendEditReactDelete(t *testing.T) {
	_, me, cap, _ := avengers(t)
	if _, err := cap.SendText(ctxT(t), "avengers", chat.ReceiverGroup, "Morning team"); err != nil {
		t.Fatal(err)
	}
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ", "Morning team")

	tm.Type("hello avengers")
	enter(tm)
	screen(t, tm, "hello avengers")
	var sent chat.Message
	eventually(t, "the message on the server", func() bool {
		m, ok := newest(t, cap, "group_avengers")
		sent = m
		return ok && m.Data.Text == "hello avengers" && m.Sender == "superhero1"
	})

	// ↑ on the empty composer loads my last message for editing.
	tm.Send(key(tea.KeyUp))
	screen(t, tm, "editing message #"+sent.ID.String())
	tm.Type(" v2")
	enter(tm)
	eventually(t, "the edit on the server", func() bool {
		m, ok := newest(t, cap, "group_avengers")
		return ok && m.ID == sent.ID && m.Data.Text == "hello avengers v2" && m.EditedAt != 0
	})
	screen(t, tm, "(edited)") // the renderer redraws only what changed

	tm.Type("/react :fire:")
	enter(tm)
	eventually(t, "the reaction on the server", func() bool {
		m, ok := newest(t, cap, "group_avengers")
		if !ok || m.ID != sent.ID {
			return false
		}
		for _, r := range m.Data.Reactions {
			if r.Reaction == "🔥" && r.Count == 1 {
				return true
			}
		}
		return false
	})
	screen(t, tm, "🔥")

	tm.Type("/delete")
	enter(tm)
	eventually(t, "the deletion on the server", func() bool {
		ms, err := cap.Messages(ctxT(t), chat.MessageQuery{ConversationID: "group_avengers", Limit: 10})
		if err != nil {
			return false
		}
		for _, m := range ms {
			if m.ID == sent.ID {
				return m.DeletedAt != 0
			}
		}
		return false
	})
}

func TestFlowIncomingBumpsListAndNotifies(t *testing.T) {
	_, me, cap, _ := avengers(t)
	if _, err := cap.SendText(ctxT(t), "superhero1", chat.ReceiverUser, "first contact"); err != nil {
		t.Fatal(err)
	}
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers", Notify: true})
	screen(t, tm, "Avengers HQ", "first contact")
	if _, err := cap.SendText(ctxT(t), "superhero1", chat.ReceiverUser, "are you there?"); err != nil {
		t.Fatal(err)
	}
	// A direct message outside the open conversation rings and notifies.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("\x1b]9;Captain America: are you there?\x07"))
	}, teatest.WithDuration(waitLong))
}

func TestFlowJoinPasswordGroup(t *testing.T) {
	s := clienttest.Start(t)
	me := login(t, s, "superhero1", "Iron Man")
	fury := login(t, s, "fury", "Nick Fury")
	drain(t, fury)
	if _, err := fury.CreateGroup(ctxT(t), client.NewGroup{GUID: "shield", Name: "Shield Ops", Type: chat.GroupPassword, Password: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	tm := start(t, me, ui.Options{})
	screen(t, tm, "No conversations yet")

	tm.Send(key(tea.KeyF2)) // n types text in the composer; F2 always opens
	screen(t, tm, "New chat", "Nick Fury")
	tm.Send(key(tea.KeyTab))
	screen(t, tm, "Shield Ops")
	tm.Type("shield")
	enter(tm)
	screen(t, tm, "it needs a password")
	tm.Type("wrong")
	enter(tm)
	screen(t, tm, "password is wrong")
	tm.Type("s3cret")
	enter(tm)
	screen(t, tm, "joined Shield Ops")
	eventually(t, "membership on the server", func() bool {
		return slices.Contains(memberUIDs(t, fury, "shield"), "superhero1")
	})
}

func TestFlowKickAsAdmin(t *testing.T) {
	_, me, cap, _ := avengers(t)
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ", "you: admin")
	tm.Type("/kick superhero3")
	enter(tm)
	screen(t, tm, "kicked superhero3")
	eventually(t, "superhero3 gone from the group", func() bool {
		uids := memberUIDs(t, cap, "avengers") // nil on error; the owner stays
		return uids != nil && !slices.Contains(uids, "superhero3")
	})
}

func TestFlowKickRefusedAsParticipant(t *testing.T) {
	_, _, cap, _ := avengers(t)
	tm := start(t, cap, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ", "you: participant")
	tm.Type("/kick superhero3")
	enter(tm)
	// The server's refusal, in its words, under the composer.
	screen(t, tm, "✗", "scope does not allow")
}

func TestFlowWrongCommandSendsNothing(t *testing.T) {
	_, me, cap, _ := avengers(t)
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ")
	tm.Type("/scope superhero3 king")
	enter(tm)
	screen(t, tm, "scope must be admin, moderator or participant")
	if m, ok := newest(t, cap, "group_avengers"); ok && strings.Contains(m.Data.Text, "scope") {
		t.Fatalf("a wrong command was sent as text: %q", m.Data.Text)
	}
}

func TestFlowMembersPanelKick(t *testing.T) {
	_, me, cap, _ := avengers(t)
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ", "you: admin")
	tm.Send(key(tea.KeyF3)) // m is text in the composer; F3 always toggles
	screen(t, tm, "Members (3)", "Spiderman")
	// Owner first, then by scope and name: Iron Man, Captain America, Spiderman.
	tm.Send(key(tea.KeyDown))
	tm.Send(key(tea.KeyDown))
	tm.Type("k")
	tm.Type("y")
	eventually(t, "superhero3 kicked through the panel", func() bool {
		uids := memberUIDs(t, cap, "avengers")
		return !slices.Contains(uids, "superhero3") && len(uids) == 2
	})
	screen(t, tm, "Spiderman was kicked") // my own action, fetched after the call
}

func TestFlowThreadReplyAndInfo(t *testing.T) {
	_, me, cap, _ := avengers(t)
	parent, err := cap.SendText(ctxT(t), "avengers", chat.ReceiverGroup, "Briefing at eleven")
	if err != nil {
		t.Fatal(err)
	}
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Briefing at eleven")
	tm.Type("/thread")
	enter(tm)
	screen(t, tm, "Thread", "0 replies")
	tm.Type("copy that")
	enter(tm)
	eventually(t, "the reply on the server", func() bool {
		rs, err := cap.Messages(ctxT(t), chat.MessageQuery{ParentID: parent.ID, Limit: 5})
		return err == nil && len(rs) == 1 && rs[0].Data.Text == "copy that" && rs[0].Sender == "superhero1"
	})
	screen(t, tm, "1 reply")
	tm.Send(key(tea.KeyEscape)) // back to the conversation
	tm.Type("/info")
	enter(tm)
	screen(t, tm, "Delivered", "Read")
}

func TestFlowInspectorShowsFrames(t *testing.T) {
	_, me, cap, _ := avengers(t)
	tm := start(t, me, ui.Options{InitialConversation: "group_avengers"})
	screen(t, tm, "Avengers HQ")
	tm.Send(key(tea.KeyF4))
	if _, err := cap.SendText(ctxT(t), "avengers", chat.ReceiverGroup, "inspect me"); err != nil {
		t.Fatal(err)
	}
	screen(t, tm, "inspect me", "message")
}
