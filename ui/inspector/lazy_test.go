package inspector

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"cometterm/chat"
)

// oddEvent is an event of a type the inspector does not know.
type oddEvent struct{ chat.EventMeta }

// everyKind is an event for every case of the summary: each kind, each
// message category, each kind of frame, by value and by pointer.
func everyKind() []chat.Event {
	in := func(ms int, ft, raw string) chat.EventMeta { return meta(ms, chat.Inbound, ft, raw) }
	out := func(ms int, ft, raw string) chat.EventMeta { return meta(ms, chat.Outbound, ft, raw) }
	text := chat.Message{ID: 1043, ConversationID: "group_avengers", Sender: "superhero3", Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText,
		Data: chat.MessageData{Text: "\x1b[31mred\x1b[0m and a text long enough to be cut short at sixty characters, with \"quotes\""}}
	reply := text
	reply.ID, reply.ParentID, reply.Data.Text = 1044, 1043, "me too"
	direct := chat.Message{ID: 7, ConversationID: "superhero1_user_superhero2", Sender: "superhero2", Receiver: "superhero1",
		ReceiverType: chat.ReceiverUser, Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "hi"}}
	action := chat.Message{ID: 8, ConversationID: "group_avengers", Sender: "superhero1", Receiver: "avengers",
		Category: chat.CategoryAction, Type: "groupMember", Data: chat.MessageData{Action: "joined"}}
	custom := chat.Message{ID: 9, ConversationID: "group_avengers", Sender: "superhero2", Receiver: "avengers",
		Category: chat.CategoryCustom, Type: "poll", Data: chat.MessageData{CustomData: map[string]any{"q": "\x1b[1mlunch?\x1b[0m", "options": []any{"yes", "no"}}}}
	customNil := custom
	customNil.ID, customNil.Data.CustomData = 10, nil
	call := chat.Message{ID: 11, ConversationID: "group_avengers", Sender: "superhero2", Receiver: "avengers",
		Category: chat.CategoryCall, Type: "audio", Data: chat.MessageData{Action: "initiated"}, ParentID: 3}
	media := chat.Message{ID: 12, ConversationID: "group_avengers", Sender: "superhero2", Receiver: "avengers",
		Category: chat.CategoryMessage, Type: "image", Data: chat.MessageData{Attachments: []chat.Attachment{
			{Name: "a.png", URL: "https://x/a.png"}, {Name: "\x1b[32mb\x1b[0m.png"}}}}
	bare := media
	bare.ID, bare.Type, bare.Data.Attachments = 13, "file", nil
	frame := `{"appId":"app","type":"message","body":{"id":"1043"}}`
	return []chat.Event{
		chat.MessageReceived{EventMeta: in(0, "message", frame), Message: text},
		chat.MessageReceived{EventMeta: in(1, "", ""), Message: text},
		chat.MessageReceived{EventMeta: in(2, "message", frame), Message: reply, CatchUp: true},
		chat.MessageReceived{EventMeta: meta(3, chat.Local, "message", `{"id":"7"}`), Message: direct, CatchUp: true},
		chat.MessageReceived{EventMeta: in(4, "message", frame), Message: action},
		chat.MessageReceived{EventMeta: in(5, "message", frame), Message: custom},
		chat.MessageReceived{EventMeta: in(6, "message", frame), Message: customNil},
		&chat.MessageReceived{EventMeta: in(7, "message", frame), Message: call},
		chat.MessageReceived{EventMeta: in(8, "message", frame), Message: media},
		chat.MessageReceived{EventMeta: in(9, "message", frame), Message: bare},
		chat.MessageEdited{EventMeta: in(10, "message", frame), Message: reply, Action: action},
		chat.MessageEdited{EventMeta: in(11, "", ""), Message: custom},
		chat.MessageDeleted{EventMeta: in(12, "message", frame), Message: call, Action: action},
		chat.GroupMemberChanged{EventMeta: in(13, "message", frame), Action: chat.ActionScopeChanged, Message: action,
			By: chat.User{UID: "superhero1"}, On: chat.User{UID: "superhero2"}, OldScope: chat.ScopeParticipant, NewScope: chat.ScopeModerator},
		chat.GroupMemberChanged{EventMeta: in(14, "", ""), Action: chat.ActionJoined, Message: action,
			By: chat.User{UID: "superhero5"}, On: chat.User{UID: "superhero5"}},
		&chat.GroupMemberChanged{EventMeta: in(15, "message", `{}`), Action: "kicked", Message: action, On: chat.User{UID: "superhero6"}},
		chat.TypingStarted{EventMeta: in(16, "typing_indicator", `{}`),
			Typing: chat.Typing{Sender: chat.User{UID: "superhero3"}, Receiver: "avengers", ReceiverType: chat.ReceiverGroup}},
		chat.TypingEnded{EventMeta: in(17, "typing_indicator", ""),
			Typing: chat.Typing{Sender: chat.User{UID: "superhero2"}, Receiver: "superhero1", ReceiverType: chat.ReceiverUser}},
		chat.ReceiptReceived{EventMeta: in(18, "receipts", `{}`),
			Receipt: chat.Receipt{MessageID: 1044, Sender: "superhero2", Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Type: chat.ReceiptDelivered}},
		&chat.ReceiptReceived{EventMeta: in(19, "", ""),
			Receipt: chat.Receipt{MessageID: 1045, Sender: "superhero2", Receiver: "avengers", ReceiverType: chat.ReceiverGroup, Type: chat.ReceiptRead}},
		chat.PresenceChanged{EventMeta: in(20, "presence", `{}`), User: chat.User{UID: "superhero4"}, Online: true},
		chat.PresenceChanged{EventMeta: in(21, "presence", ""), User: chat.User{UID: "superhero4"}},
		chat.ReactionChanged{EventMeta: in(22, "reaction", `{}`), Added: true, ConversationID: "group_avengers",
			Reaction: chat.Reaction{MessageID: 1043, Reaction: "👍", UID: "superhero2"}},
		&chat.ReactionChanged{EventMeta: in(23, "", ""), ConversationID: "group_avengers",
			Reaction: chat.Reaction{MessageID: 1043, Reaction: "\x1b[5m🎉\x1b[0m", UID: "superhero3"}},
		chat.TransientReceived{EventMeta: in(24, "transient_message", `{}`), Sender: chat.User{UID: "superhero5"},
			Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Data: map[string]any{"live": "🎉", "long": string(make([]byte, 100))}},
		chat.TransientReceived{EventMeta: in(25, "", ""), Sender: chat.User{UID: "superhero5"}, Receiver: "avengers", ReceiverType: chat.ReceiverGroup},
		chat.ConnectionChanged{EventMeta: meta(26, chat.Local, "", ""), Status: chat.ConnConnected},
		&chat.ConnectionChanged{EventMeta: meta(27, chat.Local, "", ""), Status: chat.ConnConnecting, Attempt: 2,
			RetryIn: 1200 * time.Millisecond, Err: errors.New("read: \x1b[31mconnection reset\x1b[0m")},
		chat.ConnectionChanged{EventMeta: meta(28, chat.Local, "", ""), Status: chat.ConnDisconnected, Err: errors.New("closed")},
		chat.FrameSent{EventMeta: out(29, "receipts", `{"receiver":"superhero3","receiverType":"user","type":"receipts","body":{"action":"read","messageId":"1043"}}`)},
		chat.FrameSent{EventMeta: out(30, "", `{"receiver":"avengers","receiverType":"group","type":"typing_indicator","body":{"action":"started"}}`)},
		chat.FrameSent{EventMeta: out(31, "transient_message", `{"receiver":"avengers","receiverType":"group","type":"transient_message","body":{"data":{"live":"\u001b[1m👋"}}}`)},
		chat.FrameSent{EventMeta: out(32, "transient_message", `{"receiver":"avengers","receiverType":"bogus","type":"transient_message","body":{}}`)},
		chat.FrameSent{EventMeta: out(33, "", `{"action":"ping","ack":"true"}`)},
		chat.FrameSent{EventMeta: out(34, "auth", `{"type":"auth","body":{"auth":"…","deviceId":"d"}}`)},
		chat.FrameSent{EventMeta: out(35, "", `{"type":"reaction","sender":"superhero9","body":{"messageId":1043.5}}`)},
		&chat.FrameSent{EventMeta: out(36, "", "not json")},
		chat.FrameSent{EventMeta: out(37, "", "")},
		chat.FrameSent{EventMeta: in(38, "", `{"type":"weird","receiver":"x","receiverType":"user"}`)},
		chat.FrameIgnored{EventMeta: in(39, "", "\x00\xff garbage"), Reason: "malformed frame: invalid character"},
		chat.FrameIgnored{EventMeta: in(40, "call", `{"type":"call","sender":"superhero7","receiver":"avengers","receiverType":"group","body":{"action":"ongoing","messageId":"77"}}`), Reason: "unknown type"},
		chat.FrameIgnored{EventMeta: in(41, "", `{"body":{"action":"x"}}`)},
		chat.FrameIgnored{EventMeta: out(42, "", "")},
		oddEvent{EventMeta: in(43, "mystery", `{"type":"mystery"}`)},
		&oddEvent{EventMeta: in(44, "", "")},
	}
}

// withRaw is ev (by value or by pointer) carrying raw as its frame.
func withRaw(ev chat.Event, raw []byte) chat.Event {
	v := reflect.ValueOf(ev)
	ptr := v.Kind() == reflect.Pointer
	if ptr {
		v = v.Elem()
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	c.FieldByName("EventMeta").FieldByName("Raw").SetBytes(raw)
	if ptr {
		return c.Addr().Interface().(chat.Event)
	}
	return c.Interface().(chat.Event)
}

// variants is every event of everyKind as given, and again with a frame
// where it had none and with none where it had one.
func variants() []chat.Event {
	evs := everyKind()
	for _, ev := range everyKind() {
		raw := []byte(`{"id":"1"}`)
		if len(deref(ev).Meta().Raw) > 0 {
			raw = nil
		}
		evs = append(evs, withRaw(ev, raw))
	}
	return evs
}

// Rows made lazily filter, draw and expand exactly as the rows that made
// their text when added did, for every kind of event; Add makes none of it.
func TestLazyRowsDrawAsEagerOnes(t *testing.T) {
	m := newInspector(200, 30)
	me := m.c.Me.UID
	for i, ev := range variants() {
		m.Add(ev)
		r := m.at(m.Len() - 1)
		e := eagerDescribe(ev, me)
		if r.src.op == opDrawn {
			t.Fatalf("event %d (%T): Add drew its text", i, ev)
		}
		if r.kind != e.kind || r.label != e.label || r.conv != e.conv || r.dir != e.dir || !r.at.Equal(e.at) {
			t.Errorf("event %d (%T): kind, label, conv, dir, at %q %q %q %v %v; eager %q %q %q %v %v",
				i, ev, r.kind, r.label, r.conv, r.dir, r.at, e.kind, e.label, e.conv, e.dir, e.at)
		}
		if len(r.raw) != len(e.raw) || len(r.raw) > 0 && &r.raw[0] != &e.raw[0] {
			t.Errorf("event %d (%T): frame not kept by reference", i, ev)
		}
		drawn := row{seq: r.seq, at: e.at, dir: e.dir, kind: e.kind, label: e.label, conv: e.conv, raw: e.raw,
			src: source{op: opDrawn, a: e.who, b: e.summary}}
		want, wantJSON := m.line(&drawn, true), e.pretty()
		for range 2 { // made, then kept
			if got := m.line(r, true); got != want {
				t.Errorf("event %d (%T) draws\n%q\nwant\n%q", i, ev, got, want)
			}
			if got := r.pretty(me); !slices.Equal(got, wantJSON) {
				t.Errorf("event %d (%T) expands to\n%q\nwant\n%q", i, ev, got, wantJSON)
			}
		}
		if len(r.raw) > 0 && r.src.v != nil {
			t.Errorf("event %d (%T): a drawn row with a frame still holds %T", i, ev, r.src.v)
		}
	}
}

// Every filter keeps the same rows as it did when rows were made eagerly.
func TestLazyRowsFilterAsEagerOnes(t *testing.T) {
	m := newInspector(160, 120) // holds mixed()
	added := append(mixed(), variants()...)
	for _, ev := range added[len(mixed()):] {
		m.Add(ev)
	}
	for range 2 * len(kinds) { // every filter, then every filter for this conversation only
		var want, got []uint64
		for i, ev := range added {
			e := eagerDescribe(ev, m.c.Me.UID)
			if k := kinds[m.filter]; (k == "all" || e.kind == k) && (!m.convOnly || e.kind == "connection" || e.conv == m.convID) {
				want = append(want, uint64(i+1))
			}
		}
		for _, r := range m.visible() {
			got = append(got, r.seq)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("filter %s (this conversation only: %v) shows %v, want %v", kinds[m.filter], m.convOnly, got, want)
		}
		press(m, "f")
		if m.filter == 0 {
			press(m, "F")
		}
	}
}
