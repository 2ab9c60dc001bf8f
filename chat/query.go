package chat

// Queries are shared by the server's store and the client library: the
// same filters travel as REST query parameters from one to the other.

// Page selects a page of a page-paginated list (1-based).
type Page struct {
	PerPage int // default 100 (REST) / 30 (SDK), at most 1000
	Page    int // 1-based
}

// UserQuery filters user lists.
type UserQuery struct {
	Page
	SearchKey       string   // prefix match on uid or name
	SearchIn        []string // "uid", "name"; both if empty
	Status          string   // "online"/"available" or "offline"; "" for all
	Roles           []string
	Tags            []string
	WithTags        bool
	OnlyDeactivated bool
	WithDeactivated bool
	UIDs            []string // restrict to these uids ("" = all)
	// Asker, when set, fills caller-relative fields (conversationId,
	// blockedByMe, hasBlockedMe) and hides users who blocked the asker
	// where CometChat does.
	Asker string
}

// GroupQuery filters group lists.
type GroupQuery struct {
	Page
	SearchKey string
	Types     []GroupType
	Tags      []string
	WithTags  bool
	// Asker fills scope/hasJoined/joinedAt. Private groups the asker is not
	// a member of are hidden from an asker.
	Asker     string
	HasJoined bool // only groups the asker is a member of
	SortBy    string
	SortOrder string
}

// MemberQuery filters group member lists.
type MemberQuery struct {
	Page
	Scopes    []Scope
	Status    string
	SearchKey string
}

// MessageQuery selects messages with CometChat's cursor parameters.
type MessageQuery struct {
	// Asker is the user whose view this is: only conversations the asker
	// belongs to are visible, and myReceipt/reactedByMe are filled for them.
	// Empty means the full-access server view.
	Asker string
	// ConversationID limits to one conversation ("" = all the asker's).
	ConversationID string
	// ParentID lists the replies of one thread.
	ParentID ID
	// Cursor: with Affix "prepend", messages before ID/SentAt (newest first
	// internally, returned oldest first); with "append", messages after.
	Affix  string
	ID     ID
	SentAt int64
	// UpdatedAfter with OnlyUpdates lists messages edited/deleted since.
	UpdatedAfter int64
	OnlyUpdates  bool
	Limit        int // 1..1000, default 30

	Categories     []Category
	Types          []string
	Tags           []string
	Sender         string
	SearchKey      string // full-text search on text
	HideReplies    bool
	HideDeleted    bool
	OnlyDeleted    bool
	Unread         bool // only messages the asker has not read
	HasAttachments bool
	HasMentions    bool
}

// ConversationQuery filters a user's conversation list (newest first).
type ConversationQuery struct {
	Page
	Type      ReceiverType // "" for both
	Unread    bool         // only with unread messages
	SearchKey string
	Tags      []string
}

// BlockDirection filters blocked-user lists.
type BlockDirection string

const (
	BlockedBoth  BlockDirection = "both"
	BlockedByMe  BlockDirection = "blockedByMe"
	BlockedHasMe BlockDirection = "hasBlockedMe"
)

// UserPatch changes a user; nil fields stay as they are. Unset clears
// avatar, link or metadata.
type UserPatch struct {
	Name          *string
	Avatar        *string
	Link          *string
	Role          *string
	StatusMessage *string
	Metadata      map[string]any
	Tags          []string
	SetTags       bool
	Unset         []string
}

// GroupPatch changes a group; nil fields stay as they are. PasswordHash is
// already hashed by the caller.
type GroupPatch struct {
	Name         *string
	Type         *GroupType
	PasswordHash *string
	Icon         *string
	Description  *string
	Metadata     map[string]any
	Owner        *string
	Tags         []string
	SetTags      bool
	Unset        []string
}

// ReceiptResult tells the real-time layer what a stored receipt changed.
type ReceiptResult struct {
	// New is false when the user had already delivered/read this message.
	New bool
	// All is true when this receipt made every member of a group have
	// delivered (or read) the message: time for deliveredToAll/readByAll.
	All bool
	// Message is the message the receipt is for, with its addressing
	// fields only: ID, Sender, Receiver, ReceiverType, ConversationID and
	// ParentID.
	Message Message
	// Members is the number of members of the group, for a new receipt on
	// a group message (0 otherwise).
	Members int
}
