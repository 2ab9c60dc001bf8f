// Package wire holds the JSON shapes that cross the network between a
// CometChat client and server: the REST envelope and error body, and the
// WebSocket frame envelope with its typed bodies. Both the server and the
// client transport use it, so the two can never disagree on a field name.
package wire

import (
	"encoding/json"

	"cometterm/chat"
)

// Envelope is every successful REST response: {"data": …, "meta": …}.
type Envelope struct {
	Data json.RawMessage `json:"data"`
	Meta *Meta           `json:"meta,omitempty"`
}

// Meta carries pagination for lists.
type Meta struct {
	Pagination *Pagination `json:"pagination,omitempty"`
	// Cursor is what the official SDK reads to page messages.
	Cursor *Cursor `json:"cursor,omitempty"`
	// Current and Next are the server REST API's names for the same.
	Current *Current `json:"current,omitempty"`
	Next    *Cursor  `json:"next,omitempty"`
}

// Pagination is the page-based shape (users, groups, members, conversations…).
type Pagination struct {
	Total       int `json:"total"`
	Count       int `json:"count"`
	PerPage     int `json:"per_page"`
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
}

// Cursor is the message-list cursor: the edge id and sentAt, and which way.
type Cursor struct {
	Affix  string  `json:"affix,omitempty"`
	ID     chat.ID `json:"id,omitempty"`
	SentAt int64   `json:"sentAt,omitempty"`
}

// Current describes the page returned by a cursor list.
type Current struct {
	Limit int `json:"limit"`
	Count int `json:"count"`
}

// Affix values for cursor lists.
const (
	AffixAppend  = "append"  // after the cursor (newer)
	AffixPrepend = "prepend" // before the cursor (older)
)

// ErrorBody is every failed REST response: {"error": {…}}.
type ErrorBody struct {
	Error *chat.Error `json:"error"`
}

// Success is the data of deletes and other side-effect calls.
type Success struct {
	Success bool   `json:"success"`
	Message string `json:"message,omitempty"`
}

// Frame types on the WebSocket.
const (
	TypeAuth      = "auth"
	TypeMessage   = "message"
	TypeTyping    = "typing_indicator"
	TypeReceipts  = "receipts"
	TypePresence  = "presence"
	TypeTransient = "transient_message"
	TypeReaction  = "reaction"
)

// Keepalive actions (frames without a type).
const (
	ActionPing = "ping"
	ActionPong = "pong"
)

// Typing actions.
const (
	TypingStarted = "started"
	TypingEnded   = "ended"
)

// Presence actions.
const (
	PresenceOnline    = "online"
	PresenceAvailable = "available"
	PresenceOffline   = "offline"
)

// Reaction actions.
const (
	ReactionAdded   = "message_reaction_added"
	ReactionRemoved = "message_reaction_removed"
)

// Presence subscription modes sent in the auth body.
const (
	SubscribeAllUsers = "ALL_USERS"
	SubscribeRoles    = "ROLES"
	SubscribeFriends  = "FRIENDS"
)

// Frame is the envelope of every WebSocket text frame, both directions.
// Keepalives use only Action and Ack.
type Frame struct {
	AppID         string          `json:"appId,omitempty"`
	Receiver      string          `json:"receiver,omitempty"`
	ReceiverType  string          `json:"receiverType,omitempty"`
	DeviceID      string          `json:"deviceId,omitempty"`
	Type          string          `json:"type,omitempty"`
	Sender        string          `json:"sender,omitempty"`
	MessageSender string          `json:"messageSender,omitempty"`
	Body          json.RawMessage `json:"body,omitempty"`
	Action        string          `json:"action,omitempty"`
	Ack           string          `json:"ack,omitempty"`
}

// AuthBody is the body of the client's first frame.
type AuthBody struct {
	Auth                 string         `json:"auth"`
	DeviceID             string         `json:"deviceId"`
	PresenceSubscription string         `json:"presenceSubscription,omitempty"`
	Roles                []string       `json:"roles,omitempty"`
	Params               map[string]any `json:"params,omitempty"`
}

// AuthReply is the server's answer to auth. Code and Status are strings:
// the official SDK only starts pinging on the string "200".
type AuthReply struct {
	Code    string `json:"code"`
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// TypingBody is a typing_indicator body.
type TypingBody struct {
	Action   string         `json:"action"`
	User     *chat.User     `json:"user,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// ReceiptBody is a receipts body. Timestamp is set by the server.
type ReceiptBody struct {
	Action    string     `json:"action"`
	MessageID chat.ID    `json:"messageId"`
	User      *chat.User `json:"user,omitempty"`
	Timestamp int64      `json:"timestamp,omitempty"`
}

// PresenceBody is a presence body.
type PresenceBody struct {
	Action    string     `json:"action"`
	User      *chat.User `json:"user,omitempty"`
	Timestamp int64      `json:"timestamp,omitempty"`
}

// TransientBody is a transient_message body; never stored.
type TransientBody struct {
	User *chat.User     `json:"user,omitempty"`
	Data map[string]any `json:"data,omitempty"`
}

// ReactionBody is a reaction body.
type ReactionBody struct {
	Action         string     `json:"action"`
	ID             chat.ID    `json:"id,omitempty"`
	MessageID      chat.ID    `json:"messageId"`
	UID            string     `json:"uid"`
	Reaction       string     `json:"reaction"`
	ReactedBy      *chat.User `json:"reactedBy,omitempty"`
	ReactedAt      int64      `json:"reactedAt,omitempty"`
	ConversationID string     `json:"conversationId,omitempty"`
	ParentID       chat.ID    `json:"parentId,omitempty"`
}

// Settings is what PUT /v3.0/me returns under data.settings: where the
// client API, admin API and WebSocket live. Values are strings, as the SDK
// expects.
type Settings struct {
	ClientAPIHost         string `json:"CLIENT_API_HOST"`
	AdminAPIHost          string `json:"ADMIN_API_HOST"`
	ChatAPIVersion        string `json:"CHAT_API_VERSION"`
	ChatHost              string `json:"CHAT_HOST"`
	ChatWSSPort           string `json:"CHAT_WSS_PORT"`
	ChatUseSSL            string `json:"CHAT_USE_SSL,omitempty"`
	Mode                  string `json:"MODE,omitempty"`
	SettingsHash          string `json:"settingsHash,omitempty"`
	AnalyticsPingDisabled bool   `json:"ANALYTICS_PING_DISABLED"`
	Region                string `json:"REGION,omitempty"`
}

// Me is the data of PUT/GET /v3.0/me: the user, a JWT for the socket and
// the settings that say where everything is.
type Me struct {
	chat.User
	JWT       string   `json:"jwt"`
	WSChannel string   `json:"wsChannel,omitempty"`
	Settings  Settings `json:"settings"`
}
