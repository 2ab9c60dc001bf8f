package store_test

import (
	"context"
	"fmt"
	"testing"

	"cometterm/chat"
)

// BenchmarkConversationsBusyGroup reads the conversations of a member of a
// busy 200-member group who has 10,000 unread messages there: the group
// conversation alone, the list (the group only, then with 20 direct
// conversations more) and the unread filter the unread counts endpoints
// walk.
func BenchmarkConversationsBusyGroup(b *testing.B) {
	db, readers := receiptGroup(b, 200)
	ctx := context.Background()
	me := readers[0]
	const unread = 10_000
	for i := range unread {
		from := readers[1+i%(len(readers)-1)]
		mustSend(b, db, text(from, "g", chat.ReceiverGroup, "hello everyone", t0+100+int64(i)))
	}
	c, err := db.Conversation(ctx, me, "group_g")
	if err != nil || c.UnreadMessageCount != unread {
		b.Fatalf("group conversation: %d unread, %v", c.UnreadMessageCount, err)
	}
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Conversation(ctx, me, "group_g"); err != nil {
				b.Fatal(err)
			}
		}
	})
	list := func(want int) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				list, _, err := db.ListConversations(ctx, me, chat.ConversationQuery{Page: chat.Page{PerPage: 30, Page: 1}})
				if err != nil || len(list) != want || list[0].UnreadMessageCount != unread {
					b.Fatalf("list: %d conversations, %v", len(list), err)
				}
			}
		}
	}
	b.Run("list", list(1))
	for i := range 20 {
		peer := fmt.Sprintf("d%02d", i)
		mustUser(b, db, peer, peer)
		mustSend(b, db, text(peer, me, chat.ReceiverUser, "hi", t0+int64(i)))
	}
	b.Run("list+20dm", list(21))
	b.Run("unread", func(b *testing.B) {
		for b.Loop() {
			list, _, err := db.ListConversations(ctx, me, chat.ConversationQuery{Unread: true, Page: chat.Page{PerPage: 1000, Page: 1}})
			if err != nil || len(list) != 21 {
				b.Fatalf("unread: %d conversations, %v", len(list), err)
			}
		}
	})
}
