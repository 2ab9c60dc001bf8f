package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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

// Every kept row gives back its frame byte for byte, even though the
// frames came in one reused read buffer, and the packed frames of a busy
// group take a fraction of their size.
func TestFramesKeptExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	evs := frames(1000, rng)
	m := newInspector(120, 30)
	m.SetCapacity(150)
	var buf []byte // the socket's read buffer, reused
	for _, ev := range evs {
		raw := ev.Meta().Raw
		buf = append(buf[:0], raw...)
		ev = withMeta(ev, chat.EventMeta{At: ev.Meta().At, Dir: ev.Meta().Dir, Raw: buf})
		m.Add(ev)
		for i := range buf {
			buf[i] = '#'
		}
	}
	if m.Len() != 150 {
		t.Fatalf("kept %d rows", m.Len())
	}
	kept := evs[len(evs)-150:]
	var whole, held int
	bases := map[*byte]bool{}
	for i := range m.Len() {
		r := m.at(i)
		want := kept[i].Meta().Raw
		if got := r.raw.bytes(); !bytes.Equal(got, want) {
			t.Fatalf("row %d (%s): kept\n%q\nwant\n%q", i, r.label, got, want)
		}
		whole += len(want)
		held += len(r.raw.data)
		if r.raw.base != nil && !bases[&r.raw.base[0]] {
			bases[&r.raw.base[0]] = true
			held += len(r.raw.base)
		}
	}
	// The random 3 KB frames are a quarter of the bytes and do not pack.
	if held > whole*6/10 {
		t.Errorf("frames of %d bytes held in %d", whole, held)
	}
	t.Logf("frames of %d bytes held in %d (%d bases)", whole, held, len(bases))
}

// A group's message frames alone pack to under a third.
func TestMessageFramesPackSmall(t *testing.T) {
	var pk packer
	var whole, held int
	k := kindKey{dir: chat.Inbound, label: "message"}
	for i := range 150 {
		raw := []byte(messageFrame(400+i, fmt.Sprintf("u%04d", i%7), fmt.Sprintf("message %d to the whole crowd, long enough to wrap", i)))
		p := pk.pack(k, raw)
		if !bytes.Equal(p.bytes(), raw) {
			t.Fatalf("frame %d not kept exactly", i)
		}
		whole += len(raw)
		held += len(p.data)
	}
	if held > whole/3 {
		t.Fatalf("frames of %d bytes held in %d", whole, held)
	}
	t.Logf("frames of %d bytes held in %d", whole, held)
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

func FuzzPack(f *testing.F) {
	f.Add([]byte(messageFrame(1, "a", "x")), []byte(messageFrame(2, "b", "yy")))
	f.Add([]byte("0123456789abcdef"), []byte("abcdef0123456789abcdef"))
	f.Add([]byte(""), []byte("short"))
	f.Fuzz(func(t *testing.T, base, raw []byte) {
		pk := packer{bases: map[kindKey][]byte{{}: base}}
		p := pk.pack(kindKey{}, raw)
		if got := p.bytes(); !bytes.Equal(got, raw) {
			t.Fatalf("packed against %q:\n%q\ngave\n%q", base, raw, got)
		}
		if p.base != nil && len(p.data) > len(raw)/2 {
			t.Fatalf("packed %d bytes into %d", len(raw), len(p.data))
		}
	})
}

// BenchmarkAddMessageFrame is one group message frame recorded, as every
// session does for every message.
func BenchmarkAddMessageFrame(b *testing.B) {
	m := newInspector(120, 30)
	m.SetCapacity(150)
	evs := make([]chat.Event, 64)
	for i := range evs {
		text := fmt.Sprintf("message %d to the whole crowd, long enough to wrap", i)
		evs[i] = chat.MessageReceived{EventMeta: chat.EventMeta{At: t0, Dir: chat.Inbound, FrameType: "message", Raw: []byte(messageFrame(500+i, "u0001", text))},
			Message: chat.Message{ID: chat.ID(500 + i), ConversationID: "group_crowd", Sender: "u0001", Receiver: "crowd",
				ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: text}}}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Add(evs[i%len(evs)])
	}
}

// A full ring holds no spare room, and goes on keeping the newest rows.
func TestFullRingIsExact(t *testing.T) {
	m := newInspector(80, 5)
	m.SetCapacity(150)
	for i := range 400 {
		m.Add(chat.PresenceChanged{EventMeta: meta(i, chat.Inbound, "presence", ""), User: chat.User{UID: fmt.Sprint(i)}, Online: true})
		if m.Len() == 150 && cap(m.buf) > 160 {
			t.Fatalf("a full ring of 150 rows in room for %d", cap(m.buf))
		}
	}
	if m.Len() != 150 || m.at(149).seq != m.seq || m.at(0).seq != m.seq-149 {
		t.Fatalf("kept %d rows, #%d to #%d, newest #%d", m.Len(), m.at(0).seq, m.at(m.Len()-1).seq, m.seq)
	}
}
