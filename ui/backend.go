package ui

import (
	"context"

	"cometterm/chat"
	"cometterm/chat/client"
)

// Backend is what the TUI needs of the chat client; *client.Client
// implements it, and tests run the real client against an in-process
// server.
type Backend interface {
	Me() chat.User
	Events() <-chan chat.Event
	Status() chat.ConnStatus
	Connect(ctx context.Context) error

	ListUsers(ctx context.Context, q chat.UserQuery) ([]chat.User, error)
	User(ctx context.Context, uid string) (chat.User, error)
	Block(ctx context.Context, uids ...string) error
	Unblock(ctx context.Context, uids ...string) error

	ListGroups(ctx context.Context, q chat.GroupQuery) ([]chat.Group, error)
	Group(ctx context.Context, guid string) (chat.Group, error)
	CreateGroup(ctx context.Context, g client.NewGroup) (chat.Group, error)
	JoinGroup(ctx context.Context, guid, password string) (chat.Group, error)
	LeaveGroup(ctx context.Context, guid string) error
	ListMembers(ctx context.Context, guid string, q chat.MemberQuery) ([]chat.GroupMember, error)
	AddMembers(ctx context.Context, guid string, members map[string]chat.Scope) (map[string]error, error)
	ChangeScope(ctx context.Context, guid, uid string, scope chat.Scope) error
	Kick(ctx context.Context, guid, uid string) error
	Ban(ctx context.Context, guid, uid string) error
	Unban(ctx context.Context, guid, uid string) error
	ListBanned(ctx context.Context, guid string, p chat.Page) ([]chat.User, error)

	SendText(ctx context.Context, receiver string, rt chat.ReceiverType, text string, opts ...client.SendOption) (chat.Message, error)
	Message(ctx context.Context, id chat.ID) (chat.Message, error)
	EditMessage(ctx context.Context, id chat.ID, text string) (chat.Message, error)
	DeleteMessage(ctx context.Context, id chat.ID) (chat.Message, error)
	Messages(ctx context.Context, q chat.MessageQuery) ([]chat.Message, error)
	MessageReceipts(ctx context.Context, id chat.ID) ([]chat.MessageReceipt, error)
	AddReaction(ctx context.Context, id chat.ID, reaction string) (chat.Message, error)
	RemoveReaction(ctx context.Context, id chat.ID, reaction string) (chat.Message, error)

	Conversations(ctx context.Context, q chat.ConversationQuery) ([]chat.Conversation, error)
	Conversation(ctx context.Context, conversationID string) (chat.Conversation, error)
	MarkDelivered(ctx context.Context, m chat.Message) error
	MarkRead(ctx context.Context, m chat.Message) error
	StartTyping(ctx context.Context, receiver string, rt chat.ReceiverType) error
	EndTyping(ctx context.Context, receiver string, rt chat.ReceiverType) error
}
