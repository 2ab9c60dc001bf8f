package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
	"cometterm/chat/wire"
)

// probe runs a Model as a program does and tells the benchmark, without a
// data race, the header's member count, how many members are held and
// when the last message has arrived. It draws after every update, as a
// session's frames do.
type probe struct {
	Model
	count, members *atomic.Int64
	done           *atomic.Bool
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	last := false
	switch msg := msg.(type) {
	case eventMsg:
		last = isLast(msg.ev)
	case eventBatchMsg:
		for _, ev := range msg.evs {
			last = last || isLast(ev)
		}
	}
	out, cmd := p.Model.Update(msg)
	p.Model = out.(Model)
	p.count.Store(int64(p.header.MembersCount()))
	p.members.Store(int64(len(p.st.members)))
	if last {
		p.done.Store(true)
	}
	_ = p.Model.View()
	return p, cmd
}

func isLast(ev chat.Event) bool {
	m, ok := ev.(chat.MessageReceived)
	return ok && m.Message.Data.Text == "last"
}

// liveHeap is the heap in use after the collector has run.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkSessionMemory is the heap one TUI session retains, as an SSH
// session runs it (its own client, program and input reader, the
// inspector at the SSH capacity), with a 200-member group open in which
// 200 messages arrived. It is the heap held with the sessions open less the
// heap once they closed, per session. UI_MEM_PROFILE=file writes the heap
// profile taken while they are open.
//
//	go test -run '^$' -bench SessionMemory -benchtime=1x ./ui
func BenchmarkSessionMemory(b *testing.B) { sessionMemory(b, false) }

// BenchmarkSessionMemoryMembersShown is BenchmarkSessionMemory with the
// members panel shown, so that every session holds the member list.
func BenchmarkSessionMemoryMembersShown(b *testing.B) { sessionMemory(b, true) }

func sessionMemory(b *testing.B, panel bool) {
	const (
		members  = 200
		sessions = 8
		incoming = 200
		guid     = "crowd"
	)
	if os.Getenv("UI_MEM_PROFILE") != "" {
		runtime.MemProfileRate = 1 // every allocation, for an exact profile
	}
	s := clienttest.Start(b)
	s.CreateUser(b, "sender", "The Sender")
	uids := make([]string, members)
	for i := range uids {
		uids[i] = fmt.Sprintf("u%04d", i)
		s.CreateUser(b, uids[i], "User "+uids[i])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sender, err := client.Login(ctx, s.Config("sender"))
	if err != nil {
		b.Fatal(err)
	}
	defer sender.Close()
	go func() {
		for range sender.Events() {
		}
	}()
	if _, err := sender.CreateGroup(ctx, client.NewGroup{GUID: guid, Name: "The Crowd", Type: chat.GroupPublic}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(uids); i += 25 {
		batch := map[string]chat.Scope{}
		for _, uid := range uids[i:min(i+25, len(uids))] {
			batch[uid] = chat.ScopeParticipant
		}
		if _, err := sender.AddMembers(ctx, guid, batch); err != nil {
			b.Fatal(err)
		}
	}

	var perSession float64
	for range b.N {
		perSession = measureSessions(b, ctx, s, uids[:sessions], guid, incoming, sender, members+1, panel)
	}
	b.ReportMetric(perSession, "B/session")
}

func measureSessions(b *testing.B, ctx context.Context, s *clienttest.Server, uids []string, guid string, incoming int, sender *client.Client, wantMembers int, panel bool) float64 {
	b.Helper()
	type session struct {
		c              *client.Client
		p              *tea.Program
		in             *io.PipeWriter
		count, members atomic.Int64
		done           atomic.Bool
		ran            chan struct{}
	}
	goroutines := runtime.NumGoroutine()
	ss := make([]*session, len(uids))
	for i, uid := range uids {
		cfg := s.Config(uid)
		cfg.PingInterval, cfg.PongTimeout = 0, 0 // the defaults, as on a server
		cfg.PresenceSubscription = wire.SubscribeAllUsers
		c, err := client.Login(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		se := &session{c: c, ran: make(chan struct{})}
		m := New(c, Options{InitialConversation: chat.GroupConversationID(guid), InspectorCapacity: 150})
		r, w := io.Pipe()
		se.in = w
		se.p = tea.NewProgram(probe{Model: m, count: &se.count, members: &se.members, done: &se.done},
			tea.WithInput(r), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignals())
		go func() {
			defer close(se.ran)
			if _, err := se.p.Run(); err != nil {
				b.Log("program:", err)
			}
		}()
		se.p.Send(tea.WindowSizeMsg{Width: 120, Height: 36})
		ss[i] = se
	}
	wait := func(what string, ok func(*session) bool) {
		deadline := time.Now().Add(time.Minute)
		for _, se := range ss {
			for !ok(se) {
				if time.Now().After(deadline) {
					b.Fatalf("sessions: no %s", what)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
	wait("group's member count", func(se *session) bool { return se.count.Load() == int64(wantMembers) })
	if panel {
		for _, se := range ss {
			se.p.Send(tea.KeyPressMsg{Code: tea.KeyF3})
		}
		wait("member list", func(se *session) bool { return se.members.Load() == int64(wantMembers) })
	}
	for i := range incoming {
		text := "message " + strconv.Itoa(i) + " to the whole crowd, long enough to wrap in a narrow pane"
		if i == incoming-1 {
			text = "last"
		}
		if _, err := sender.SendText(ctx, guid, chat.ReceiverGroup, text); err != nil {
			b.Fatal(err)
		}
	}
	wait("last message", func(se *session) bool { return se.done.Load() })
	for _, se := range ss {
		if held := se.members.Load(); !panel && held != 0 {
			b.Fatalf("a session holds %d members with the panel hidden", held)
		}
	}
	time.Sleep(500 * time.Millisecond) // receipts and the frames they cause

	open := liveHeap()
	if path := os.Getenv("UI_MEM_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	var wg sync.WaitGroup
	for _, se := range ss {
		wg.Go(func() {
			se.p.Quit()
			<-se.ran
			se.in.Close()
			se.c.Close()
		})
	}
	wg.Wait()
	// Every goroutine of the sessions, the server's included, has ended
	// (os/signal's loop, once started, stays).
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > goroutines+1; {
		if time.Now().After(deadline) {
			b.Fatalf("%d goroutines left of %d", runtime.NumGoroutine(), goroutines)
		}
		time.Sleep(10 * time.Millisecond)
	}
	closed := liveHeap()
	b.Logf("heap with the sessions open %d, closed %d", open, closed)
	if open < closed {
		b.Fatalf("heap grew after the sessions closed: %d → %d", open, closed)
	}
	return float64(open-closed) / float64(len(ss))
}
