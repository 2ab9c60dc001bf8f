package server

import (
	"slices"

	"cometterm/chat"
)

// userBody is the body of create and update user. Pointers tell "absent"
// from "empty" for updates.
type userBody struct {
	UID           string         `json:"uid"`
	Name          *string        `json:"name"`
	Avatar        *string        `json:"avatar"`
	Link          *string        `json:"link"`
	Role          *string        `json:"role"`
	StatusMessage *string        `json:"statusMessage"`
	Metadata      map[string]any `json:"metadata"`
	Tags          *[]string      `json:"tags"`
	Unset         []string       `json:"unset"`
	WithAuthToken bool           `json:"withAuthToken"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// validate checks every field present; create additionally needs a name.
func (b *userBody) validate(create bool) error {
	if err := chat.ValidateName("name", str(b.Name), create || b.Name != nil); err != nil {
		return err
	}
	if err := chat.ValidateURL("avatar", str(b.Avatar)); err != nil {
		return err
	}
	if err := chat.ValidateURL("link", str(b.Link)); err != nil {
		return err
	}
	if b.Role != nil {
		role, err := chat.NormalizeID("role", *b.Role)
		if err != nil {
			return err
		}
		b.Role = &role
	}
	if err := validateStatusMessage(str(b.StatusMessage)); err != nil {
		return err
	}
	if err := chat.ValidateMetadata("metadata", b.Metadata); err != nil {
		return err
	}
	if b.Tags != nil {
		if err := chat.ValidateTags(*b.Tags); err != nil {
			return err
		}
	}
	for _, u := range b.Unset {
		if !slices.Contains([]string{"avatar", "link", "metadata"}, u) {
			return chat.FieldError("unset", "Only avatar, link and metadata can be unset.")
		}
	}
	return nil
}

func (s *Server) createUser(c *call) (reply, error) {
	var b userBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uid, err := chat.NormalizeID("uid", b.UID)
	if err != nil {
		return reply{}, err
	}
	if err := b.validate(true); err != nil {
		return reply{}, err
	}
	role := chat.DefaultRole
	if b.Role != nil {
		role = *b.Role
	}
	u := chat.User{
		UID: uid, Name: *b.Name, Avatar: str(b.Avatar), Link: str(b.Link), Role: role,
		StatusMessage: str(b.StatusMessage), Metadata: b.Metadata, Status: chat.StatusOffline,
		CreatedAt: c.at(),
	}
	if b.Tags != nil {
		u.Tags = *b.Tags
	}
	created, err := s.store.CreateUser(c.ctx, u)
	if err != nil {
		return reply{}, err
	}
	if b.WithAuthToken {
		t, err := s.newAuthToken(c, uid, authTokenBody{})
		if err != nil {
			return reply{}, err
		}
		created.AuthToken = t.Token
	}
	return ok(s.withStatus(created)), nil
}

func (s *Server) listUsers(c *call) (reply, error) {
	q := chat.UserQuery{
		Page:            c.q.page(),
		SearchKey:       c.q.get("searchKey"),
		SearchIn:        c.q.list("searchIn"),
		Roles:           append(c.q.list("role"), c.q.list("roles")...),
		Tags:            c.q.list("tags"),
		WithTags:        c.q.bool("withTags"),
		OnlyDeactivated: c.q.bool("onlyDeactivated"),
		WithDeactivated: c.q.bool("withDeactivated"),
		UIDs:            c.q.list("uids"),
		Asker:           c.who.uid,
	}
	status := c.q.get("status")
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	wantOnline, filter, err := presenceWanted(status)
	if err != nil {
		return reply{}, err
	}
	fetch := func(p chat.Page) ([]chat.User, int, error) {
		uq := q
		uq.Page = p
		us, total, err := s.store.ListUsers(c.ctx, uq)
		return s.withStatuses(us), total, err
	}
	us, total, err := pagePresence(fetch, chat.User.Online, filter, wantOnline, q.Page)
	if err != nil {
		return reply{}, err
	}
	return reply{data: nonNil(us), meta: pageMeta(q.Page, total, len(us))}, nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (s *Server) getUser(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	u, err := s.store.User(c.ctx, uid, c.who.admin())
	if err != nil {
		return reply{}, err
	}
	if c.who.uid != "" && c.who.uid != uid {
		u.ConversationID = chat.UserConversationID(c.who.uid, uid)
	}
	return ok(s.withStatus(u)), nil
}

func (s *Server) updateUser(c *call) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	var b userBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if err := b.validate(false); err != nil {
		return reply{}, err
	}
	return s.applyUserPatch(c, uid, b)
}

func (s *Server) applyUserPatch(c *call, uid string, b userBody) (reply, error) {
	p := chat.UserPatch{
		Name: b.Name, Avatar: b.Avatar, Link: b.Link, Role: b.Role,
		StatusMessage: b.StatusMessage, Metadata: b.Metadata, Unset: b.Unset,
	}
	if b.Tags != nil {
		p.Tags, p.SetTags = *b.Tags, true
	}
	u, err := s.store.UpdateUser(c.ctx, uid, p, c.at())
	if err != nil {
		return reply{}, err
	}
	return ok(s.withStatus(u)), nil
}

func (s *Server) deleteUser(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	// The store keeps no soft-deleted users, so "permanent" changes
	// nothing; the body is still read so that a malformed one is reported.
	var b struct {
		Permanent bool `json:"permanent"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if err := s.store.DeleteUser(c.ctx, uid); err != nil {
		return reply{}, err
	}
	s.pub.CloseUser(uid, "User deleted")
	return success("User " + uid + " deleted."), nil
}

// maxBatchUIDs bounds deactivate/reactivate/block/friend batches.
const maxBatchUIDs = 100

func (s *Server) deactivateUsers(c *call) (reply, error) {
	var b struct {
		UIDs []string `json:"uidsToDeactivate"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uids, err := normalizeIDs("uidsToDeactivate", b.UIDs, maxBatchUIDs)
	if err != nil {
		return reply{}, err
	}
	changed, err := s.store.SetDeactivated(c.ctx, uids, true, c.at())
	if err != nil {
		return reply{}, err
	}
	for _, uid := range changed {
		s.pub.CloseUser(uid, "User deactivated")
	}
	return ok(map[string][]string{"deactivatedUids": nonNil(changed)}), nil
}

func (s *Server) reactivateUsers(c *call) (reply, error) {
	var b struct {
		UIDs []string `json:"uidsToActivate"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uids, err := normalizeIDs("uidsToActivate", b.UIDs, maxBatchUIDs)
	if err != nil {
		return reply{}, err
	}
	changed, err := s.store.SetDeactivated(c.ctx, uids, false, c.at())
	if err != nil {
		return reply{}, err
	}
	// CometChat names the reactivated users "nonDeactivatedUids".
	return ok(map[string][]string{"nonDeactivatedUids": nonNil(changed)}), nil
}
