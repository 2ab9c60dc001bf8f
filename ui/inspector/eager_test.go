package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
)

// The inspector as it was before rows described themselves lazily: every
// row made its who and summary when added. It is the reference the lazy
// rows must draw exactly like.

// eagerRow is a row as it was.
type eagerRow struct {
	at      time.Time
	dir     chat.Direction
	kind    string
	label   string
	conv    string
	who     string
	summary string
	raw     []byte
	ev      chat.Event
}

// eagerDescribe turns an event into a row; me is my uid (for conversations of
// frames I sent).
func eagerDescribe(ev chat.Event, me string) eagerRow {
	ev = deref(ev)
	meta := ev.Meta()
	r := eagerRow{at: meta.At, dir: meta.Dir, raw: meta.Raw, ev: ev, label: meta.FrameType}
	switch e := ev.(type) {
	case chat.MessageReceived:
		r.message(&e.Message, "")
		if e.CatchUp {
			r.summary += " (catch-up)"
		}
	case chat.MessageEdited:
		r.message(&e.Message, "edited #"+e.Message.ID.String()+" ")
	case chat.MessageDeleted:
		r.message(&e.Message, "")
		r.summary = "deleted #" + e.Message.ID.String()
	case chat.GroupMemberChanged:
		r.message(&e.Message, "")
		r.summary = "action " + e.Action + " " + e.On.UID
		if e.Action == chat.ActionScopeChanged {
			r.summary += " " + string(e.OldScope) + " → " + string(e.NewScope)
		}
		if e.By.UID != "" && e.By.UID != e.On.UID {
			r.summary += " by " + e.By.UID
		}
	case chat.TypingStarted:
		r.typing(e.Typing, "started")
	case chat.TypingEnded:
		r.typing(e.Typing, "ended")
	case chat.ReceiptReceived:
		rc := e.Receipt
		r.kind, r.label = "receipts", "receipts"
		r.conv = chat.ConversationIDFor(rc.Sender, rc.Receiver, rc.ReceiverType)
		r.who = arrow(rc.Sender, rc.Receiver)
		r.summary = string(rc.Type) + " #" + rc.MessageID.String()
	case chat.PresenceChanged:
		r.kind, r.label, r.who = "presence", "presence", e.User.UID
		r.summary = "offline"
		if e.Online {
			r.summary = "online"
		}
	case chat.ReactionChanged:
		r.kind, r.label, r.conv = "reaction", "reaction", e.ConversationID
		r.who = e.Reaction.UID
		sign := "−"
		if e.Added {
			sign = "+"
		}
		r.summary = sign + e.Reaction.Reaction + " on #" + e.Reaction.MessageID.String()
	case chat.TransientReceived:
		r.kind, r.label = "transient", "transient"
		r.conv = chat.ConversationIDFor(e.Sender.UID, e.Receiver, e.ReceiverType)
		r.who = arrow(e.Sender.UID, e.Receiver)
		r.summary = compact(e.Data)
	case chat.ConnectionChanged:
		r.kind, r.label = "connection", "connection"
		r.summary = connection(e)
	case chat.FrameSent:
		r.frame(me)
	case chat.FrameIgnored:
		r.frame(me)
		r.summary = strings.TrimSpace(r.summary + " (ignored: " + e.Reason + ")")
	default:
		r.kind = "other"
		r.summary = fmt.Sprintf("%T", ev)
	}
	if r.label == "" {
		r.label = r.kind
	}
	return r
}

func (r *eagerRow) message(m *chat.Message, prefix string) {
	r.kind, r.conv = "message", m.ConversationID
	if r.label == "" {
		r.label = "message"
	}
	r.who = arrow(m.Sender, m.Receiver)
	var s string
	switch {
	case m.Category == chat.CategoryAction:
		s = "action " + m.Data.Action
	case m.Category == chat.CategoryCustom:
		s = "custom " + m.Type + " " + compact(m.Data.CustomData)
	case m.Category == chat.CategoryCall:
		s = "call " + m.Type + " " + m.Data.Action
	case m.Type == chat.TypeText:
		s = "text " + strconv.Quote(ansi.Truncate(ansi.Strip(m.Data.Text), 60, "…"))
	default:
		s = m.Type
		for _, a := range m.Data.Attachments {
			s += " " + ansi.Strip(a.Name)
		}
	}
	if m.ParentID != 0 {
		s += " (reply to #" + m.ParentID.String() + ")"
	}
	r.summary = prefix + s
}

func (r *eagerRow) typing(t chat.Typing, action string) {
	r.kind, r.label = "typing", "typing"
	r.conv = chat.ConversationIDFor(t.Sender.UID, t.Receiver, t.ReceiverType)
	r.who = t.Sender.UID
	r.summary = action + " · " + chat.ConversationIDFor(t.Sender.UID, t.Receiver, t.ReceiverType)
}

// frame summarises a raw frame this client sent (or did not handle).
func (r *eagerRow) frame(me string) {
	var f map[string]any
	_ = json.Unmarshal(r.raw, &f) // a frame that is not JSON still gets a row
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	typ := str(f, "type")
	body, _ := f["body"].(map[string]any)
	action := str(f, "action")
	if action == "" {
		action = str(body, "action")
	}
	if r.label == "" {
		r.label = typ
	}
	if r.label == "" {
		r.label = action // keepalives carry only an action
	}
	r.kind = kindOfFrame(typ)
	receiver := str(f, "receiver")
	if rt, ok := chat.ParseReceiverType(str(f, "receiverType")); ok && receiver != "" {
		r.conv = chat.ConversationIDFor(me, receiver, rt)
	}
	sender := str(f, "sender")
	if sender == "" && r.dir == chat.Outbound {
		sender = me
	}
	r.who = arrow(sender, receiver)
	switch {
	case body["messageId"] != nil:
		r.summary = action + " #" + fmt.Sprint(body["messageId"])
	case typ == "transient_message":
		r.summary = compact(body["data"])
	default:
		r.summary = action
	}
}

// pretty is the expanded JSON of a row: the raw frame indented, or the
// event itself when it did not come from a frame.
func (r *eagerRow) pretty() []string {
	src := r.raw
	if len(src) == 0 {
		if m, ok := r.ev.(chat.MessageReceived); ok {
			src, _ = json.Marshal(m.Message)
		}
	}
	if len(src) == 0 {
		return []string{"(no frame: " + r.summary + ")"}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, src, "", "  "); err != nil {
		return []string{ansi.Strip(string(src))}
	}
	return strings.Split(ansi.Strip(out.String()), "\n")
}
