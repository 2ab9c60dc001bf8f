package chat

// Scope is a group member's rank.
type Scope string

const (
	ScopeAdmin       Scope = "admin"
	ScopeModerator   Scope = "moderator"
	ScopeParticipant Scope = "participant"
)

// Valid reports whether s is one of the three CometChat scopes.
func (s Scope) Valid() bool {
	return s == ScopeAdmin || s == ScopeModerator || s == ScopeParticipant
}

// rank orders scopes so that "highest scope wins" is a comparison.
func (s Scope) rank() int {
	switch s {
	case ScopeAdmin:
		return 3
	case ScopeModerator:
		return 2
	case ScopeParticipant:
		return 1
	}
	return 0
}

// GroupType decides who may join a group.
type GroupType string

const (
	GroupPublic   GroupType = "public"
	GroupPassword GroupType = "password"
	GroupPrivate  GroupType = "private"
)

// ParseGroupType accepts the three types plus the SDK's legacy alias
// "protected" for password groups.
func ParseGroupType(s string) (GroupType, bool) {
	switch s {
	case "public":
		return GroupPublic, true
	case "password", "protected":
		return GroupPassword, true
	case "private":
		return GroupPrivate, true
	}
	return "", false
}

// ReceiverType says whether a message or event targets a user or a group.
type ReceiverType string

const (
	ReceiverUser  ReceiverType = "user"
	ReceiverGroup ReceiverType = "group"
)

// ParseReceiverType accepts "user"/"group" and the legacy XMPP words
// "chat"/"groupchat" that older SDK paths still send for typing.
func ParseReceiverType(s string) (ReceiverType, bool) {
	switch s {
	case "user", "chat":
		return ReceiverUser, true
	case "group", "groupchat":
		return ReceiverGroup, true
	}
	return "", false
}

// Category is a message's top-level kind.
type Category string

const (
	CategoryMessage Category = "message"
	CategoryCustom  Category = "custom"
	CategoryAction  Category = "action"
	CategoryCall    Category = "call"
)

// Message types of category "message".
const (
	TypeText  = "text"
	TypeImage = "image"
	TypeVideo = "video"
	TypeAudio = "audio"
	TypeFile  = "file"
)

// Message types of category "action".
const (
	TypeGroupMember = "groupMember"
	TypeMessage     = "message"
)

// Action names carried in Message.Data.Action for action messages.
const (
	ActionJoined       = "joined"
	ActionLeft         = "left"
	ActionKicked       = "kicked"
	ActionBanned       = "banned"
	ActionUnbanned     = "unbanned"
	ActionScopeChanged = "scopeChanged"
	ActionAdded        = "added"
	ActionEdited       = "edited"
	ActionDeleted      = "deleted"
)

// SystemSender is the sender of action messages caused by REST API calls
// made without onBehalfOf.
const SystemSender = "app_system"

// Presence statuses.
const (
	StatusOnline  = "online"
	StatusOffline = "offline"
)

// DefaultRole is the role of a user created without one.
const DefaultRole = "default"

// User is a CometChat user. Times are Unix seconds.
type User struct {
	UID           string         `json:"uid"`
	Name          string         `json:"name"`
	Avatar        string         `json:"avatar,omitempty"`
	Link          string         `json:"link,omitempty"`
	Role          string         `json:"role"`
	Status        string         `json:"status"`
	StatusMessage string         `json:"statusMessage,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	LastActiveAt  int64          `json:"lastActiveAt,omitempty"`
	CreatedAt     int64          `json:"createdAt"`
	UpdatedAt     int64          `json:"updatedAt,omitempty"`
	DeactivatedAt int64          `json:"deactivatedAt,omitempty"`

	// Relative to the user asking (onBehalfOf or the logged-in user).
	ConversationID string `json:"conversationId,omitempty"`
	BlockedByMe    bool   `json:"blockedByMe,omitempty"`
	HasBlockedMe   bool   `json:"hasBlockedMe,omitempty"`
	BlockedByMeAt  int64  `json:"blockedByMeAt,omitempty"`
	BlockedAt      int64  `json:"blockedAt,omitempty"`

	// AuthToken is filled only when a user is created withAuthToken.
	AuthToken string `json:"authToken,omitempty"`
}

// Online reports whether the user's live status is online.
func (u User) Online() bool { return u.Status == StatusOnline }

// Group is a CometChat group. The password is write-only and never part of
// this type; stores keep only its hash.
type Group struct {
	GUID         string         `json:"guid"`
	Name         string         `json:"name"`
	Type         GroupType      `json:"type"`
	Icon         string         `json:"icon,omitempty"`
	Description  string         `json:"description,omitempty"`
	Owner        string         `json:"owner"`
	Metadata     map[string]any `json:"metadata,omitempty"`
	Tags         []string       `json:"tags,omitempty"`
	MembersCount int            `json:"membersCount"`
	CreatedAt    int64          `json:"createdAt"`
	UpdatedAt    int64          `json:"updatedAt,omitempty"`
	UpdatedBy    string         `json:"updatedBy,omitempty"`

	// Relative to the user asking.
	Scope          Scope  `json:"scope,omitempty"`
	HasJoined      bool   `json:"hasJoined"`
	JoinedAt       int64  `json:"joinedAt,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
	IsBanned       bool   `json:"isBanned,omitempty"`
}

// GroupMember is a user as a member of one group.
type GroupMember struct {
	User
	GUID     string `json:"guid,omitempty"`
	Scope    Scope  `json:"scope"`
	JoinedAt int64  `json:"joinedAt"`
}

// Attachment is a media file referenced by URL.
type Attachment struct {
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
	MimeType  string `json:"mimeType,omitempty"`
	Extension string `json:"extension,omitempty"`
	Size      int64  `json:"size,omitempty"`
}

// ScopeChange is the extra carried by a scopeChanged action.
type ScopeChange struct {
	New Scope `json:"new"`
	Old Scope `json:"old"`
}

// ActionExtras carries the extra facts of some action messages.
type ActionExtras struct {
	Scope *ScopeChange `json:"scope,omitempty"`
}

// ReactionCount summarises one reaction on a message.
type ReactionCount struct {
	Reaction    string `json:"reaction"`
	Count       int    `json:"count"`
	ReactedByMe bool   `json:"reactedByMe,omitempty"`
}

// MessageData is a message's payload.
type MessageData struct {
	Text        string          `json:"text,omitempty"`
	Metadata    map[string]any  `json:"metadata,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	CustomData  map[string]any  `json:"customData,omitempty"`
	Action      string          `json:"action,omitempty"`
	Extras      *ActionExtras   `json:"extras,omitempty"`
	Mentions    map[string]User `json:"mentions,omitempty"`
	Reactions   []ReactionCount `json:"reactions,omitempty"`
	Entities    Entities        `json:"entities"`
}

// Entities names the users, groups and messages a message is about.
// Sender and Receiver are on every message; By, On and For on actions.
type Entities struct {
	Sender   *Entity `json:"sender,omitempty"`
	Receiver *Entity `json:"receiver,omitempty"`
	By       *Entity `json:"by,omitempty"`
	On       *Entity `json:"on,omitempty"`
	For      *Entity `json:"for,omitempty"`
}

// Message is any CometChat message: a chat message, a custom message, an
// action (system) message or a call message. Times are Unix seconds.
type Message struct {
	ID             ID           `json:"id"`
	MUID           string       `json:"muid,omitempty"`
	ConversationID string       `json:"conversationId"`
	Sender         string       `json:"sender"`
	Receiver       string       `json:"receiver"`
	ReceiverType   ReceiverType `json:"receiverType"`
	Category       Category     `json:"category"`
	Type           string       `json:"type"`
	Data           MessageData  `json:"data"`
	SentAt         int64        `json:"sentAt"`
	UpdatedAt      int64        `json:"updatedAt,omitempty"`
	DeliveredAt    int64        `json:"deliveredAt,omitempty"`
	ReadAt         int64        `json:"readAt,omitempty"`
	EditedAt       int64        `json:"editedAt,omitempty"`
	EditedBy       string       `json:"editedBy,omitempty"`
	DeletedAt      int64        `json:"deletedAt,omitempty"`
	DeletedBy      string       `json:"deletedBy,omitempty"`
	ParentID       ID           `json:"parentId,omitempty"`
	ReplyCount     int          `json:"replyCount,omitempty"`
	Tags           []string     `json:"tags,omitempty"`
	MyReceipt      *MyReceipt   `json:"myReceipt,omitempty"`
}

// MyReceipt is the asking user's own delivery and read marks on a message.
type MyReceipt struct {
	DeliveredAt int64 `json:"deliveredAt,omitempty"`
	ReadAt      int64 `json:"readAt,omitempty"`
}

// IsAction reports whether m is a system (action) message.
func (m *Message) IsAction() bool { return m.Category == CategoryAction }

// IsDeleted reports whether m has been deleted.
func (m *Message) IsDeleted() bool { return m.DeletedAt != 0 }

// SenderUser returns the sender entity if the message carries it.
func (m *Message) SenderUser() *User {
	if e := m.Data.Entities.Sender; e != nil {
		return e.User
	}
	return nil
}

// Conversation is one user's view of a 1:1 chat or a group chat.
type Conversation struct {
	ConversationID      string       `json:"conversationId"`
	ConversationType    ReceiverType `json:"conversationType"`
	UnreadMessageCount  Count        `json:"unreadMessageCount"`
	UnreadMentionsCount Count        `json:"unreadMentionsCount"`
	LastReadMessageID   ID           `json:"lastReadMessageId,omitempty"`
	LatestMessageID     ID           `json:"latestMessageId,omitempty"`
	LastMessage         *Message     `json:"lastMessage,omitempty"`
	// Exactly one of WithUser and WithGroup is set; on the wire both are the
	// single field conversationWith.
	WithUser  *User    `json:"-"`
	WithGroup *Group   `json:"-"`
	Tags      []string `json:"tags,omitempty"`
	CreatedAt int64    `json:"createdAt"`
	UpdatedAt int64    `json:"updatedAt"`
}

// Title is the conversation's display name.
func (c *Conversation) Title() string {
	switch {
	case c.WithUser != nil:
		return c.WithUser.Name
	case c.WithGroup != nil:
		return c.WithGroup.Name
	}
	return c.ConversationID
}

// ReceiptType names a delivery or read event.
type ReceiptType string

const (
	ReceiptDelivered      ReceiptType = "delivered"
	ReceiptRead           ReceiptType = "read"
	ReceiptDeliveredToAll ReceiptType = "deliveredToAll"
	ReceiptReadByAll      ReceiptType = "readByAll"
)

// Receipt says that a user (Sender) delivered or read a message.
type Receipt struct {
	MessageID    ID           `json:"messageId"`
	Sender       string       `json:"sender"`
	Receiver     string       `json:"receiver"`
	ReceiverType ReceiverType `json:"receiverType"`
	Type         ReceiptType  `json:"receiptType"`
	At           int64        `json:"timestamp"`
}

// MessageReceipt is one recipient's marks on a message, for message info.
type MessageReceipt struct {
	User        User  `json:"user"`
	DeliveredAt int64 `json:"deliveredAt,omitempty"`
	ReadAt      int64 `json:"readAt,omitempty"`
}

// Reaction is one user's reaction on a message.
type Reaction struct {
	ID        ID     `json:"id"`
	MessageID ID     `json:"messageId"`
	Reaction  string `json:"reaction"`
	UID       string `json:"uid"`
	ReactedAt int64  `json:"reactedAt"`
	ReactedBy *User  `json:"reactedBy,omitempty"`
}

// AuthToken is a per-device login credential. The store keeps only its hash;
// Token is filled only when it is created.
type AuthToken struct {
	UID       string         `json:"uid"`
	Token     string         `json:"authToken"`
	CreatedAt int64          `json:"createdAt"`
	Platform  string         `json:"platform,omitempty"`
	UserAgent string         `json:"userAgent,omitempty"`
	AppInfo   map[string]any `json:"appInfo,omitempty"`
}

// Removal says why a member leaves a group, for the action message.
type Removal string

const (
	RemovalLeft   Removal = "left"
	RemovalKicked Removal = "kicked"
	RemovalBanned Removal = "banned"
)

// App is the one CometChat app a server data dir serves.
type App struct {
	AppID       string
	AuthKey     string // the Auth Key: may create users and auth tokens only
	RESTKeyHash string // SHA-256 hex of the REST API Key, never the key
	JWTSecret   []byte // HMAC key for the WebSocket JWTs
	CreatedAt   int64
}
