//go:build unix

package ui

import (
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/chat/client/clienttest"
	"cometterm/ui/convlist"
)

// The busy-group fixture is what each session of an SSH server sees under
// load (bench/ssh): a 100×30 terminal, a group of 200 members open with
// about 200 messages in the pane, a list of other conversations beside it,
// and a group text message arriving from the transport every so often.

const (
	busyW, busyH   = 100, 30
	busyMembers    = 200
	busyHistory    = 200
	busyOtherConvs = 20
)

var busyNow = time.Date(2026, 11, 26, 10, 10, 0, 0, time.UTC)

func busyMember(i int) chat.User {
	return chat.User{UID: "hero" + strconv.Itoa(i), Name: "Hero " + strconv.Itoa(i), Status: chat.StatusOnline,
		Role: "default", LastActiveAt: busyNow.Unix() - 60, CreatedAt: busyNow.Unix() - 86400}
}

func busyGroup() chat.Group {
	return chat.Group{GUID: "bench", Name: "Bench", Type: chat.GroupPublic, Owner: "hero1", Scope: chat.ScopeParticipant,
		MembersCount: busyMembers + 1, HasJoined: true, CreatedAt: busyNow.Unix() - 86400, UpdatedAt: busyNow.Unix() - 86400}
}

// busyMessage is group message id as the client decodes it from a
// real-time frame: sender and receiver entities included. Most are short
// ("load T0001234" is what bench/ssh posts); every fourth wraps.
func busyMessage(id chat.ID, at int64) chat.Message {
	from := busyMember(1 + int(id)%busyMembers)
	body := "load T" + strconv.Itoa(1_000_000+int(id))
	if id%4 == 0 {
		body = "Q" + strconv.Itoa(int(id)) + " hello there, this is a somewhat longer message that wraps onto a second line of the pane"
	}
	return chat.Message{ID: id, MUID: "m-" + id.String(), ConversationID: "group_bench", Sender: from.UID, Receiver: "bench",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText, SentAt: at, UpdatedAt: at,
		Data: chat.MessageData{Text: body, Entities: chat.Entities{Sender: chat.UserEntity(from), Receiver: chat.GroupEntity(busyGroup())}}}
}

// busyModel builds the fixture over a real, logged-in client (events not
// pumped: Update is driven by hand). next returns the event of the next
// incoming message.
func busyModel(tb testing.TB) (m Model, next func() tea.Msg) {
	tb.Helper()
	return newBusyModel(tb, false)
}

// busyFilteredModel is busyModel with the group opened as bench/ssh
// opens it: tab to the list, / to filter, its name and enter. The list's
// filter stays set, and its title line shows it.
func busyFilteredModel(tb testing.TB) (m Model, next func() tea.Msg) {
	tb.Helper()
	return newBusyModel(tb, true)
}

func newBusyModel(tb testing.TB, filtered bool) (m Model, next func() tea.Msg) {
	tb.Helper()
	s := clienttest.Start(tb)
	s.CreateUser(tb, "superhero1", "Iron Man")
	c := drainedClient(tb, s, "superhero1")
	m = New(c, Options{Now: func() time.Time { return busyNow }, Loc: time.UTC})
	m.Update(tea.WindowSizeMsg{Width: busyW, Height: busyH})
	m.Update(eventMsg{ev: chat.ConnectionChanged{Status: chat.ConnConnected}})

	g := busyGroup()
	conv := chat.Conversation{ConversationID: "group_bench", ConversationType: chat.ReceiverGroup, WithGroup: &g,
		UpdatedAt: busyNow.Unix() - 10}
	convs := []chat.Conversation{conv}
	for i := range busyOtherConvs {
		at := busyNow.Add(-time.Duration(i+1) * 37 * time.Minute).Unix()
		if i%2 == 0 {
			u := busyMember(i + 2)
			if i%4 == 0 {
				u.Status = chat.StatusOffline
			}
			last := chat.Message{ID: chat.ID(10 + i), ConversationID: chat.UserConversationID("superhero1", u.UID), Sender: u.UID,
				Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Category: chat.CategoryMessage, Type: chat.TypeText,
				SentAt: at, Data: chat.MessageData{Text: "see you at " + strconv.Itoa(i) + " o'clock"}}
			convs = append(convs, chat.Conversation{ConversationID: last.ConversationID, ConversationType: chat.ReceiverUser,
				WithUser: &u, LastMessage: &last, UpdatedAt: at, UnreadMessageCount: chat.Count(i % 3)})
		} else {
			og := chat.Group{GUID: "g" + strconv.Itoa(i), Name: "Team " + strconv.Itoa(i), Type: chat.GroupPrivate, HasJoined: true}
			convs = append(convs, chat.Conversation{ConversationID: chat.GroupConversationID(og.GUID),
				ConversationType: chat.ReceiverGroup, WithGroup: &og, UpdatedAt: at})
		}
	}
	m.Update(conversationsMsg{convs: convs})
	if filtered {
		for _, k := range "\t/bench\r" {
			switch k {
			case '\t':
				m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
			case '\r':
				m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) // its OpenMsg is the one below
			default:
				m.Update(tea.KeyPressMsg{Code: k, Text: string(k)})
			}
		}
		if sel, _ := m.list.Selected(); !m.list.Filtered() || sel.ConversationID != conv.ConversationID {
			tb.Fatalf("the filter selects %q", sel.ConversationID)
		}
	}
	m.Update(convlist.OpenMsg{Conversation: conv})

	members := []chat.GroupMember{{User: m.c.Me, Scope: chat.ScopeParticipant}}
	for i := 1; i <= busyMembers; i++ {
		members = append(members, chat.GroupMember{User: busyMember(i), Scope: chat.ScopeParticipant})
	}
	m.Update(membersMsg{guid: "bench", members: members})

	start := busyNow.Unix() - busyHistory
	msgs := make([]chat.Message, busyHistory)
	for i := range msgs {
		msgs[i] = busyMessage(chat.ID(i+1), start+int64(i))
	}
	m.Update(historyMsg{conv: "group_bench", msgs: msgs})
	if m.pane.Len() != busyHistory {
		tb.Fatalf("pane holds %d messages", m.pane.Len())
	}
	m.View()
	id := chat.ID(busyHistory)
	next = func() tea.Msg {
		id++
		return eventMsg{ev: chat.MessageReceived{Message: busyMessage(id, busyNow.Unix())}}
	}
	return m, next
}

// BenchmarkBusyGroupMessage is one incoming group message through Update,
// with a frame drawn (not timed) after each, as a session does: the pane
// then draws the new message in Update.
func BenchmarkBusyGroupMessage(b *testing.B) {
	m, next := busyModel(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Update(next())
		b.StopTimer()
		_ = m.View()
		b.StartTimer()
	}
}

// BenchmarkBusyGroupFrameAfterMessage is the frame drawn after one
// incoming message (the Update before it is not timed).
func BenchmarkBusyGroupFrameAfterMessage(b *testing.B) {
	m, next := busyModel(b)
	benchFrameAfterMessage(b, m, next)
}

func benchFrameAfterMessage(b *testing.B, m Model, next func() tea.Msg) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m.Update(next())
		b.StartTimer()
		_ = m.View()
	}
}

// BenchmarkBusyGroupMessageAndFrame is both: what one message costs a
// session that draws a frame for it. Wall time suffers when the machine is
// shared; the process's CPU time per op (GC included) is the steadier
// figure.
func BenchmarkBusyGroupMessageAndFrame(b *testing.B) {
	m, next := busyModel(b)
	benchMessageAndFrame(b, m, next)
}

func benchMessageAndFrame(b *testing.B, m Model, next func() tea.Msg) {
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		m.Update(next())
		_ = m.View()
	}
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkBusyGroupFrameUnchanged is a frame with nothing changed since
// the last one.
func BenchmarkBusyGroupFrameUnchanged(b *testing.B) {
	m, _ := busyModel(b)
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		_ = m.View()
	}
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkBusyGroupFilteredFrameAfterMessage is
// BenchmarkBusyGroupFrameAfterMessage with the list's filter set, as in
// bench/ssh.
func BenchmarkBusyGroupFilteredFrameAfterMessage(b *testing.B) {
	m, next := busyFilteredModel(b)
	benchFrameAfterMessage(b, m, next)
}

// BenchmarkBusyGroupFilteredMessageAndFrame is
// BenchmarkBusyGroupMessageAndFrame with the list's filter set.
func BenchmarkBusyGroupFilteredMessageAndFrame(b *testing.B) {
	m, next := busyFilteredModel(b)
	benchMessageAndFrame(b, m, next)
}

// BenchmarkBusyGroupRowsAfterMessage is BenchmarkBusyGroupFrameAfterMessage
// for a renderer that takes the frame as rows (ViewRows), as the SSH
// server's does.
func BenchmarkBusyGroupRowsAfterMessage(b *testing.B) {
	m, next := busyModel(b)
	var rows [][]string
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m.Update(next())
		b.StartTimer()
		_, rows, _, _ = m.ViewRows(rows)
	}
}
