package client

import (
	"testing"
	"time"
)

const groupMessageBody = `{"id":"1234","muid":"m-1234","conversationId":"group_bench","sender":"sender","receiver":"bench","receiverType":"group","category":"message","type":"text","data":{"text":"Q0001234 hello there, this is a message","entities":{"sender":{"entity":{"uid":"sender","name":"Sender","role":"default","status":"online","lastActiveAt":1795000000,"createdAt":1795000000},"entityType":"user"},"receiver":{"entity":{"guid":"bench","name":"Bench","type":"public","owner":"sender","membersCount":"201","createdAt":1795000000,"updatedAt":1795000000,"hasJoined":true},"entityType":"group"}}},"sentAt":1795000100,"updatedAt":1795000100}`

// BenchmarkDecodeGroupMessage decodes the frame every member of a group
// receives for a text message: on an SSH server with hundreds of sessions
// in one group this runs once per session per message.
func BenchmarkDecodeGroupMessage(b *testing.B) {
	raw := []byte(msgFrame(groupMessageBody))
	at := time.Unix(1795000100, 0)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		ev, _ := decodeFrame(raw, at)
		if ev == nil {
			b.Fatal("no event")
		}
	}
}

// BenchmarkDecodeGroupMessageShared is the same frame through SharedFrames
// once another client has decoded it: what each further session pays.
func BenchmarkDecodeGroupMessageShared(b *testing.B) {
	raw := []byte(msgFrame(groupMessageBody))
	at := time.Unix(1795000100, 0)
	shared := NewSharedFrames()
	shared.decode(raw, at)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		ev, _ := shared.decode(raw, at)
		if ev == nil {
			b.Fatal("no event")
		}
	}
}

// FuzzDecodeFrame feeds arbitrary frames to the decoder: whatever a server
// sends becomes an event (FrameIgnored for nonsense), never a panic.
func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte(msgFrame(`{"id":"7","sender":"bob","receiver":"alice","receiverType":"user","category":"message","type":"text","data":{"text":"hi","entities":{"sender":{"entity":` + userBob + `,"entityType":"user"}}},"sentAt":5}`)))
	f.Add([]byte(`{"type":"receipts","body":{"action":"read","messageId":"7","user":` + userAlice + `,"timestamp":5}}`))
	f.Add([]byte(`{"type":"presence","body":{"action":"online","user":` + userAlice + `}}`))
	f.Add([]byte(`{"type":"typing","body":{"action":"started","receiver":"g","receiverType":"group","user":` + userAlice + `}}`))
	f.Add([]byte(`{"type":"message","body":{"id":"x","data":{"entities":{"on":{"entityType":"message","entity":{"id":1e99}}}}}}`))
	f.Add([]byte(`[]`))
	at := time.Unix(100, 0)
	shared := NewSharedFrames()
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, _ := decodeFrame(raw, at)
		if ev == nil {
			t.Fatalf("no event for %q", raw)
		}
		sameAsShared(t, shared, raw, at)
	})
}
