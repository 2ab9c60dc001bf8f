package store_test

import (
	"context"

	"cometterm/chat"
	"cometterm/server"
	"cometterm/store"
)

var _ server.Store = (*store.DB)(nil)

// directory is the slice of the store the real-time hub uses.
type directory interface {
	User(ctx context.Context, uid string, withDeactivated bool) (chat.User, error)
	MemberUIDs(ctx context.Context, guid string) ([]string, error)
	Member(ctx context.Context, guid, uid string) (chat.GroupMember, error)
	Message(ctx context.Context, id chat.ID, asker string) (chat.Message, error)
	Receipt(ctx context.Context, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error)
	FriendUIDs(ctx context.Context, uid string) ([]string, error)
	SetLastActive(ctx context.Context, uid string, at int64) error
	AuthTokenUID(ctx context.Context, token string) (string, error)
	Group(ctx context.Context, guid, asker string) (chat.Group, error)
}

var _ directory = (*store.DB)(nil)
