package client

import (
	"fmt"
	json "github.com/segmentio/encoding/json"
	"time"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// decodeFrame turns one inbound frame into exactly one event. Frames it
// cannot understand become FrameIgnored with the reason, so that the
// inspector still shows them.
func decodeFrame(raw []byte, at time.Time) (chat.Event, wire.Frame) {
	var f wire.Frame
	meta := chat.EventMeta{At: at, Dir: chat.Inbound, Raw: raw}
	if err := json.Unmarshal(raw, &f); err != nil {
		return chat.FrameIgnored{EventMeta: meta, Reason: "malformed frame: " + err.Error()}, f
	}
	meta.FrameType = f.Type
	ev, err := decodeBody(f, meta)
	if err != nil {
		return chat.FrameIgnored{EventMeta: meta, Reason: err.Error()}, f
	}
	return ev, f
}

func decodeBody(f wire.Frame, meta chat.EventMeta) (chat.Event, error) {
	switch f.Type {
	case wire.TypeMessage:
		var m chat.Message
		if err := json.Unmarshal(f.Body, &m); err != nil {
			return nil, fmt.Errorf("message body: %w", err)
		}
		return messageEvent(m, meta, false)
	case wire.TypeTyping:
		return typingEvent(f, meta)
	case wire.TypeReceipts:
		return receiptEvent(f, meta)
	case wire.TypePresence:
		var b wire.PresenceBody
		if err := json.Unmarshal(f.Body, &b); err != nil {
			return nil, fmt.Errorf("presence body: %w", err)
		}
		if b.User == nil {
			return nil, fmt.Errorf("presence without user")
		}
		u := *b.User
		switch b.Action {
		case wire.PresenceOnline, wire.PresenceAvailable:
			u.Status = chat.StatusOnline
		case wire.PresenceOffline:
			u.Status = chat.StatusOffline
		default:
			return nil, fmt.Errorf("unknown presence action %q", b.Action)
		}
		if b.Timestamp != 0 {
			u.LastActiveAt = b.Timestamp
		}
		return chat.PresenceChanged{EventMeta: meta, User: u, Online: u.Online(), At: b.Timestamp}, nil
	case wire.TypeTransient:
		var b wire.TransientBody
		if err := json.Unmarshal(f.Body, &b); err != nil {
			return nil, fmt.Errorf("transient body: %w", err)
		}
		sender := chat.User{UID: f.Sender}
		if b.User != nil {
			sender = *b.User
		}
		rt, _ := chat.ParseReceiverType(f.ReceiverType)
		return chat.TransientReceived{EventMeta: meta, Sender: sender, Receiver: f.Receiver, ReceiverType: rt, Data: b.Data}, nil
	case wire.TypeReaction:
		var b wire.ReactionBody
		if err := json.Unmarshal(f.Body, &b); err != nil {
			return nil, fmt.Errorf("reaction body: %w", err)
		}
		var added bool
		switch b.Action {
		case wire.ReactionAdded:
			added = true
		case wire.ReactionRemoved:
		default:
			return nil, fmt.Errorf("unknown reaction action %q", b.Action)
		}
		r := chat.Reaction{ID: b.ID, MessageID: b.MessageID, Reaction: b.Reaction, UID: b.UID, ReactedAt: b.ReactedAt, ReactedBy: b.ReactedBy}
		return chat.ReactionChanged{EventMeta: meta, Added: added, Reaction: r, ConversationID: b.ConversationID, ParentID: b.ParentID}, nil
	case wire.TypeAuth:
		return nil, fmt.Errorf("auth frame after authentication")
	case "":
		return nil, fmt.Errorf("frame without type (action %q)", f.Action)
	}
	return nil, fmt.Errorf("unknown frame type %q", f.Type)
}

// messageEvent sorts a message into its event by category and action.
func messageEvent(m chat.Message, meta chat.EventMeta, catchUp bool) (chat.Event, error) {
	if m.Category == chat.CategoryAction {
		switch m.Type {
		case chat.TypeGroupMember:
			return groupMemberEvent(m, meta)
		case chat.TypeMessage:
			on := m.Data.Entities.On
			if on == nil || on.Message == nil {
				return nil, fmt.Errorf("message action %q without the message it is on", m.Data.Action)
			}
			switch m.Data.Action {
			case chat.ActionEdited:
				return chat.MessageEdited{EventMeta: meta, Message: *on.Message, Action: m}, nil
			case chat.ActionDeleted:
				return chat.MessageDeleted{EventMeta: meta, Message: *on.Message, Action: m}, nil
			}
		}
	}
	return chat.MessageReceived{EventMeta: meta, Message: m, CatchUp: catchUp}, nil
}

func groupMemberEvent(m chat.Message, meta chat.EventMeta) (chat.Event, error) {
	e := m.Data.Entities
	ev := chat.GroupMemberChanged{EventMeta: meta, Action: m.Data.Action, Message: m}
	if e.By != nil && e.By.User != nil {
		ev.By = *e.By.User
	}
	if e.On != nil && e.On.User != nil {
		ev.On = *e.On.User
	} else {
		// joined and left name only the member who acted.
		ev.On = ev.By
	}
	if e.For == nil || e.For.Group == nil {
		return nil, fmt.Errorf("group action %q without its group", m.Data.Action)
	}
	ev.Group = *e.For.Group
	if x := m.Data.Extras; x != nil && x.Scope != nil {
		ev.NewScope, ev.OldScope = x.Scope.New, x.Scope.Old
	}
	return ev, nil
}

func typingEvent(f wire.Frame, meta chat.EventMeta) (chat.Event, error) {
	var b wire.TypingBody
	if err := json.Unmarshal(f.Body, &b); err != nil {
		return nil, fmt.Errorf("typing body: %w", err)
	}
	if b.User == nil {
		return nil, fmt.Errorf("typing indicator without user")
	}
	rt, ok := chat.ParseReceiverType(f.ReceiverType)
	if !ok {
		return nil, fmt.Errorf("typing indicator with receiverType %q", f.ReceiverType)
	}
	t := chat.Typing{Sender: *b.User, Receiver: f.Receiver, ReceiverType: rt, Metadata: b.Metadata}
	switch b.Action {
	case wire.TypingStarted:
		return chat.TypingStarted{EventMeta: meta, Typing: t}, nil
	case wire.TypingEnded:
		return chat.TypingEnded{EventMeta: meta, Typing: t}, nil
	}
	return nil, fmt.Errorf("unknown typing action %q", b.Action)
}

func receiptEvent(f wire.Frame, meta chat.EventMeta) (chat.Event, error) {
	var b wire.ReceiptBody
	if err := json.Unmarshal(f.Body, &b); err != nil {
		return nil, fmt.Errorf("receipt body: %w", err)
	}
	typ := chat.ReceiptType(b.Action)
	switch typ {
	case chat.ReceiptDelivered, chat.ReceiptRead, chat.ReceiptDeliveredToAll, chat.ReceiptReadByAll:
	default:
		return nil, fmt.Errorf("unknown receipt action %q", b.Action)
	}
	if b.MessageID == 0 {
		return nil, fmt.Errorf("receipt without messageId")
	}
	rt, _ := chat.ParseReceiverType(f.ReceiverType)
	r := chat.Receipt{MessageID: b.MessageID, Sender: f.Sender, Receiver: f.Receiver, ReceiverType: rt, Type: typ, At: b.Timestamp}
	ev := chat.ReceiptReceived{EventMeta: meta, Receipt: r}
	if b.User != nil {
		r.Sender = b.User.UID
		ev.Receipt = r
		if typ == chat.ReceiptDelivered || typ == chat.ReceiptRead {
			u := *b.User
			ev.By = &u
		}
	} else if typ == chat.ReceiptDelivered || typ == chat.ReceiptRead {
		return nil, fmt.Errorf("receipt %q without user", b.Action)
	}
	return ev, nil
}
