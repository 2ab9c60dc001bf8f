package server

import (
	"context"

	"cometterm/chat"
)

// Store is what the server needs from persistence. It is defined here, by
// its user, so that another back end (PostgreSQL) can follow without
// touching the handlers. store.DB (SQLite) implements it.
//
// Conventions:
//   - Not-found and rule violations come back as *chat.Error with the
//     CometChat code (ERR_UID_NOT_FOUND, ERR_GUID_NOT_FOUND, …); anything
//     else is an internal error.
//   - Operations that change a group produce their action message inside
//     the same transaction and return it already stored (with its id), so
//     the caller can fan it out after the commit.
//   - Times are Unix seconds and are chosen by the caller (at) so that tests
//     can fix the clock.
type Store interface {
	// App identity and keys. Key hashes are SHA-256 hex; the store never
	// sees a REST API key in clear.
	App(ctx context.Context) (chat.App, bool, error)
	SaveApp(ctx context.Context, app chat.App) error

	// Users.
	CreateUser(ctx context.Context, u chat.User) (chat.User, error)
	User(ctx context.Context, uid string, withDeactivated bool) (chat.User, error)
	UpdateUser(ctx context.Context, uid string, p chat.UserPatch, at int64) (chat.User, error)
	DeleteUser(ctx context.Context, uid string) error
	ListUsers(ctx context.Context, q chat.UserQuery) ([]chat.User, int, error)
	SetDeactivated(ctx context.Context, uids []string, deactivated bool, at int64) ([]string, error)
	SetLastActive(ctx context.Context, uid string, at int64) error

	// Auth tokens: the store keeps a SHA-256 of the token only; Token in
	// the results of lists is empty. AuthTokenUID does not find the tokens
	// of a deactivated user.
	CreateAuthToken(ctx context.Context, t chat.AuthToken) error
	AuthTokenUID(ctx context.Context, token string) (string, error)
	AuthToken(ctx context.Context, uid, token string) (chat.AuthToken, error)
	UpdateAuthToken(ctx context.Context, t chat.AuthToken) (chat.AuthToken, error)
	ListAuthTokens(ctx context.Context, uid string, p chat.Page) ([]chat.AuthToken, int, error)
	DeleteAuthToken(ctx context.Context, uid, token string) error
	FlushAuthTokens(ctx context.Context, uid string) error

	// Groups. CreateGroup makes g.Owner an admin member. passwordHash is
	// already hashed (bcrypt) by the caller, "" for no password.
	CreateGroup(ctx context.Context, g chat.Group, passwordHash string) (chat.Group, error)
	Group(ctx context.Context, guid, asker string) (chat.Group, error)
	GroupPasswordHash(ctx context.Context, guid string) (string, error)
	UpdateGroup(ctx context.Context, guid string, p chat.GroupPatch, by string, at int64) (chat.Group, error)
	DeleteGroup(ctx context.Context, guid string) error
	ListGroups(ctx context.Context, q chat.GroupQuery) ([]chat.Group, int, error)

	// Members. Member returns ERR_GUID_NOT_FOUND when there is no group
	// guid, ERR_NOT_A_MEMBER when uid is not in it. MemberUIDs' slice may
	// be shared with other callers: read it, never change it.
	Member(ctx context.Context, guid, uid string) (chat.GroupMember, error)
	ListMembers(ctx context.Context, guid string, q chat.MemberQuery) ([]chat.GroupMember, int, error)
	MemberUIDs(ctx context.Context, guid string) ([]string, error)
	// AddMember adds uid with scope; by == uid records a "joined" action,
	// otherwise "added" by by. Banned users get ERR_BANNED_GROUPMEMBER,
	// members ERR_ALREADY_JOINED.
	AddMember(ctx context.Context, guid, uid string, scope chat.Scope, by string, at int64) (chat.GroupMember, chat.Message, error)
	RemoveMember(ctx context.Context, guid, uid string, how chat.Removal, by string, at int64) (chat.Message, error)
	ChangeScope(ctx context.Context, guid, uid string, scope chat.Scope, by string, at int64) (chat.GroupMember, chat.Message, error)
	Unban(ctx context.Context, guid, uid, by string, at int64) (chat.Message, error)
	Banned(ctx context.Context, guid, uid string) (bool, error)
	ListBanned(ctx context.Context, guid string, p chat.Page) ([]chat.User, int, error)
	TransferOwner(ctx context.Context, guid, newOwner, by string, at int64) (chat.Group, error)

	// Messages. InsertMessage assigns the id (monotonically increasing),
	// fills conversationId and entities, updates the conversation of every
	// participant (last message, unread counts: never for the sender's own
	// messages) and the parent's replyCount. A repeated (sender, muid)
	// returns the message stored the first time, unchanged.
	InsertMessage(ctx context.Context, m chat.Message) (chat.Message, error)
	Message(ctx context.Context, id chat.ID, asker string) (chat.Message, error)
	ListMessages(ctx context.Context, q chat.MessageQuery) ([]chat.Message, error)
	// EditMessage and DeleteMessage return the changed message and the
	// "edited"/"deleted" action message stored for it.
	EditMessage(ctx context.Context, id chat.ID, d chat.MessageData, tags []string, by string, at int64) (chat.Message, chat.Message, error)
	DeleteMessage(ctx context.Context, id chat.ID, by string, at int64) (chat.Message, chat.Message, error)

	// Reactions return the reaction and the message with its new counts.
	AddReaction(ctx context.Context, id chat.ID, uid, reaction string, at int64) (chat.Reaction, chat.Message, error)
	RemoveReaction(ctx context.Context, id chat.ID, uid, reaction string) (chat.Reaction, chat.Message, error)
	ListReactions(ctx context.Context, id chat.ID, reaction string, afterID chat.ID, limit int) ([]chat.Reaction, error)

	// Conversations and receipts.
	ListConversations(ctx context.Context, uid string, q chat.ConversationQuery) ([]chat.Conversation, int, error)
	Conversation(ctx context.Context, uid, conversationID string) (chat.Conversation, error)
	MarkDelivered(ctx context.Context, uid, conversationID string, upTo chat.ID, at int64) error
	MarkRead(ctx context.Context, uid, conversationID string, upTo chat.ID, at int64) error
	MarkUnread(ctx context.Context, uid, conversationID string, from chat.ID) error
	// Receipt records a per-message delivered/read mark by uid (read
	// implies delivered) and moves the conversation marks with it.
	Receipt(ctx context.Context, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error)
	MessageReceipts(ctx context.Context, id chat.ID) ([]chat.MessageReceipt, error)

	// Blocking and friends. Results are per uid: nil or a *chat.Error.
	Block(ctx context.Context, uid string, targets []string, at int64) (map[string]error, error)
	Unblock(ctx context.Context, uid string, targets []string) (map[string]error, error)
	ListBlocked(ctx context.Context, uid string, dir chat.BlockDirection, p chat.Page) ([]chat.User, int, error)
	Blocked(ctx context.Context, a, b string) (bool, error) // either way round
	AddFriends(ctx context.Context, uid string, friends []string, at int64) (map[string]error, error)
	RemoveFriends(ctx context.Context, uid string, friends []string) (map[string]error, error)
	ListFriends(ctx context.Context, uid string, q chat.UserQuery) ([]chat.User, int, error)
	FriendUIDs(ctx context.Context, uid string) ([]string, error)

	// SSH keys: a public key fingerprint bound to a uid on first login.
	BindSSHKey(ctx context.Context, uid, fingerprint string, at int64) error
	SSHKeys(ctx context.Context, uid string) ([]string, error)

	Close() error
}
