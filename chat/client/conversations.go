package client

import (
	"context"

	"cometterm/chat"
)

// Conversations lists the logged-in user's conversations, most recently
// updated first. A conversation's last message does not count as
// delivered: a message that arrived while away still comes as an event.
func (c *Client) Conversations(ctx context.Context, q chat.ConversationQuery) ([]chat.Conversation, error) {
	return c.listConversations(ctx, q)
}

func (c *Client) listConversations(ctx context.Context, q chat.ConversationQuery) ([]chat.Conversation, error) {
	v := pageQuery(q.Page)
	setStr(v, "conversationType", string(q.Type))
	setBool(v, "unread", q.Unread)
	setStr(v, "searchKey", q.SearchKey)
	setCSV(v, "tags", q.Tags)
	var out []chat.Conversation
	_, err := c.rest.do(ctx, request{method: "GET", path: "/conversations", query: v}, &out)
	return out, err
}

// conversationPath is the REST path of one of my conversations.
func (c *Client) conversationPath(conversationID string) (string, error) {
	peer, rt, ok := chat.SplitConversationID(conversationID, c.Me().UID)
	if !ok {
		return "", chat.FieldError("conversationId", "%q is not a conversation of %s.", conversationID, c.Me().UID)
	}
	if rt == chat.ReceiverGroup {
		return "/groups/" + seg(peer) + "/conversation", nil
	}
	return "/users/" + seg(peer) + "/conversation", nil
}

// Conversation fetches one conversation by id.
func (c *Client) Conversation(ctx context.Context, conversationID string) (chat.Conversation, error) {
	path, err := c.conversationPath(conversationID)
	if err != nil {
		return chat.Conversation{}, err
	}
	var cv chat.Conversation
	_, err = c.rest.do(ctx, request{method: "GET", path: path}, &cv)
	return cv, err
}

// MarkUnread marks m and everything after it in its conversation unread.
func (c *Client) MarkUnread(ctx context.Context, m chat.Message) error {
	path, err := c.conversationPath(convOf(&m))
	if err != nil {
		return err
	}
	_, err = c.rest.do(ctx, request{method: "DELETE", path: path + "/read", body: map[string]any{"messageId": m.ID}}, nil)
	return err
}
