package client

import (
	"context"

	"cometterm/chat"
)

// ListUsers lists users with CometChat's filters (one page).
func (c *Client) ListUsers(ctx context.Context, q chat.UserQuery) ([]chat.User, error) {
	v := pageQuery(q.Page)
	setStr(v, "searchKey", q.SearchKey)
	setCSV(v, "searchIn", q.SearchIn)
	setStr(v, "status", q.Status)
	setCSV(v, "roles", q.Roles)
	setCSV(v, "tags", q.Tags)
	setBool(v, "withTags", q.WithTags)
	setBool(v, "onlyDeactivated", q.OnlyDeactivated)
	setBool(v, "withDeactivated", q.WithDeactivated)
	setCSV(v, "uids", q.UIDs)
	var out []chat.User
	_, err := c.rest.do(ctx, request{method: "GET", path: "/users", query: v}, &out)
	return out, err
}

// User fetches one user.
func (c *Client) User(ctx context.Context, uid string) (chat.User, error) {
	var u chat.User
	_, err := c.rest.do(ctx, request{method: "GET", path: "/users/" + seg(uid)}, &u)
	return u, err
}

// Block blocks uids for the logged-in user. Per-uid failures come back as
// one error naming them.
func (c *Client) Block(ctx context.Context, uids ...string) error {
	return c.blockCall(ctx, "POST", uids)
}

// Unblock lifts blocks on uids.
func (c *Client) Unblock(ctx context.Context, uids ...string) error {
	return c.blockCall(ctx, "DELETE", uids)
}

func (c *Client) blockCall(ctx context.Context, method string, uids []string) error {
	if len(uids) == 0 {
		return chat.FieldError("blockedUids", "At least one uid is required.")
	}
	var out map[string]result
	_, err := c.rest.do(ctx, request{method: method, path: "/users/" + seg(c.Me().UID) + "/blockedusers",
		body: map[string]any{"blockedUids": uids}}, &out)
	if err != nil {
		return err
	}
	return joinResults(out)
}

// BlockedUsers lists the users the logged-in user has blocked.
func (c *Client) BlockedUsers(ctx context.Context, p chat.Page) ([]chat.User, error) {
	v := pageQuery(p)
	v.Set("direction", string(chat.BlockedByMe))
	var out []chat.User
	_, err := c.rest.do(ctx, request{method: "GET", path: "/users/" + seg(c.Me().UID) + "/blockedusers", query: v}, &out)
	return out, err
}

// result is one entry of a per-uid outcome map.
type result struct {
	Success bool        `json:"success"`
	Message string      `json:"message,omitempty"`
	Error   *chat.Error `json:"error,omitempty"`
}

func (r result) err() error {
	if r.Success {
		return nil
	}
	if r.Error != nil {
		return r.Error
	}
	return &chat.Error{Code: chat.ErrBadRequest, Message: r.Message}
}

// joinResults reports the first per-uid failure with its uid, keeping its
// code for chat.HasCode.
func joinResults(m map[string]result) error {
	for uid, r := range m {
		if err := r.err(); err != nil {
			e := *err.(*chat.Error)
			e.Message = uid + ": " + e.Message
			return &e
		}
	}
	return nil
}
