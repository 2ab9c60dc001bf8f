package chat

import "time"

// Event is something the real-time connection reports. The client
// transport turns every frame into exactly one Event; the TUI switches on
// the concrete type and never sees JSON except as Raw for the inspector.
type Event interface {
	// Meta is when the event was seen, which way it went and its frame.
	Meta() EventMeta
}

// Direction of a frame relative to this client.
type Direction int

const (
	Inbound  Direction = iota // server → client
	Outbound                  // client → server
	Local                     // not a frame: connection state, catch-up
)

// EventMeta is common to every event.
type EventMeta struct {
	At  time.Time
	Dir Direction
	// Raw is the frame as it crossed the wire (nil for Local events and for
	// messages fetched by catch-up, which carry the REST JSON instead).
	// Read-only: clients sharing decoded frames share these bytes.
	Raw []byte
	// FrameType is the frame's type ("message", "typing_indicator", …).
	FrameType string
}

func (m EventMeta) Meta() EventMeta { return m }

// MessageReceived is a new message of any category: message (text or
// media), custom, call, or an action that is not a group-member or
// edit/delete action. CatchUp is true for messages fetched after a
// reconnect rather than pushed live.
type MessageReceived struct {
	EventMeta
	Message Message
	CatchUp bool
}

// MessageEdited carries the edited message (Message) and the "edited"
// action message that announced it.
type MessageEdited struct {
	EventMeta
	Message Message
	Action  Message
}

// MessageDeleted carries the deleted message and the "deleted" action.
type MessageDeleted struct {
	EventMeta
	Message Message
	Action  Message
}

// Typing is a typing indicator: Sender is typing to Receiver.
type Typing struct {
	Sender       User
	Receiver     string
	ReceiverType ReceiverType
	Metadata     map[string]any
}

// ConversationID returns the conversation the indicator is for, as seen
// by me.
func (t Typing) ConversationID(me string) string {
	return ConversationIDFor(t.Sender.UID, t.Receiver, t.ReceiverType)
}

// TypingStarted and TypingEnded are typing indicators.
type TypingStarted struct {
	EventMeta
	Typing Typing
}

type TypingEnded struct {
	EventMeta
	Typing Typing
}

// ReceiptReceived is a delivered, read, deliveredToAll or readByAll
// receipt (Receipt.Type) for one of my messages, or for my own receipt
// on another device.
type ReceiptReceived struct {
	EventMeta
	Receipt Receipt
	// By is the user who delivered or read (nil for the *ToAll kinds).
	By *User
}

// PresenceChanged is a user coming online or going offline.
type PresenceChanged struct {
	EventMeta
	User   User
	Online bool
	At     int64
}

// GroupMemberChanged is a group action: joined, left, kicked, banned,
// unbanned, scopeChanged or added (Action). By acted, On was acted upon
// (the joiner for joined/left), For is the group. The action message is
// also part of the conversation's history.
type GroupMemberChanged struct {
	EventMeta
	Action   string
	Message  Message
	By       User
	On       User
	Group    Group
	NewScope Scope
	OldScope Scope
}

// TransientReceived is a transient (never stored) message.
type TransientReceived struct {
	EventMeta
	Sender       User
	Receiver     string
	ReceiverType ReceiverType
	Data         map[string]any
}

// ReactionChanged is a reaction added to or removed from a message.
type ReactionChanged struct {
	EventMeta
	Added          bool
	Reaction       Reaction
	ConversationID string
	ParentID       ID
}

// ConnStatus is the state of the real-time connection.
type ConnStatus string

const (
	ConnConnecting   ConnStatus = "connecting"
	ConnConnected    ConnStatus = "connected"
	ConnDisconnected ConnStatus = "disconnected"
)

// ConnectionChanged reports a connection state change. Attempt counts
// reconnect attempts since the last success; RetryIn is the backoff before
// the next one; Err is why the connection dropped, if it did.
type ConnectionChanged struct {
	EventMeta
	Status  ConnStatus
	Attempt int
	RetryIn time.Duration
	Err     error
}

// FrameSent records a frame this client wrote (auth, typing, receipts,
// transient), for the event inspector.
type FrameSent struct {
	EventMeta
}

// FrameIgnored is an inbound frame of a type this client does not handle;
// it is reported so that the inspector still shows it.
type FrameIgnored struct {
	EventMeta
	Reason string
}
