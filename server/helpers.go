package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// pageMeta is the page-based pagination block of list responses.
func pageMeta(p chat.Page, total, count int) *wire.Meta {
	pages := 0
	if p.PerPage > 0 {
		pages = (total + p.PerPage - 1) / p.PerPage
	}
	return &wire.Meta{Pagination: &wire.Pagination{
		Total: total, Count: count, PerPage: p.PerPage, CurrentPage: p.Page, TotalPages: pages,
	}}
}

// withStatus fills live presence, which only the hub knows.
func (s *Server) withStatus(u chat.User) chat.User {
	if s.pub.Online(u.UID) {
		u.Status = chat.StatusOnline
	} else {
		u.Status = chat.StatusOffline
	}
	return u
}

func (s *Server) withStatuses(us []chat.User) []chat.User {
	for i := range us {
		us[i] = s.withStatus(us[i])
	}
	return us
}

// self resolves the {uid} of a per-user route: the REST key may name
// anyone; a user may only name themself.
func (c *call) self() (string, error) {
	if c.r.PathValue("uid") == "" {
		return c.who.uid, nil
	}
	uid, err := c.id("uid")
	if err != nil {
		return "", err
	}
	if !c.who.admin() && uid != c.who.uid {
		return "", chat.Errorf(chat.ErrNoAccess, "You may only do this for yourself.")
	}
	return uid, nil
}

// normalizeIDs validates a list of uids, dropping repeats, at most max.
func normalizeIDs(field string, ids []string, max int) ([]string, error) {
	if len(ids) == 0 {
		return nil, chat.FieldError(field, "The %s field needs at least one uid.", field)
	}
	if len(ids) > max {
		return nil, chat.FieldError(field, "At most %d uids are allowed in %s.", max, field)
	}
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		n, err := chat.NormalizeID(field, id)
		if err != nil {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// maxStatusMessage bounds a user's status message; CometChat publishes no
// limit, so it shares the description limit.
const maxStatusMessage = chat.MaxDescriptionLen

func validateStatusMessage(s string) error {
	if utf8.RuneCountInString(s) > maxStatusMessage {
		return chat.FieldError("statusMessage", "The statusMessage may not be greater than %d characters.", maxStatusMessage)
	}
	return nil
}

// randomHex returns n random bytes as hex.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// perUID is the per-uid outcome of a batch call (members, blocks,
// friends): CometChat reports each uid on its own and never fails the
// whole call for one of them.
type perUID struct {
	Success bool        `json:"success"`
	Message string      `json:"message,omitempty"`
	Data    any         `json:"data,omitempty"`
	Error   *chat.Error `json:"error,omitempty"`
}

func (s *Server) perUIDResult(err error, okMsg string, data any) perUID {
	if err == nil {
		return perUID{Success: true, Message: okMsg, Data: data}
	}
	var ce *chat.Error
	if !errors.As(err, &ce) {
		s.log.Error("batch item failed", "err", err)
		ce = &chat.Error{Code: chat.ErrInternal, Message: "Something went wrong on the server."}
	}
	return perUID{Success: false, Message: ce.Message, Error: ce}
}
