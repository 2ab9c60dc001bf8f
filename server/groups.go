package server

import (
	"slices"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"cometterm/chat"
)

// groupBody is the body of create and update group.
type groupBody struct {
	GUID        string         `json:"guid"`
	Name        *string        `json:"name"`
	Type        *string        `json:"type"`
	Password    *string        `json:"password"`
	Icon        *string        `json:"icon"`
	Description *string        `json:"description"`
	Metadata    map[string]any `json:"metadata"`
	Owner       *string        `json:"owner"`
	Tags        *[]string      `json:"tags"`
	Unset       []string       `json:"unset"`
	Members     *memberLists   `json:"members"`
}

// validate checks the fields present and returns the parsed type (""
// when absent).
func (b *groupBody) validate(create bool) (chat.GroupType, error) {
	if err := chat.ValidateName("name", str(b.Name), create || b.Name != nil); err != nil {
		return "", err
	}
	var typ chat.GroupType
	if b.Type != nil || create {
		t, ok := chat.ParseGroupType(str(b.Type))
		if !ok {
			return "", chat.FieldError("type", "The type must be public, password or private.")
		}
		typ = t
	}
	if b.Password != nil && utf8.RuneCountInString(*b.Password) > chat.MaxPasswordLen {
		return "", chat.FieldError("password", "The password may not be greater than %d characters.", chat.MaxPasswordLen)
	}
	if err := chat.ValidateURL("icon", str(b.Icon)); err != nil {
		return "", err
	}
	if err := chat.ValidateDescription(str(b.Description)); err != nil {
		return "", err
	}
	if err := chat.ValidateMetadata("metadata", b.Metadata); err != nil {
		return "", err
	}
	if b.Tags != nil {
		if err := chat.ValidateTags(*b.Tags); err != nil {
			return "", err
		}
	}
	for _, u := range b.Unset {
		if !slices.Contains([]string{"icon", "description", "metadata"}, u) {
			return "", chat.FieldError("unset", "Only icon, description and metadata can be unset.")
		}
	}
	return typ, nil
}

func (s *Server) hashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.opts.BcryptCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// createdGroup is a new group plus the outcome of its initial members.
type createdGroup struct {
	chat.Group
	Members map[string]map[string]perUID `json:"members,omitempty"`
}

func (s *Server) createGroup(c *call) (reply, error) {
	var b groupBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	guid, err := chat.NormalizeID("guid", b.GUID)
	if err != nil {
		return reply{}, err
	}
	typ, err := b.validate(true)
	if err != nil {
		return reply{}, err
	}
	if typ == chat.GroupPassword && str(b.Password) == "" {
		return reply{}, chat.FieldError("password", "A password group needs a password.")
	}
	owner := c.who.uid
	if owner == "" {
		if owner, err = chat.NormalizeID("owner", str(b.Owner)); err != nil {
			return reply{}, err
		}
	}
	if _, err := s.store.User(c.ctx, owner, false); err != nil {
		return reply{}, err
	}
	var plan memberPlan
	if b.Members != nil {
		if plan, err = b.Members.plan(); err != nil {
			return reply{}, err
		}
		// Unknown users fail the create before anything is stored.
		for _, uid := range plan.all() {
			if _, err := s.store.User(c.ctx, uid, false); err != nil {
				return reply{}, err
			}
		}
	}
	hash := ""
	if typ == chat.GroupPassword {
		if hash, err = s.hashPassword(*b.Password); err != nil {
			return reply{}, err
		}
	}
	g := chat.Group{
		GUID: guid, Name: *b.Name, Type: typ, Icon: str(b.Icon), Description: str(b.Description),
		Owner: owner, Metadata: b.Metadata, CreatedAt: c.at(),
	}
	if b.Tags != nil {
		g.Tags = *b.Tags
	}
	if _, err := s.store.CreateGroup(c.ctx, g, hash); err != nil {
		return reply{}, err
	}
	out := createdGroup{}
	if b.Members != nil {
		ownerActor := chat.Actor{UID: owner, Scope: chat.ScopeAdmin, IsOwner: true}
		out.Members = s.applyMembers(c, guid, owner, ownerActor, plan)
	}
	asker := c.who.uid
	if asker == "" {
		asker = owner
	}
	if out.Group, err = s.store.Group(c.ctx, guid, asker); err != nil {
		return reply{}, err
	}
	return ok(out), nil
}

func (s *Server) listGroups(c *call) (reply, error) {
	q := chat.GroupQuery{
		Page:      c.q.page(),
		SearchKey: c.q.get("searchKey"),
		Tags:      c.q.list("tags"),
		WithTags:  c.q.bool("withTags"),
		Asker:     c.who.uid,
		HasJoined: c.q.bool("hasJoined"),
		SortBy:    c.q.get("sortBy"),
		SortOrder: c.q.get("sortOrder"),
	}
	for _, t := range c.q.list("types", "type") {
		gt, ok := chat.ParseGroupType(t)
		if !ok {
			return reply{}, chat.FieldError("types", "The type %q is not public, password or private.", t)
		}
		q.Types = append(q.Types, gt)
	}
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if q.HasJoined && q.Asker == "" {
		return reply{}, chat.FieldError("hasJoined", "hasJoined needs the onBehalfOf header.")
	}
	if q.SortBy != "" && !slices.Contains([]string{"name", "guid", "createdAt"}, q.SortBy) {
		return reply{}, chat.FieldError("sortBy", "The sortBy must be name, guid or createdAt.")
	}
	if q.SortOrder != "" && q.SortOrder != "asc" && q.SortOrder != "desc" {
		return reply{}, chat.FieldError("sortOrder", "The sortOrder must be asc or desc.")
	}
	gs, total, err := s.store.ListGroups(c.ctx, q)
	if err != nil {
		return reply{}, err
	}
	return reply{data: nonNil(gs), meta: pageMeta(q.Page, total, len(gs))}, nil
}

func (s *Server) getGroup(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	g, err := s.store.Group(c.ctx, guid, c.who.uid)
	if err != nil {
		return reply{}, err
	}
	return ok(g), nil
}

// groupActor is the caller as a member of guid, with the group. The REST
// key without onBehalfOf acts as the system, which ranks as the owner.
func (s *Server) groupActor(c *call, guid string) (chat.Actor, chat.Group, error) {
	g, err := s.store.Group(c.ctx, guid, c.who.uid)
	if err != nil {
		return chat.Actor{}, chat.Group{}, err
	}
	if c.who.uid == "" {
		return chat.Actor{UID: chat.SystemSender, Scope: chat.ScopeAdmin, IsOwner: true}, g, nil
	}
	m, err := s.store.Member(c.ctx, guid, c.who.uid)
	if err != nil {
		return chat.Actor{}, chat.Group{}, err
	}
	return chat.Actor{UID: c.who.uid, Scope: m.Scope, IsOwner: g.Owner == c.who.uid}, g, nil
}

func (s *Server) updateGroup(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	var b groupBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	typ, err := b.validate(false)
	if err != nil {
		return reply{}, err
	}
	a, g, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if err := chat.Authorize(a, chat.ActUpdateGroup, nil, ""); err != nil {
		return reply{}, err
	}
	p := chat.GroupPatch{Name: b.Name, Icon: b.Icon, Description: b.Description, Metadata: b.Metadata, Unset: b.Unset}
	if b.Tags != nil {
		p.Tags, p.SetTags = *b.Tags, true
	}
	if typ != "" {
		p.Type = &typ
	}
	newType := g.Type
	if typ != "" {
		newType = typ
	}
	switch {
	case newType == chat.GroupPassword && str(b.Password) != "":
		h, err := s.hashPassword(*b.Password)
		if err != nil {
			return reply{}, err
		}
		p.PasswordHash = &h
	case newType == chat.GroupPassword && g.Type != chat.GroupPassword:
		return reply{}, chat.FieldError("password", "A password group needs a password.")
	case newType != chat.GroupPassword && g.Type == chat.GroupPassword:
		empty := ""
		p.PasswordHash = &empty
	}
	// Ownership moves by transfer; PUT may set it only for the system, as
	// CometChat ignores owner when acting on behalf of a user.
	if b.Owner != nil && c.who.uid == "" {
		owner, err := chat.NormalizeID("owner", *b.Owner)
		if err != nil {
			return reply{}, err
		}
		if _, err := s.store.Member(c.ctx, guid, owner); err != nil {
			return reply{}, err
		}
		p.Owner = &owner
	}
	out, err := s.store.UpdateGroup(c.ctx, guid, p, c.who.sender(), c.at())
	if err != nil {
		return reply{}, err
	}
	return ok(out), nil
}

func (s *Server) deleteGroup(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	a, _, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	if err := chat.Authorize(a, chat.ActDeleteGroup, nil, ""); err != nil {
		return reply{}, err
	}
	if err := s.store.DeleteGroup(c.ctx, guid); err != nil {
		return reply{}, err
	}
	return success("Group " + guid + " deleted."), nil
}

func (s *Server) transferOwner(c *call) (reply, error) {
	guid, err := c.id("guid")
	if err != nil {
		return reply{}, err
	}
	var b struct {
		UID string `json:"uid"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uid, err := chat.NormalizeID("uid", b.UID)
	if err != nil {
		return reply{}, err
	}
	a, g, err := s.groupActor(c, guid)
	if err != nil {
		return reply{}, err
	}
	t, err := s.memberTarget(c, g, uid)
	if err != nil {
		return reply{}, err
	}
	if err := chat.Authorize(a, chat.ActTransferOwner, t, ""); err != nil {
		return reply{}, err
	}
	out, err := s.store.TransferOwner(c.ctx, guid, uid, c.who.sender(), c.at())
	if err != nil {
		return reply{}, err
	}
	return ok(out), nil
}
