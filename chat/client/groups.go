package client

import (
	"context"
	"fmt"

	"cometterm/chat"
)

// NewGroup describes a group to create. Members are added with their
// scope; the creator becomes its owner and an admin.
type NewGroup struct {
	GUID        string
	Name        string
	Type        chat.GroupType
	Password    string
	Description string
	Icon        string
	Metadata    map[string]any
	Tags        []string
	Members     map[string]chat.Scope
}

// GroupUpdate changes a group; nil fields stay as they are.
type GroupUpdate struct {
	Name, Description, Icon *string
	Type                    *chat.GroupType
	Password                *string
}

// ListGroups lists groups visible to the logged-in user.
func (c *Client) ListGroups(ctx context.Context, q chat.GroupQuery) ([]chat.Group, error) {
	v := pageQuery(q.Page)
	setStr(v, "searchKey", q.SearchKey)
	types := make([]string, len(q.Types))
	for i, t := range q.Types {
		types[i] = string(t)
	}
	setCSV(v, "types", types)
	setCSV(v, "tags", q.Tags)
	setBool(v, "withTags", q.WithTags)
	setBool(v, "hasJoined", q.HasJoined)
	setStr(v, "sortBy", q.SortBy)
	setStr(v, "sortOrder", q.SortOrder)
	var out []chat.Group
	_, err := c.rest.do(ctx, request{method: "GET", path: "/groups", query: v}, &out)
	return out, err
}

// Group fetches one group as the logged-in user sees it.
func (c *Client) Group(ctx context.Context, guid string) (chat.Group, error) {
	var g chat.Group
	_, err := c.rest.do(ctx, request{method: "GET", path: "/groups/" + seg(guid)}, &g)
	return g, err
}

// scopeLists splits members into the REST body's admins/moderators/
// participants lists.
func scopeLists(members map[string]chat.Scope) (map[string][]string, error) {
	out := map[string][]string{}
	for uid, s := range members {
		switch s {
		case chat.ScopeAdmin:
			out["admins"] = append(out["admins"], uid)
		case chat.ScopeModerator:
			out["moderators"] = append(out["moderators"], uid)
		case chat.ScopeParticipant, "":
			out["participants"] = append(out["participants"], uid)
		default:
			return nil, chat.FieldError("scope", "Unknown scope %q for %s.", s, uid)
		}
	}
	return out, nil
}

// CreateGroup creates a group owned by the logged-in user.
func (c *Client) CreateGroup(ctx context.Context, g NewGroup) (chat.Group, error) {
	body := map[string]any{"guid": g.GUID, "name": g.Name, "type": g.Type}
	if g.Password != "" {
		body["password"] = g.Password
	}
	if g.Description != "" {
		body["description"] = g.Description
	}
	if g.Icon != "" {
		body["icon"] = g.Icon
	}
	if g.Metadata != nil {
		body["metadata"] = g.Metadata
	}
	if g.Tags != nil {
		body["tags"] = g.Tags
	}
	if len(g.Members) > 0 {
		lists, err := scopeLists(g.Members)
		if err != nil {
			return chat.Group{}, err
		}
		body["members"] = lists
	}
	var out chat.Group
	_, err := c.rest.do(ctx, request{method: "POST", path: "/groups", body: body}, &out)
	return out, err
}

// JoinGroup joins a public group, or a password group with its password.
// The body is the group, as the SDK sends it; the answer is the "joined"
// action message, whose entities.for is the group.
func (c *Client) JoinGroup(ctx context.Context, guid, password string) (chat.Group, error) {
	body := map[string]any{"guid": guid}
	if password != "" {
		body["type"] = chat.GroupPassword
		body["password"] = password
	}
	var action chat.Message
	_, err := c.rest.do(ctx, request{method: "POST", path: "/groups/" + seg(guid) + "/members", body: body}, &action)
	if err != nil {
		return chat.Group{}, err
	}
	c.track.fetched(action)
	if f := action.Data.Entities.For; f != nil && f.Group != nil {
		return *f.Group, nil
	}
	return chat.Group{}, &chat.Error{Code: chat.ErrInternal, Message: "join answer names no group"}
}

// LeaveGroup leaves a group.
func (c *Client) LeaveGroup(ctx context.Context, guid string) error {
	_, err := c.rest.do(ctx, request{method: "DELETE", path: "/groups/" + seg(guid) + "/members"}, nil)
	return err
}

// UpdateGroup changes a group's name, description, icon, type or password.
func (c *Client) UpdateGroup(ctx context.Context, guid string, u GroupUpdate) (chat.Group, error) {
	body := map[string]any{}
	if u.Name != nil {
		body["name"] = *u.Name
	}
	if u.Description != nil {
		body["description"] = *u.Description
	}
	if u.Icon != nil {
		body["icon"] = *u.Icon
	}
	if u.Type != nil {
		body["type"] = *u.Type
	}
	if u.Password != nil {
		body["password"] = *u.Password
	}
	var out chat.Group
	_, err := c.rest.do(ctx, request{method: "PUT", path: "/groups/" + seg(guid), body: body}, &out)
	return out, err
}

// DeleteGroup deletes a group (admins only).
func (c *Client) DeleteGroup(ctx context.Context, guid string) error {
	_, err := c.rest.do(ctx, request{method: "DELETE", path: "/groups/" + seg(guid)}, nil)
	return err
}

// TransferOwner hands the group to another member (owner only).
func (c *Client) TransferOwner(ctx context.Context, guid, uid string) error {
	_, err := c.rest.do(ctx, request{method: "PATCH", path: "/groups/" + seg(guid) + "/owner",
		body: map[string]any{"uid": uid}}, nil)
	return err
}

// ListMembers lists a group's members.
func (c *Client) ListMembers(ctx context.Context, guid string, q chat.MemberQuery) ([]chat.GroupMember, error) {
	v := pageQuery(q.Page)
	scopes := make([]string, len(q.Scopes))
	for i, s := range q.Scopes {
		scopes[i] = string(s)
	}
	setCSV(v, "scopes", scopes)
	setStr(v, "status", q.Status)
	setStr(v, "searchKey", q.SearchKey)
	var out []chat.GroupMember
	_, err := c.rest.do(ctx, request{method: "GET", path: "/groups/" + seg(guid) + "/members", query: v}, &out)
	return out, err
}

// AddMembers adds users with scopes. The call succeeds as a whole while
// single users may fail: the map has an entry per uid, nil on success.
func (c *Client) AddMembers(ctx context.Context, guid string, members map[string]chat.Scope) (map[string]error, error) {
	if len(members) == 0 {
		return nil, chat.FieldError("members", "At least one member is required.")
	}
	lists, err := scopeLists(members)
	if err != nil {
		return nil, err
	}
	var out map[string]map[string]result
	if _, err := c.rest.do(ctx, request{method: "POST", path: "/groups/" + seg(guid) + "/members", body: lists}, &out); err != nil {
		return nil, err
	}
	res := make(map[string]error, len(members))
	for _, byUID := range out {
		for uid, r := range byUID {
			res[uid] = r.err()
		}
	}
	for uid := range members {
		if _, ok := res[uid]; !ok {
			res[uid] = &chat.Error{Code: chat.ErrInternal, Message: fmt.Sprintf("no outcome reported for %s", uid)}
		}
	}
	return res, nil
}

// ChangeScope sets a member's scope.
func (c *Client) ChangeScope(ctx context.Context, guid, uid string, scope chat.Scope) error {
	_, err := c.rest.do(ctx, request{method: "PUT", path: "/groups/" + seg(guid) + "/members/" + seg(uid),
		body: map[string]any{"scope": scope}}, nil)
	return err
}

// Kick removes a member; they may join again.
func (c *Client) Kick(ctx context.Context, guid, uid string) error {
	_, err := c.rest.do(ctx, request{method: "DELETE", path: "/groups/" + seg(guid) + "/members/" + seg(uid)}, nil)
	return err
}

// Ban removes a member and keeps them out.
func (c *Client) Ban(ctx context.Context, guid, uid string) error {
	_, err := c.rest.do(ctx, request{method: "POST", path: "/groups/" + seg(guid) + "/bannedusers/" + seg(uid)}, nil)
	return err
}

// Unban lets a banned user join again.
func (c *Client) Unban(ctx context.Context, guid, uid string) error {
	_, err := c.rest.do(ctx, request{method: "DELETE", path: "/groups/" + seg(guid) + "/bannedusers/" + seg(uid)}, nil)
	return err
}

// ListBanned lists a group's banned users.
func (c *Client) ListBanned(ctx context.Context, guid string, p chat.Page) ([]chat.User, error) {
	var out []chat.User
	_, err := c.rest.do(ctx, request{method: "GET", path: "/groups/" + seg(guid) + "/bannedusers", query: pageQuery(p)}, &out)
	return out, err
}
