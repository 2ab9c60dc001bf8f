package client

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"cometterm/chat"
)

const (
	userAlice = `{"uid":"alice","name":"Alice","role":"default","status":"online","createdAt":1}`
	userBob   = `{"uid":"bob","name":"Bob","role":"default","status":"online","createdAt":1}`
	groupG    = `{"guid":"g","name":"G","type":"public","owner":"alice","membersCount":2,"createdAt":1,"hasJoined":true}`
)

func msgFrame(body string) string {
	return `{"appId":"app","deviceId":"other","type":"message","sender":"bob","body":` + body + `}`
}

func TestDecodeFrameTable(t *testing.T) {
	at := time.Unix(100, 0)
	textMsg := `{"id":"7","muid":"m7","conversationId":"alice_user_bob","sender":"bob","receiver":"alice","receiverType":"user","category":"message","type":"text","data":{"text":"hi","entities":{"sender":{"entity":` + userBob + `,"entityType":"user"}}},"sentAt":5}`
	edited := `{"id":"9","conversationId":"alice_user_bob","sender":"bob","receiver":"alice","receiverType":"user","category":"action","type":"message","data":{"action":"edited","entities":{"by":{"entity":` + userBob + `,"entityType":"user"},"on":{"entity":{"id":"7","sender":"bob","receiver":"alice","receiverType":"user","category":"message","type":"text","data":{"text":"hi!","entities":{}},"editedAt":6,"editedBy":"bob","conversationId":"alice_user_bob","sentAt":5},"entityType":"message"}}},"sentAt":6}`
	deleted := strings.Replace(strings.Replace(edited, `"edited"`, `"deleted"`, 1), `"editedAt":6,"editedBy":"bob"`, `"deletedAt":7,"deletedBy":"bob"`, 1)
	noOn := `{"id":"9","category":"action","type":"message","data":{"action":"edited","entities":{}},"sentAt":6}`
	groupAction := func(action, on, extras string) string {
		s := `{"id":"11","conversationId":"group_g","sender":"alice","receiver":"g","receiverType":"group","category":"action","type":"groupMember","data":{"action":"` + action + `",` + extras + `"entities":{"by":{"entity":` + userAlice + `,"entityType":"user"},`
		if on != "" {
			s += `"on":{"entity":` + on + `,"entityType":"user"},`
		}
		return s + `"for":{"entity":` + groupG + `,"entityType":"group"}}},"sentAt":8}`
	}
	custom := `{"id":"12","sender":"bob","receiver":"g","receiverType":"group","category":"custom","type":"poll","data":{"customData":{"q":"?"},"entities":{}},"sentAt":9}`

	tests := []struct {
		name  string
		frame string
		check func(t *testing.T, ev chat.Event)
	}{
		{"text message", msgFrame(textMsg), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.MessageReceived)
			if e.Message.ID != 7 || e.Message.Data.Text != "hi" || e.Message.SenderUser().Name != "Bob" || e.CatchUp {
				t.Fatalf("%+v", e)
			}
		}},
		{"custom message", msgFrame(custom), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.MessageReceived)
			if e.Message.Category != chat.CategoryCustom || e.Message.Data.CustomData["q"] != "?" {
				t.Fatalf("%+v", e)
			}
		}},
		{"edited", msgFrame(edited), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.MessageEdited)
			if e.Message.ID != 7 || e.Message.Data.Text != "hi!" || e.Message.EditedBy != "bob" || e.Action.ID != 9 {
				t.Fatalf("%+v", e)
			}
		}},
		{"deleted", msgFrame(deleted), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.MessageDeleted)
			if e.Message.ID != 7 || e.Message.DeletedAt != 7 || e.Action.Data.Action != chat.ActionDeleted {
				t.Fatalf("%+v", e)
			}
		}},
		{"edited without message", msgFrame(noOn), ignored("without the message")},
		{"joined", msgFrame(groupAction("joined", "", "")), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.GroupMemberChanged)
			if e.Action != chat.ActionJoined || e.By.UID != "alice" || e.On.UID != "alice" || e.Group.GUID != "g" || e.Message.ID != 11 {
				t.Fatalf("%+v", e)
			}
		}},
		{"kicked", msgFrame(groupAction("kicked", userBob, "")), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.GroupMemberChanged)
			if e.Action != chat.ActionKicked || e.By.UID != "alice" || e.On.UID != "bob" {
				t.Fatalf("%+v", e)
			}
		}},
		{"scope changed", msgFrame(groupAction("scopeChanged", userBob, `"extras":{"scope":{"new":"moderator","old":"participant"}},`)), func(t *testing.T, ev chat.Event) {
			e := ev.(chat.GroupMemberChanged)
			if e.NewScope != chat.ScopeModerator || e.OldScope != chat.ScopeParticipant || e.On.UID != "bob" {
				t.Fatalf("%+v", e)
			}
		}},
		{"group action without group", msgFrame(`{"id":"3","category":"action","type":"groupMember","data":{"action":"joined","entities":{}}}`), ignored("without its group")},
		{"typing started", `{"receiver":"alice","receiverType":"user","type":"typing_indicator","sender":"bob","body":{"action":"started","user":` + userBob + `,"metadata":{"k":1}}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.TypingStarted)
			if e.Typing.Sender.UID != "bob" || e.Typing.Receiver != "alice" || e.Typing.ReceiverType != chat.ReceiverUser || e.Typing.Metadata["k"] != 1.0 {
				t.Fatalf("%+v", e)
			}
			if got := e.Typing.ConversationID("alice"); got != "alice_user_bob" {
				t.Fatalf("conversation %q", got)
			}
		}},
		{"typing ended, legacy groupchat", `{"receiver":"g","receiverType":"groupchat","type":"typing_indicator","body":{"action":"ended","user":` + userBob + `}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.TypingEnded)
			if e.Typing.ReceiverType != chat.ReceiverGroup || e.Typing.Receiver != "g" {
				t.Fatalf("%+v", e)
			}
		}},
		{"typing without user", `{"receiver":"alice","receiverType":"user","type":"typing_indicator","body":{"action":"started"}}`, ignored("without user")},
		{"typing bad action", `{"receiver":"alice","receiverType":"user","type":"typing_indicator","body":{"action":"paused","user":` + userBob + `}}`, ignored("typing action")},
		{"receipt read", `{"receiver":"bob","receiverType":"user","type":"receipts","sender":"bob","body":{"action":"read","messageId":"7","user":` + userBob + `,"timestamp":50}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.ReceiptReceived)
			want := chat.Receipt{MessageID: 7, Sender: "bob", Receiver: "bob", ReceiverType: chat.ReceiverUser, Type: chat.ReceiptRead, At: 50}
			if e.Receipt != want || e.By == nil || e.By.UID != "bob" {
				t.Fatalf("%+v", e)
			}
		}},
		{"receipt delivered, numeric id", `{"receiver":"g","receiverType":"group","type":"receipts","body":{"action":"delivered","messageId":7,"user":` + userBob + `}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.ReceiptReceived)
			if e.Receipt.Type != chat.ReceiptDelivered || e.Receipt.MessageID != 7 || e.Receipt.ReceiverType != chat.ReceiverGroup {
				t.Fatalf("%+v", e)
			}
		}},
		{"receipt readByAll", `{"receiver":"g","receiverType":"group","type":"receipts","sender":"alice","body":{"action":"readByAll","messageId":"7","timestamp":60}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.ReceiptReceived)
			if e.Receipt.Type != chat.ReceiptReadByAll || e.By != nil || e.Receipt.At != 60 {
				t.Fatalf("%+v", e)
			}
		}},
		{"receipt deliveredToAll", `{"receiver":"g","receiverType":"group","type":"receipts","body":{"action":"deliveredToAll","messageId":"7","user":` + userBob + `}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.ReceiptReceived)
			if e.Receipt.Type != chat.ReceiptDeliveredToAll || e.By != nil {
				t.Fatalf("%+v", e)
			}
		}},
		{"receipt without user", `{"type":"receipts","body":{"action":"read","messageId":"7"}}`, ignored("without user")},
		{"receipt without message", `{"type":"receipts","body":{"action":"read","user":` + userBob + `}}`, ignored("without messageId")},
		{"presence online", `{"type":"presence","body":{"action":"online","user":` + userBob + `,"timestamp":70}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.PresenceChanged)
			if !e.Online || e.User.UID != "bob" || e.At != 70 || e.User.LastActiveAt != 70 {
				t.Fatalf("%+v", e)
			}
		}},
		{"presence available", `{"type":"presence","body":{"action":"available","user":` + userBob + `}}`, func(t *testing.T, ev chat.Event) {
			if !ev.(chat.PresenceChanged).Online {
				t.Fatal("available is online")
			}
		}},
		{"presence offline", `{"type":"presence","body":{"action":"offline","user":` + userBob + `}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.PresenceChanged)
			if e.Online || e.User.Status != chat.StatusOffline {
				t.Fatalf("%+v", e)
			}
		}},
		{"presence without user", `{"type":"presence","body":{"action":"online"}}`, ignored("without user")},
		{"transient", `{"receiver":"g","receiverType":"group","type":"transient_message","sender":"bob","body":{"user":` + userBob + `,"data":{"live":"reaction"}}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.TransientReceived)
			if e.Sender.Name != "Bob" || e.Receiver != "g" || e.ReceiverType != chat.ReceiverGroup || e.Data["live"] != "reaction" {
				t.Fatalf("%+v", e)
			}
		}},
		{"reaction added", `{"type":"reaction","body":{"action":"message_reaction_added","id":"3","messageId":"7","uid":"bob","reaction":"👍","reactedBy":` + userBob + `,"reactedAt":80,"conversationId":"alice_user_bob","parentId":"2"}}`, func(t *testing.T, ev chat.Event) {
			e := ev.(chat.ReactionChanged)
			if !e.Added || e.Reaction.Reaction != "👍" || e.Reaction.MessageID != 7 || e.Reaction.ReactedBy.UID != "bob" || e.ConversationID != "alice_user_bob" || e.ParentID != 2 {
				t.Fatalf("%+v", e)
			}
		}},
		{"reaction removed", `{"type":"reaction","body":{"action":"message_reaction_removed","messageId":"7","uid":"bob","reaction":"👍"}}`, func(t *testing.T, ev chat.Event) {
			if ev.(chat.ReactionChanged).Added {
				t.Fatal("removed reported as added")
			}
		}},
		{"reaction unknown action", `{"type":"reaction","body":{"action":"reacted","messageId":"7"}}`, ignored("reaction action")},
		{"auth after login", `{"type":"auth","body":{"code":"200","status":"OK"}}`, ignored("auth")},
		{"unknown type", `{"type":"message_pin_save","body":{}}`, ignored("unknown frame type")},
		{"no type", `{"action":"ping","ack":"true"}`, ignored("without type")},
		{"malformed", `{"type":`, ignored("malformed")},
		{"bad message body", msgFrame(`"nope"`), ignored("message body")},
	}
	shared := NewSharedFrames()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, _ := decodeFrame([]byte(tt.frame), at)
			m := ev.Meta()
			if string(m.Raw) != tt.frame || m.Dir != chat.Inbound || !m.At.Equal(at) {
				t.Fatalf("meta %+v", m)
			}
			tt.check(t, ev)
			sameAsShared(t, shared, []byte(tt.frame), at)
		})
	}
}

// sameAsShared checks that decoding raw through shared gives what a
// direct decode gives: read again within sharedStampWindow, with the first
// read's time; read later, with its own.
func sameAsShared(t *testing.T, shared *SharedFrames, raw []byte, at time.Time) {
	t.Helper()
	want, wantF := decodeFrame(raw, at)
	later := at.Add(sharedStampWindow)
	for i, r := range []struct{ read, stamp time.Time }{
		{at, at},
		{at.Add(sharedStampWindow - time.Nanosecond), at},
		{later, later},
	} {
		got, gotF := shared.decode(raw, r.read)
		want = stamped(want, r.stamp)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotF, wantF) {
			t.Fatalf("shared decode %d:\n got %#v\nwant %#v", i, got, want)
		}
	}
}

// TestSharedReadsAllocateNothing: the clients of one fan-out reading its
// frame within the window get the first one's event as it is; nothing is
// copied per client.
func TestSharedReadsAllocateNothing(t *testing.T) {
	raw := []byte(msgFrame(groupMessageBody))
	at := time.Unix(1795000100, 0)
	shared := NewSharedFrames()
	shared.decode(raw, at)
	if n := testing.AllocsPerRun(100, func() { shared.decode(raw, at.Add(time.Millisecond)) }); n != 0 {
		t.Fatalf("a shared read allocates %.0f times", n)
	}
	if n := testing.AllocsPerRun(100, func() { shared.decode(raw, at.Add(time.Hour)) }); n == 0 {
		t.Fatal("a read long after the first shares its time; it should be stamped anew")
	}
}

func ignored(reason string) func(t *testing.T, ev chat.Event) {
	return func(t *testing.T, ev chat.Event) {
		t.Helper()
		e, ok := ev.(chat.FrameIgnored)
		if !ok {
			t.Fatalf("got %T, want FrameIgnored", ev)
		}
		if !strings.Contains(e.Reason, reason) {
			t.Fatalf("reason %q, want it to mention %q", e.Reason, reason)
		}
	}
}

func TestDecodeKeepsFrameTypeAndEnvelope(t *testing.T) {
	raw := `{"appId":"app","deviceId":"dev1","type":"presence","body":{"action":"online","user":` + userBob + `}}`
	ev, f := decodeFrame([]byte(raw), time.Unix(1, 0))
	if ev.Meta().FrameType != "presence" || f.DeviceID != "dev1" {
		t.Fatalf("meta %+v frame %+v", ev.Meta(), f)
	}
}

func TestCatchUpEventsKeepTheirKinds(t *testing.T) {
	m := chat.Message{ID: 5, Category: chat.CategoryMessage, Type: chat.TypeText}
	ev, err := messageEvent(m, chat.EventMeta{Dir: chat.Local}, true)
	if err != nil || !ev.(chat.MessageReceived).CatchUp {
		t.Fatalf("%+v %v", ev, err)
	}
	on := chat.Message{ID: 4, Data: chat.MessageData{Text: "x"}}
	a := chat.Message{ID: 6, Category: chat.CategoryAction, Type: chat.TypeMessage,
		Data: chat.MessageData{Action: chat.ActionDeleted, Entities: chat.Entities{On: chat.MessageEntity(on)}}}
	ev, err = messageEvent(a, chat.EventMeta{}, true)
	if err != nil || !reflect.DeepEqual(ev.(chat.MessageDeleted).Message, on) {
		t.Fatalf("%+v %v", ev, err)
	}
}

// The frame given to decode is borrowed (the socket reuses its buffer):
// the event keeps its own bytes, with or without a shared cache.
func TestDecodeKeepsNoBorrowedBytes(t *testing.T) {
	frame := msgFrame(`{"id":"7","sender":"bob","receiver":"alice","receiverType":"user","category":"message","type":"text","data":{"text":"hi","entities":{}},"sentAt":5}`)
	for _, shared := range []*SharedFrames{nil, NewSharedFrames()} {
		buf := []byte(frame)
		ev, _ := shared.decode(buf, time.Unix(1, 0))
		for i := range buf {
			buf[i] = 'x'
		}
		e := ev.(chat.MessageReceived)
		if string(e.Raw) != frame || e.Message.Data.Text != "hi" || e.Message.Sender != "bob" {
			t.Fatalf("shared=%v: event changed with the buffer: %q %+v", shared != nil, e.Raw, e.Message)
		}
	}
}
