package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// authRaw logs uid in on a raw socket without reading the reply.
func (e *env) authRaw(uid, device string) *websocket.Conn {
	e.t.Helper()
	ws := e.dialRaw()
	auth := fmt.Sprintf(`{"appId":%q,"type":"auth","sender":%q,"body":{"auth":%q,"deviceId":%q}}`, testApp, uid, e.jwt(uid), device)
	if err := ws.Write(e.ctx(), websocket.MessageText, []byte(auth)); err != nil {
		e.t.Fatal(err)
	}
	e.waitDevices(uid, 1)
	return ws
}

// readIDs reads n message frames from ws (skipping others) and returns
// their ids in arrival order.
func readIDs(t *testing.T, ws *websocket.Conn, n int, pause func()) []chat.ID {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	var ids []chat.ID
	for len(ids) < n {
		_, data, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", len(ids), n, err)
		}
		var f inFrame
		f.raw = data
		if err := json.Unmarshal(data, &f.Frame); err != nil {
			t.Fatal(err)
		}
		if f.Type == wire.TypeMessage {
			ids = append(ids, f.message().ID)
		}
		if pause != nil {
			pause()
		}
	}
	return ids
}

func groupText(id int, text string) chat.Message {
	return chat.Message{ID: chat.ID(id), Sender: "alice", Receiver: "g1", ReceiverType: chat.ReceiverGroup,
		Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: text}}
}

func inOrder(t *testing.T, who string, ids []chat.ID, n int) {
	t.Helper()
	if len(ids) != n {
		t.Fatalf("%s got %d messages, want %d", who, len(ids), n)
	}
	for i, id := range ids {
		if id != chat.ID(i+1) {
			t.Fatalf("%s: message %d is id %d (ids %v...)", who, i, id, ids[max(0, i-3):min(len(ids), i+3)])
		}
	}
}

func TestInProcessSocketsAreWrittenDirectlyInOrder(t *testing.T) {
	for _, kind := range []string{"memory", "tcp"} {
		t.Run(kind, func(t *testing.T) {
			const n = 300
			// Every message is published before anyone reads: the queues
			// hold them all, so that no socket is cut as a slow consumer
			// however late its writer runs.
			roomy := func(o *Options) { o.SendQueue = 2 * n }
			var e *env
			if kind == "memory" {
				e = newMemoryEnv(t, 0, roomy)
			} else {
				e = newEnv(t, roomy)
			}
			for _, u := range []string{"alice", "bob", "carol"} {
				e.user(u, "default")
			}
			e.group("g1", "alice", "bob", "carol")
			bob, carol := e.authRaw("bob", "b1"), e.authRaw("carol", "c1")
			for i := 1; i <= n; i++ {
				e.hub.PublishMessage(groupText(i, "hello"), "a1")
			}
			inOrder(t, "bob", readIDs(t, bob, n, nil), n)
			inOrder(t, "carol", readIDs(t, carol, n, nil), n)
			direct := e.hub.directWrites.Load()
			if kind == "tcp" && direct != 0 {
				t.Fatalf("%d frames written directly to TCP sockets", direct)
			}
			if kind == "memory" && direct < n {
				t.Fatalf("only %d of %d frames written directly to in-process sockets with room", direct, 2*n)
			}
		})
	}
}

// A reader that stops fills its connection; later frames wait in the
// queue, and once it reads again everything arrives in order.
func TestInProcessReaderThatFallsBehindKeepsOrder(t *testing.T) {
	e := newMemoryEnv(t, 16<<10, func(o *Options) { o.SendQueue = 10000 })
	e.user("alice", "default")
	e.user("bob", "default")
	e.group("g1", "alice", "bob")
	bob := e.authRaw("bob", "b1")
	const n = 200
	text := strings.Repeat("x", 1000) // n frames are ~13 times the buffer
	for i := 1; i <= n; i++ {
		e.hub.PublishMessage(groupText(i, text), "a1")
	}
	inOrder(t, "bob", readIDs(t, bob, n, nil), n)
	if d := e.hub.directWrites.Load(); d == 0 || d >= n {
		t.Fatalf("%d of %d frames written directly: want some direct, some queued", d, n)
	}
}

func TestInProcessSlowConsumerIsCut(t *testing.T) {
	e := newMemoryEnv(t, 16<<10, func(o *Options) {
		o.SendQueue = 8
		o.WriteTimeout = 300 * time.Millisecond
	})
	e.user("alice", "default")
	e.user("slow", "default")
	e.group("g1", "alice", "slow")
	e.authRaw("slow", "s1") // and never reads
	text := strings.Repeat("x", 4000)
	for i := 1; !e.log.has(`reason="slow consumer"`); i++ {
		if i > 1000 {
			t.Fatal("the slow consumer was never cut")
		}
		start := time.Now()
		e.hub.PublishMessage(groupText(i, text), "a1")
		if d := time.Since(start); d > time.Second {
			t.Fatalf("a publish waited %v for a full connection", d)
		}
		time.Sleep(time.Millisecond) // let the outbox deliver
	}
	// The writer, stuck on the full connection, is cut by the watchdog.
	e.waitDevices("slow", 0)
}

// Frames sent to one socket from several goroutines at once, while the
// reader keeps falling behind and catching up, arrive in each sender's
// order and none is lost.
func TestConcurrentSendersKeepTheirOrder(t *testing.T) {
	e := newMemoryEnv(t, 4<<10, func(o *Options) { o.SendQueue = 4096 })
	e.user("bob", "default")
	ws := e.authRaw("bob", "b1")
	e.hub.mu.RLock()
	c := e.hub.users["bob"][0]
	e.hub.mu.RUnlock()

	const senders, each = 4, 300
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for k := range each {
				c.send(fmt.Appendf(nil, `{"type":"seq","g":%d,"n":%d,"pad":%q}`, g, k, strings.Repeat("p", 100)))
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	next := make([]int, senders)
	for got := 0; got < senders*each; {
		_, data, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after %d frames: %v", got, err)
		}
		var f struct {
			Type string
			G, N int
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if f.Type != "seq" {
			continue
		}
		if f.N != next[f.G] {
			t.Fatalf("sender %d: frame %d arrived when %d was due", f.G, f.N, next[f.G])
		}
		next[f.G]++
		got++
		if rand.IntN(50) == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	wg.Wait()
	if e.hub.directWrites.Load() == 0 {
		t.Fatal("no frame was written directly")
	}
}
