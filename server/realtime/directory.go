package realtime

import (
	"context"

	"cometterm/chat"
)

// Directory is what the hub needs to know about users, groups and
// messages. *store.DB satisfies it (the methods have the same names and
// signatures as in server.Store). The slice MemberUIDs gives may be
// shared with other callers: the hub only reads it.
type Directory interface {
	User(ctx context.Context, uid string, withDeactivated bool) (chat.User, error)
	Group(ctx context.Context, guid, asker string) (chat.Group, error)
	Member(ctx context.Context, guid, uid string) (chat.GroupMember, error)
	MemberUIDs(ctx context.Context, guid string) ([]string, error)
	Message(ctx context.Context, id chat.ID, asker string) (chat.Message, error)
	Receipt(ctx context.Context, uid string, id chat.ID, typ chat.ReceiptType, at int64) (chat.ReceiptResult, error)
	FriendUIDs(ctx context.Context, uid string) ([]string, error)
	SetLastActive(ctx context.Context, uid string, at int64) error
	// AuthTokenHashUID finds the user of a live auth token by its SHA-256,
	// so that a JWT minted from a revoked token no longer opens a socket.
	AuthTokenHashUID(ctx context.Context, hash string) (string, error)
}
