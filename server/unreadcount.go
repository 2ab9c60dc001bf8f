package server

import (
	"cometterm/chat"
)

// unreadCount is one entry of the unread-count answer the official SDK
// reads for getUnreadMessageCount* (GET …/messages?unread=1&count=1).
type unreadCount struct {
	EntityID   string            `json:"entityId"`
	EntityType chat.ReceiverType `json:"entityType"`
	Count      int               `json:"count"`
}

// wantsUnreadCounts reports whether a message list asks for counts instead
// of messages.
func wantsUnreadCounts(c *call) bool {
	return c.q.bool("unread") && c.q.bool("count")
}

// unreadCounts answers with the caller's unread count per conversation,
// limited to one conversation when only is set, or to one kind when typ is.
func (s *Server) unreadCounts(c *call, only string, typ chat.ReceiverType) (reply, error) {
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if c.who.uid == "" {
		return reply{}, chat.FieldError("onBehalfOf", "Unread counts are per user: send onBehalfOf.")
	}
	out := []unreadCount{}
	for page := 1; page <= maxCountPages; page++ {
		convs, total, err := s.store.ListConversations(c.ctx, c.who.uid, chat.ConversationQuery{
			Page: chat.Page{PerPage: maxPerPage, Page: page}, Type: typ, Unread: true,
		})
		if err != nil {
			return reply{}, err
		}
		for _, cv := range convs {
			if only != "" && cv.ConversationID != only {
				continue
			}
			e := unreadCount{EntityType: cv.ConversationType, Count: int(cv.UnreadMessageCount)}
			switch {
			case cv.WithUser != nil:
				e.EntityID = cv.WithUser.UID
			case cv.WithGroup != nil:
				e.EntityID = cv.WithGroup.GUID
			default:
				continue
			}
			if e.Count > 0 {
				out = append(out, e)
			}
		}
		if page*maxPerPage >= total {
			break
		}
	}
	return ok(out), nil
}

// maxCountPages bounds the walk over a user's conversations (1,000 each).
const maxCountPages = 10
