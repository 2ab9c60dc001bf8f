package client

import (
	"context"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// MessagesRequest pages through one conversation (or thread) the way the
// SDK's MessagesRequestBuilder does: FetchPrevious walks back from the
// newest message, FetchNext forward from where the cursor stands. Both
// keep the cursor between calls. Not safe for concurrent use.
type MessagesRequest struct {
	c      *Client
	q      chat.MessageQuery
	oldest chat.ID // smallest id returned so far
	newest chat.ID // largest id returned so far
	done   bool    // FetchPrevious reached the start
}

// NewMessagesRequest starts a request on a conversation id.
func NewMessagesRequest(c *Client, conversationID string) *MessagesRequest {
	return &MessagesRequest{c: c, q: chat.MessageQuery{ConversationID: conversationID, Limit: 30}}
}

// Limit sets the page size (the SDK's default is 30, its maximum 100).
func (r *MessagesRequest) Limit(n int) *MessagesRequest { r.q.Limit = n; return r }

// HideReplies leaves thread replies out.
func (r *MessagesRequest) HideReplies(b bool) *MessagesRequest { r.q.HideReplies = b; return r }

// HideDeleted leaves deleted messages out.
func (r *MessagesRequest) HideDeleted(b bool) *MessagesRequest { r.q.HideDeleted = b; return r }

// Categories keeps only these categories.
func (r *MessagesRequest) Categories(cs ...chat.Category) *MessagesRequest {
	r.q.Categories = cs
	return r
}

// Types keeps only these message types.
func (r *MessagesRequest) Types(ts ...string) *MessagesRequest { r.q.Types = ts; return r }

// Tags keeps only messages with these tags.
func (r *MessagesRequest) Tags(ts ...string) *MessagesRequest { r.q.Tags = ts; return r }

// Thread lists the replies of parent instead of the conversation.
func (r *MessagesRequest) Thread(parent chat.ID) *MessagesRequest { r.q.ParentID = parent; return r }

// StartAt places the cursor at id: FetchNext then returns what follows it
// and FetchPrevious what precedes it.
func (r *MessagesRequest) StartAt(id chat.ID) *MessagesRequest {
	r.oldest, r.newest = id, id
	return r
}

// FetchPrevious returns the page before the oldest message fetched so far
// (the newest page on the first call), oldest first; empty at the start.
func (r *MessagesRequest) FetchPrevious(ctx context.Context) ([]chat.Message, error) {
	if r.done {
		return nil, nil
	}
	q := r.q
	q.Affix = wire.AffixPrepend
	q.ID = r.oldest
	ms, err := r.c.Messages(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(ms) < q.Limit {
		r.done = true
	}
	r.note(ms)
	return ms, nil
}

// FetchNext returns the page after the newest message fetched so far,
// oldest first; empty when there is nothing newer yet (call it again
// later to continue).
func (r *MessagesRequest) FetchNext(ctx context.Context) ([]chat.Message, error) {
	q := r.q
	q.Affix = wire.AffixAppend
	q.ID = r.newest
	ms, err := r.c.Messages(ctx, q)
	if err != nil {
		return nil, err
	}
	r.note(ms)
	return ms, nil
}

func (r *MessagesRequest) note(ms []chat.Message) {
	for _, m := range ms {
		if r.oldest == 0 || m.ID < r.oldest {
			r.oldest = m.ID
		}
		if m.ID > r.newest {
			r.newest = m.ID
		}
	}
}

// UsersRequest pages through users like the SDK's UsersRequestBuilder.
// Not safe for concurrent use.
type UsersRequest struct {
	c    *Client
	q    chat.UserQuery
	done bool
}

// NewUsersRequest starts a user list of 30 per page.
func NewUsersRequest(c *Client) *UsersRequest {
	return &UsersRequest{c: c, q: chat.UserQuery{Page: chat.Page{PerPage: 30}}}
}

// Search matches uids and names by prefix.
func (r *UsersRequest) Search(key string) *UsersRequest { r.q.SearchKey = key; return r }

// Roles keeps users with these roles.
func (r *UsersRequest) Roles(roles ...string) *UsersRequest { r.q.Roles = roles; return r }

// Status keeps "online" or "offline" users.
func (r *UsersRequest) Status(s string) *UsersRequest { r.q.Status = s; return r }

// Tags keeps users with these tags.
func (r *UsersRequest) Tags(tags ...string) *UsersRequest { r.q.Tags = tags; return r }

// Limit sets the page size.
func (r *UsersRequest) Limit(n int) *UsersRequest { r.q.PerPage = n; return r }

// FetchNext returns the next page; empty once the list is exhausted.
func (r *UsersRequest) FetchNext(ctx context.Context) ([]chat.User, error) {
	if r.done {
		return nil, nil
	}
	q := r.q
	q.Page.Page = r.q.Page.Page + 1
	us, err := r.c.ListUsers(ctx, q)
	if err != nil {
		return nil, err
	}
	r.q.Page.Page = q.Page.Page
	if len(us) < q.PerPage {
		r.done = true
	}
	return us, nil
}
