package server

import (
	"cometterm/chat"
)

// batchResult turns the store's per-uid outcome into CometChat's
// {uid: {success, message}} map, keeping the request's uids.
func (s *Server) batchResult(uids []string, errs map[string]error, okMsg string) map[string]perUID {
	out := make(map[string]perUID, len(uids))
	for _, uid := range uids {
		out[uid] = s.perUIDResult(errs[uid], okMsg, nil)
	}
	return out
}

// otherUIDs validates a batch of uids that must not include uid itself.
func otherUIDs(field string, raw []string, uid string) ([]string, error) {
	uids, err := normalizeIDs(field, raw, maxBatchUIDs)
	if err != nil {
		return nil, err
	}
	for _, u := range uids {
		if u == uid {
			return nil, chat.FieldError(field, "You cannot name yourself in %s.", field)
		}
	}
	return uids, nil
}

func (s *Server) blockUsers(c *call) (reply, error) { return s.changeBlocks(c, true) }

func (s *Server) unblockUsers(c *call) (reply, error) { return s.changeBlocks(c, false) }

func (s *Server) changeBlocks(c *call, block bool) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	var b struct {
		BlockedUIDs []string `json:"blockedUids"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uids, err := otherUIDs("blockedUids", b.BlockedUIDs, uid)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, false); err != nil {
		return reply{}, err
	}
	var errs map[string]error
	msg := "Blocked."
	if block {
		errs, err = s.store.Block(c.ctx, uid, uids, c.at())
	} else {
		errs, err = s.store.Unblock(c.ctx, uid, uids)
		msg = "Unblocked."
	}
	if err != nil {
		return reply{}, err
	}
	return ok(s.batchResult(uids, errs, msg)), nil
}

func (s *Server) listBlocked(c *call) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	p := c.q.page()
	dir := chat.BlockDirection(c.q.get("direction"))
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	switch dir {
	case "":
		dir = chat.BlockedByMe
	case chat.BlockedByMe, chat.BlockedHasMe, chat.BlockedBoth:
	default:
		return reply{}, chat.FieldError("direction", "The direction must be both, blockedByMe or hasBlockedMe.")
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	us, total, err := s.store.ListBlocked(c.ctx, uid, dir, p)
	if err != nil {
		return reply{}, err
	}
	return reply{data: s.withStatuses(nonNil(us)), meta: pageMeta(p, total, len(us))}, nil
}

func (s *Server) addFriends(c *call) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	var b struct {
		Accepted []string `json:"accepted"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uids, err := otherUIDs("accepted", b.Accepted, uid)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, false); err != nil {
		return reply{}, err
	}
	errs, err := s.store.AddFriends(c.ctx, uid, uids, c.at())
	if err != nil {
		return reply{}, err
	}
	return ok(map[string]map[string]perUID{"accepted": s.batchResult(uids, errs, "Friend added.")}), nil
}

func (s *Server) removeFriends(c *call) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	var b struct {
		Friends []string `json:"friends"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	uids, err := otherUIDs("friends", b.Friends, uid)
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, false); err != nil {
		return reply{}, err
	}
	errs, err := s.store.RemoveFriends(c.ctx, uid, uids)
	if err != nil {
		return reply{}, err
	}
	return ok(map[string]map[string]perUID{"friends": s.batchResult(uids, errs, "Friend removed.")}), nil
}

func (s *Server) listFriends(c *call) (reply, error) {
	uid, err := c.self()
	if err != nil {
		return reply{}, err
	}
	q := chat.UserQuery{Page: c.q.page(), SearchKey: c.q.get("searchKey"), Asker: uid}
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	us, total, err := s.store.ListFriends(c.ctx, uid, q)
	if err != nil {
		return reply{}, err
	}
	return reply{data: s.withStatuses(nonNil(us)), meta: pageMeta(q.Page, total, len(us))}, nil
}
