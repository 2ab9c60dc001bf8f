package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
)

// Filter kinds, in the order f cycles through them.
var kinds = []string{"all", "message", "typing", "receipts", "presence", "reaction", "transient", "connection"}

// row is one event as the inspector shows it. What the filters need is
// set when the event is added; who and summary, which are only drawn, are
// made from src the first time the row is drawn (most rows never are) and
// then kept in it.
type row struct {
	seq   uint64
	at    time.Time
	dir   chat.Direction
	kind  string // one of kinds (never "all"), or "other"
	label string // frame type as shown
	conv  string // conversation it belongs to, "" if none
	raw   []byte // the frame, by reference: read-only, maybe shared (see Add)
	src   source // see describe
}

// source is what a row's who and summary are made from: a few of the
// event's fields, their strings shared with it rather than copied, or, for
// a row without a frame (pretty shows its event) or of a rare kind, the
// event itself. Once made, it holds them (opDrawn). A ring of rows is most
// of the inspector's memory: keep it small.
type source struct {
	op   op
	form form
	flag bool   // catch-up, started, online, added, ignored
	a, b string // who: a → b; once drawn, who and summary
	s, t string // by op and form (see text)
	id   chat.ID
	// parent is the message replied to.
	parent chat.ID
	v      any // the event (opEvent, and opDrawn without a frame), else the data the summary shows
}

// op is which event a source is the fields of.
type op uint8

const (
	opEvent op = iota // v is the event itself
	opDrawn           // a and b are who and summary
	opMessage
	opEdited
	opDeleted
	opTyping
	opReceipt
	opPresence
	opReaction
	opTransient
	opFrame
)

// form is what a message's or a frame's summary shows.
type form uint8

const (
	formText      form = iota // a message's text
	formAction                // a message's action
	formCustom                // a custom message's type and data
	formCall                  // a call's type and action
	formMedia                 // a message's type and attachments
	formFrame                 // a frame's action
	formMessageID             // a frame's action and message id
	formTransient             // a transient frame's data
)

// newRow is ev as Add keeps it: the filters' fields and the source of its
// text, no more; me is my uid (for conversations of frames I sent).
func newRow(ev chat.Event, me string) row {
	meta := ev.Meta()
	r := row{at: meta.At, dir: meta.Dir, raw: meta.Raw, label: meta.FrameType}
	switch e := ev.(type) {
	case chat.MessageReceived:
		r.message(&e.Message, opMessage)
		r.src.flag = e.CatchUp
	case chat.MessageEdited:
		r.message(&e.Message, opEdited)
	case chat.MessageDeleted:
		r.message(&e.Message, opDeleted)
	case chat.GroupMemberChanged:
		r.message(&e.Message, opMessage)
		r.src = source{v: ev} // rare enough to keep whole until drawn
	case chat.TypingStarted:
		r.typing(e.Typing, true)
	case chat.TypingEnded:
		r.typing(e.Typing, false)
	case chat.ReceiptReceived:
		rc := e.Receipt
		r.kind, r.label = "receipts", "receipts"
		r.conv = chat.ConversationIDFor(rc.Sender, rc.Receiver, rc.ReceiverType)
		r.src = source{op: opReceipt, a: rc.Sender, b: rc.Receiver, s: string(rc.Type), id: rc.MessageID}
	case chat.PresenceChanged:
		r.kind, r.label = "presence", "presence"
		r.src = source{op: opPresence, a: e.User.UID, flag: e.Online}
	case chat.ReactionChanged:
		r.kind, r.label, r.conv = "reaction", "reaction", e.ConversationID
		r.src = source{op: opReaction, a: e.Reaction.UID, s: e.Reaction.Reaction, id: e.Reaction.MessageID, flag: e.Added}
	case chat.TransientReceived:
		r.kind, r.label = "transient", "transient"
		r.conv = chat.ConversationIDFor(e.Sender.UID, e.Receiver, e.ReceiverType)
		r.src = source{op: opTransient, a: e.Sender.UID, b: e.Receiver, v: e.Data}
	case chat.ConnectionChanged:
		r.kind, r.label = "connection", "connection"
		r.src = source{v: ev}
	case chat.FrameSent:
		r.frame(me)
	case chat.FrameIgnored:
		r.frame(me)
		r.src.flag, r.src.t = true, e.Reason
	default:
		r.kind = "other"
		r.src = source{v: ev}
	}
	if r.label == "" {
		r.label = r.kind
	}
	return r
}

// describe is the row's who and summary, made the first time they are
// asked for. Then src keeps them, and the event only when the row has no
// frame.
func (r *row) describe(me string) (who, summary string) {
	if r.src.op != opDrawn {
		src := r.src
		if ev, ok := src.v.(chat.Event); ok && src.op == opEvent {
			src = newRow(ev, me).src // the fields of a row kept whole, or the event again
		}
		who, summary := src.text(r.conv)
		var ev any
		if len(r.raw) == 0 {
			ev = r.src.v // Add keeps the event of a row without a frame
		}
		r.src = source{op: opDrawn, a: who, b: summary, v: ev}
	}
	return r.src.a, r.src.b
}

// text makes who and summary; conv is the row's conversation.
func (s *source) text(conv string) (who, summary string) {
	switch s.op {
	case opEvent:
		return eventText(s.v)
	case opMessage:
		summary = s.body()
		if s.flag {
			summary += " (catch-up)"
		}
		return arrow(s.a, s.b), summary
	case opEdited:
		return arrow(s.a, s.b), "edited #" + s.id.String() + " " + s.body()
	case opDeleted:
		return arrow(s.a, s.b), "deleted #" + s.id.String()
	case opTyping:
		action := "ended"
		if s.flag {
			action = "started"
		}
		return s.a, action + " · " + conv
	case opReceipt:
		return arrow(s.a, s.b), s.s + " #" + s.id.String()
	case opPresence:
		if s.flag {
			return s.a, "online"
		}
		return s.a, "offline"
	case opReaction:
		sign := "−"
		if s.flag {
			sign = "+"
		}
		return s.a, sign + s.s + " on #" + s.id.String()
	case opTransient:
		return arrow(s.a, s.b), compact(s.v)
	}
	// opFrame
	switch s.form {
	case formMessageID:
		summary = s.s + " #" + fmt.Sprint(s.v)
	case formTransient:
		summary = compact(s.v)
	default:
		summary = s.s
	}
	if s.flag {
		summary = strings.TrimSpace(summary + " (ignored: " + s.t + ")")
	}
	return arrow(s.a, s.b), summary
}

// eventText is who and summary of the events a row keeps whole.
func eventText(ev any) (who, summary string) {
	switch e := ev.(type) {
	case chat.GroupMemberChanged:
		summary = "action " + e.Action + " " + e.On.UID
		if e.Action == chat.ActionScopeChanged {
			summary += " " + string(e.OldScope) + " → " + string(e.NewScope)
		}
		if e.By.UID != "" && e.By.UID != e.On.UID {
			summary += " by " + e.By.UID
		}
		return arrow(e.Message.Sender, e.Message.Receiver), summary
	case chat.ConnectionChanged:
		return "", connection(e)
	}
	return "", fmt.Sprintf("%T", ev)
}

func arrow(a, b string) string {
	if b == "" {
		return a
	}
	return a + " → " + b
}

func (r *row) message(m *chat.Message, op op) {
	r.kind, r.conv = "message", m.ConversationID
	if r.label == "" {
		r.label = "message"
	}
	r.src = source{op: op, a: m.Sender, b: m.Receiver, id: m.ID, parent: m.ParentID}
	switch {
	case m.Category == chat.CategoryAction:
		r.src.form, r.src.s = formAction, m.Data.Action
	case m.Category == chat.CategoryCustom:
		r.src.form, r.src.s, r.src.v = formCustom, m.Type, m.Data.CustomData
	case m.Category == chat.CategoryCall:
		r.src.form, r.src.s, r.src.t = formCall, m.Type, m.Data.Action
	case m.Type == chat.TypeText:
		r.src.form, r.src.s = formText, m.Data.Text
	default:
		r.src.form, r.src.s = formMedia, m.Type
		if len(m.Data.Attachments) > 0 {
			r.src.v = m.Data.Attachments
		}
	}
}

// body is a message's summary.
func (s *source) body() string {
	var b string
	switch s.form {
	case formAction:
		b = "action " + s.s
	case formCustom:
		b = "custom " + s.s + " " + compact(s.v)
	case formCall:
		b = "call " + s.s + " " + s.t
	case formText:
		b = "text " + strconv.Quote(ansi.Truncate(ansi.Strip(s.s), 60, "…"))
	default:
		b = s.s
		atts, _ := s.v.([]chat.Attachment)
		for _, a := range atts {
			b += " " + ansi.Strip(a.Name)
		}
	}
	if s.parent != 0 {
		b += " (reply to #" + s.parent.String() + ")"
	}
	return b
}

func (r *row) typing(t chat.Typing, started bool) {
	r.kind, r.label = "typing", "typing"
	r.conv = chat.ConversationIDFor(t.Sender.UID, t.Receiver, t.ReceiverType)
	r.src = source{op: opTyping, a: t.Sender.UID, flag: started}
}

// frame classifies a raw frame this client sent (or did not handle).
func (r *row) frame(me string) {
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
	r.src = source{op: opFrame, form: formFrame, a: sender, b: receiver, s: action}
	switch {
	case body["messageId"] != nil:
		r.src.form, r.src.v = formMessageID, body["messageId"]
	case typ == "transient_message":
		r.src.form, r.src.v = formTransient, body["data"]
	}
}

func kindOfFrame(typ string) string {
	switch typ {
	case "message":
		return "message"
	case "typing_indicator":
		return "typing"
	case "receipts":
		return "receipts"
	case "presence":
		return "presence"
	case "reaction":
		return "reaction"
	case "transient_message":
		return "transient"
	case "auth", "":
		return "connection" // auth and keepalives are the connection's own
	}
	return "other"
}

func connection(e chat.ConnectionChanged) string {
	s := string(e.Status)
	if e.Status == chat.ConnConnecting && e.Attempt > 0 {
		s = "reconnecting"
	}
	var extra []string
	if e.Attempt > 0 {
		extra = append(extra, "attempt "+strconv.Itoa(e.Attempt))
	}
	if e.RetryIn > 0 {
		extra = append(extra, strconv.FormatFloat(e.RetryIn.Seconds(), 'f', 1, 64)+" s")
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "…"
	}
	return ansi.Truncate(ansi.Strip(string(b)), 80, "…")
}

// pretty is the expanded JSON of a row: the raw frame indented, or the
// event itself when it did not come from a frame.
func (r *row) pretty(me string) []string {
	src := r.raw
	if len(src) == 0 {
		if m, ok := r.src.v.(chat.MessageReceived); ok { // the event, before or after describe
			src, _ = json.Marshal(m.Message)
		}
	}
	if len(src) == 0 {
		_, summary := r.describe(me)
		return []string{"(no frame: " + summary + ")"}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, src, "", "  "); err != nil {
		return []string{ansi.Strip(string(src))}
	}
	return strings.Split(ansi.Strip(out.String()), "\n")
}

// deref accepts events sent by pointer as well as by value.
func deref(ev chat.Event) chat.Event {
	if v := reflect.ValueOf(ev); v.Kind() == reflect.Pointer && !v.IsNil() {
		if e, ok := v.Elem().Interface().(chat.Event); ok {
			return e
		}
	}
	return ev
}
