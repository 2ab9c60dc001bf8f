package realtime

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

func TestSlowConsumerIsCutOthersKeepReceiving(t *testing.T) {
	const writeTimeout = 2 * time.Second
	e := newEnv(t, func(o *Options) {
		o.SendQueue = 8
		o.WriteTimeout = writeTimeout
	})
	for _, u := range []string{"alice", "fast", "slow"} {
		e.user(u, "default")
	}
	e.group("g1", "alice", "fast", "slow")
	fast := e.connect("fast", "f1", "")

	// The slow client authenticates and then never reads again.
	slow := e.dialBuffered(4096)
	auth := fmt.Sprintf(`{"appId":%q,"type":"auth","sender":"slow","body":{"auth":%q,"deviceId":"s1"}}`, testApp, e.jwt("slow"))
	if err := slow.Write(e.ctx(), websocket.MessageText, []byte(auth)); err != nil {
		t.Fatal(err)
	}
	e.waitDevices("slow", 1)

	big := strings.Repeat("x", 60<<10)
	var worst time.Duration
	sent := 0
	for i := 1; e.hub.devices("slow") > 0; i++ {
		if i > 5000 {
			t.Fatal("the slow consumer was never cut")
		}
		m := chat.Message{ID: chat.ID(i), Sender: "alice", Receiver: "g1", ReceiverType: chat.ReceiverGroup,
			Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: big}}
		start := time.Now()
		e.hub.PublishMessage(m, "a1")
		worst = max(worst, time.Since(start))
		sent = i
		// Lock-step with the fast reader, so only the slow one falls behind.
		id := []byte(fmt.Sprintf(`"id":"%d"`, i))
		fast.next(t, "message", func(f inFrame) bool { return f.Type == wire.TypeMessage && bytes.Contains(f.raw, id) })
	}
	// Publishing never waited for the stuck socket's writes.
	if worst >= writeTimeout/2 {
		t.Fatalf("a publish took %v", worst)
	}
	t.Logf("sent %d, worst publish %v", sent, worst)
	e.waitLog(`reason="slow consumer"`)

	final := chat.Message{ID: chat.ID(sent + 1), Sender: "alice", Receiver: "g1", ReceiverType: chat.ReceiverGroup,
		Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "still here?"}}
	e.hub.PublishMessage(final, "a1")
	fast.next(t, "final message", func(f inFrame) bool { return f.message().Data.Text == "still here?" })

	// The slow client finds its socket gone once it reads what was buffered.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	slow.SetReadLimit(-1)
	for n := 0; ; n++ {
		if n > sent+1 {
			t.Fatalf("slow client read %d frames and the socket is still open", n)
		}
		if _, _, err := slow.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatalf("slow client's socket was not closed: %v", err)
			}
			break
		}
	}
}

func TestStuckWriteIsCutByTheWatchdog(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.SendQueue = 100000 // the queue never fills: only the write deadline can act
		o.WriteTimeout = 300 * time.Millisecond
	})
	e.user("alice", "default")
	e.user("stuck", "default")
	stuck := e.dialBuffered(4096)
	auth := fmt.Sprintf(`{"appId":%q,"type":"auth","sender":"stuck","body":{"auth":%q,"deviceId":"s1"}}`, testApp, e.jwt("stuck"))
	if err := stuck.Write(e.ctx(), websocket.MessageText, []byte(auth)); err != nil {
		t.Fatal(err)
	}
	e.waitDevices("stuck", 1)

	big := strings.Repeat("y", 60<<10)
	deadline := time.Now().Add(waitFor)
	for i := 1; e.hub.devices("stuck") > 0; i++ {
		if time.Now().After(deadline) {
			t.Fatal("the stuck socket was never cut")
		}
		e.hub.PublishMessage(chat.Message{ID: chat.ID(i), Sender: "alice", Receiver: "stuck", ReceiverType: chat.ReceiverUser,
			Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: big}}, "a1")
		if i%64 == 0 {
			time.Sleep(20 * time.Millisecond) // pacing the publisher, not synchronisation
		}
	}
	e.waitLog(`reason="write timeout"`)
}
