//go:build unix

package ui

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/ui/convlist"
)

// benchModel is the TUI of a real client with the group conversation open
// and n messages loaded in it.
func benchModel(b *testing.B, n int) Model {
	b.Helper()
	s := clienttest.Start(b)
	s.CreateUser(b, "superhero1", "Iron Man")
	c := drainedClient(b, s, "superhero1")
	m := New(c, Options{})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	g := chat.Group{GUID: "avengers", Name: "Avengers HQ", Type: chat.GroupPublic, Scope: chat.ScopeAdmin, HasJoined: true}
	conv := chat.Conversation{ConversationID: "group_avengers", ConversationType: chat.ReceiverGroup, WithGroup: &g}
	m.Update(convlist.OpenMsg{Conversation: conv})
	msgs := make([]chat.Message, n)
	base := time.Now().Add(-time.Duration(n) * time.Second).Unix()
	for i := range msgs {
		from := "superhero" + strconv.Itoa(2+i%3)
		msgs[i] = chat.Message{ID: chat.ID(i + 1), ConversationID: "group_avengers", Sender: from, Receiver: "avengers",
			ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText, SentAt: base + int64(i),
			Data: chat.MessageData{Text: "message number " + strconv.Itoa(i) + " with a little text to wrap around the pane"}}
	}
	m.Update(historyMsg{conv: "group_avengers", msgs: msgs})
	if m.pane.Len() != n {
		b.Fatalf("pane holds %d messages", m.pane.Len())
	}
	m.View()
	return m
}

// BenchmarkKeystroke is one key typed into the composer with 100,000
// messages in the open conversation: Update and the frame it causes.
func BenchmarkKeystroke(b *testing.B) {
	m := benchModel(b, 100_000)
	keys := []tea.KeyPressMsg{{Code: 'a', Text: "a"}, {Code: tea.KeyBackspace}}
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for i := 0; i < b.N; i++ {
		out, _ := m.Update(keys[i%2])
		m = out.(Model)
		_ = m.View()
	}
	// Wall time per op suffers when the machine is shared; the process's
	// CPU time per op (GC included) is the steadier figure.
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// drainedClient logs uid in to s, closes the client at the end of the
// test, and drains its events (the benchmarks drive Update by hand).
func drainedClient(tb testing.TB, s *clienttest.Server, uid string) *client.Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Login(ctx, s.Config(uid))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	go func() {
		for range c.Events() {
		}
	}()
	return c
}
