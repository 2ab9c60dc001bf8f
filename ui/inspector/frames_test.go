package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"cometterm/chat"
)

// messageFrame is a group message frame as the server sends it.
func messageFrame(id int, from, text string) string {
	return fmt.Sprintf(`{"appId":"app","receiver":"crowd","receiverType":"group","deviceId":"cometterm-go-2e509256-2035-4023-a371-1ff4d017f4b0-1795757742213","type":"message","sender":%q,"body":{"id":"%d","muid":"%08x-0846-4a16-8a41-42e52586f6b5","conversationId":"group_crowd","sender":%q,"receiver":"crowd","receiverType":"group","category":"message","type":"text","data":{"text":%q,"entities":{"sender":{"entity":{"uid":%q,"name":"User %s","role":"default","status":"online","lastActiveAt":1795757742,"createdAt":1795757742},"entityType":"user"},"receiver":{"entity":{"guid":"crowd","name":"The Crowd","type":"public","owner":"sender","membersCount":201,"createdAt":1795757742,"hasJoined":true,"conversationId":"group_crowd"},"entityType":"group"}}},"sentAt":%d,"updatedAt":%d}}`,
		from, id, id*7919, from, text, from, from, 1795757745+id/3, 1795757745+id/3)
}

func receiptFrame(id int, from string) string {
	return fmt.Sprintf(`{"appId":"app","receiver":"crowd","receiverType":"group","type":"receipts","sender":%q,"messageSender":"sender","body":{"action":"read","messageId":"%d","user":{"uid":%q,"name":"User %s","role":"default","status":"online","lastActiveAt":1795757743,"createdAt":1795757742}}}`,
		from, id, from, from)
}

// frames is a busy group's traffic, with odd frames among it.
func frames(n int, rng *rand.Rand) []chat.Event {
	var out []chat.Event
	at := time.Unix(1795757745, 0)
	for i := range n {
		from := fmt.Sprintf("u%04d", rng.IntN(200))
		var raw string
		var ev chat.Event
		switch i % 10 {
		case 3:
			raw = receiptFrame(400+i, from)
			ev = chat.ReceiptReceived{Receipt: chat.Receipt{MessageID: chat.ID(400 + i), Sender: from, Receiver: "crowd", ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead}}
		case 5:
			raw = `{"action":"ping","ack":"` + strings.Repeat("x", rng.IntN(12)) + `"}`
			ev = chat.FrameSent{}
		case 7:
			b := make([]byte, rng.IntN(3000))
			for j := range b {
				b[j] = byte(rng.UintN(256))
			}
			raw = string(b) // not JSON: still kept as given
			ev = chat.FrameIgnored{Reason: "malformed"}
		case 9:
			raw = "{}"
			ev = chat.PresenceChanged{User: chat.User{UID: from}, Online: true}
		default:
			text := strings.Repeat("lorem ipsum ", rng.IntN(20)) + fmt.Sprint(i)
			raw = messageFrame(400+i, from, text)
			ev = chat.MessageReceived{Message: chat.Message{ID: chat.ID(400 + i), ConversationID: "group_crowd", Sender: from,
				Receiver: "crowd", ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText,
				Data: chat.MessageData{Text: text}}}
		}
		out = append(out, withMeta(ev, chat.EventMeta{At: at.Add(time.Duration(i) * time.Millisecond), Dir: chat.Inbound, Raw: []byte(raw)}))
	}
	return out
}

func withMeta(ev chat.Event, meta chat.EventMeta) chat.Event {
	switch e := ev.(type) {
	case chat.MessageReceived:
		e.EventMeta = meta
		e.EventMeta.FrameType = "message"
		return e
	case chat.ReceiptReceived:
		e.EventMeta = meta
		return e
	case chat.FrameSent:
		meta.Dir = chat.Outbound
		e.EventMeta = meta
		return e
	case chat.FrameIgnored:
		e.EventMeta = meta
		return e
	case chat.PresenceChanged:
		e.EventMeta = meta
		return e
	}
	panic(fmt.Sprintf("%T", ev))
}

// Every kept row holds its frame by reference: the very bytes the event
// carried, which the client may share with other sessions, not a copy.
func TestFramesKeptByReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	evs := frames(1000, rng)
	m := newInspector(120, 30)
	m.SetCapacity(150)
	for _, ev := range evs {
		m.Add(ev)
	}
	if m.Len() != 150 {
		t.Fatalf("kept %d rows", m.Len())
	}
	kept := evs[len(evs)-150:]
	for i := range m.Len() {
		r := m.at(i)
		want := kept[i].Meta().Raw
		if len(r.raw) != len(want) || &r.raw[0] != &want[0] {
			t.Fatalf("row %d (%s) holds %d bytes at %p, want the event's %d at %p", i, r.label, len(r.raw), r.raw, len(want), want)
		}
	}
}

// The newest frame, expanded, is its JSON exactly.
func TestExpandedNewestFrameIsExact(t *testing.T) {
	m := newInspector(400, 60)
	var raw string
	for i := range 30 {
		raw = messageFrame(500+i, "u0001", fmt.Sprintf("hello %d", i))
		m.Add(chat.MessageReceived{EventMeta: chat.EventMeta{At: t0, Dir: chat.Inbound, FrameType: "message", Raw: []byte(raw)},
			Message: chat.Message{ID: chat.ID(500 + i), ConversationID: "group_crowd", Sender: "u0001", Receiver: "crowd",
				ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: fmt.Sprintf("hello %d", i)}}})
	}
	press(m, "enter")
	var want bytes.Buffer
	if err := json.Indent(&want, []byte(raw), "", "  "); err != nil {
		t.Fatal(err)
	}
	v := view(m)
	for _, line := range strings.Split(want.String(), "\n") {
		if !strings.Contains(v, "   "+line) {
			t.Fatalf("expanded view lacks %q:\n%s", line, v)
		}
	}
}

// messageEvent is a group text message as the client decodes it, with its
// frame.
func messageEvent(id int, from, text string) chat.Event {
	return chat.MessageReceived{EventMeta: chat.EventMeta{At: t0, Dir: chat.Inbound, FrameType: "message", Raw: []byte(messageFrame(id, from, text))},
		Message: chat.Message{ID: chat.ID(id), ConversationID: "group_crowd", Sender: from, Receiver: "crowd",
			ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: text}}}
}

// BenchmarkAddMessageFrame is one group message frame recorded, as every
// session does for every message.
func BenchmarkAddMessageFrame(b *testing.B) {
	m := newInspector(120, 30)
	m.SetCapacity(150)
	evs := make([]chat.Event, 64)
	for i := range evs {
		evs[i] = messageEvent(500+i, "u0001", fmt.Sprintf("message %d to the whole crowd, long enough to wrap", i))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Add(evs[i%len(evs)])
	}
}

// BenchmarkRingMemory is the heap a local TUI's full ring holds per row
// when a busy group's message frames fill it, each frame and each decoded
// string its own allocation as the client's are.
//
//	go test -run '^$' -bench RingMemory -benchtime=1x ./ui/inspector
func BenchmarkRingMemory(b *testing.B) {
	var perRow float64
	for range b.N {
		rng := rand.New(rand.NewPCG(1, 2))
		before := liveHeap()
		m := newInspector(120, 30)
		for i := range Capacity {
			from := fmt.Sprintf("u%04d", rng.IntN(200))
			text := strings.Repeat("lorem ipsum ", rng.IntN(20)) + fmt.Sprint(i)
			m.Add(messageEvent(400+i, from, text))
		}
		perRow = (float64(liveHeap()) - float64(before)) / Capacity
		runtime.KeepAlive(m)
	}
	b.ReportMetric(perRow, "B/row")
}

// liveHeap is the heap in use after the collector has run.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A ring is made at its size with the first row, holds no spare room, and
// goes on keeping the newest rows.
func TestFullRingIsExact(t *testing.T) {
	m := newInspector(80, 5)
	m.SetCapacity(150)
	var first *row
	for i := range 400 {
		m.Add(chat.PresenceChanged{EventMeta: meta(i, chat.Inbound, "presence", ""), User: chat.User{UID: fmt.Sprint(i)}, Online: true})
		if cap(m.buf) != 150 {
			t.Fatalf("a ring of 150 rows in room for %d", cap(m.buf))
		}
		if first == nil {
			first = &m.buf[:1][0]
		} else if &m.buf[:1][0] != first {
			t.Fatalf("the ring moved at row %d: it is made once, at its size", i+1)
		}
	}
	if m.Len() != 150 || m.at(149).seq != m.seq || m.at(0).seq != m.seq-149 {
		t.Fatalf("kept %d rows, #%d to #%d, newest #%d", m.Len(), m.at(0).seq, m.at(m.Len()-1).seq, m.seq)
	}
}
