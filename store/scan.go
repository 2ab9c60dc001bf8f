package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"cometterm/chat"
)

// Page sizes, from CometChat's REST API.
const (
	defaultPerPage = 100
	maxPerPage     = 1000
)

// pageBounds validates a page request and returns LIMIT and OFFSET.
func pageBounds(p chat.Page) (limit, offset int, err error) {
	if p.PerPage < 0 || p.PerPage > maxPerPage {
		return 0, 0, chat.FieldError("perPage", "perPage must be between 1 and %d.", maxPerPage)
	}
	if p.Page < 0 {
		return 0, 0, chat.FieldError("page", "page must be 1 or more.")
	}
	limit = p.PerPage
	if limit == 0 {
		limit = defaultPerPage
	}
	page := max(p.Page, 1)
	return limit, (page - 1) * limit, nil
}

// jsonText encodes v for a TEXT column; nil maps and slices become "".
func jsonText(v any) (string, error) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return "", nil
		}
	case []string:
		if x == nil {
			return "[]", nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json column: %w", err)
	}
	return string(b), nil
}

// tagsText encodes a tag list; it never fails.
func tagsText(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

func decodeMap(s string) (map[string]any, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("decode json column: %w", err)
	}
	return m, nil
}

func decodeTags(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var t []string
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, fmt.Errorf("decode tags column: %w", err)
	}
	return t, nil
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// anys turns a slice of strings (or string-like values) into query args.
func anys[T ~string](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// likePrefix escapes s for a LIKE pattern that matches values starting
// with s (escape character '\').
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// where collects SQL conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// notFound maps sql.ErrNoRows to a CometChat error and wraps the rest.
func notFound(err error, nf *chat.Error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nf
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

func errUID(uid string) *chat.Error {
	return chat.Errorf(chat.ErrUIDNotFound, "The user with uid %s does not exist.", uid)
}

func errGUID(guid string) *chat.Error {
	return chat.Errorf(chat.ErrGUIDNotFound, "The group with guid %s does not exist.", guid)
}

func errMessageID(id chat.ID) *chat.Error {
	return chat.Errorf(chat.ErrMessageIDNotFound, "The message with id %d does not exist.", id)
}

func errNotMember(guid, uid string) *chat.Error {
	return chat.Errorf(chat.ErrNotAMember, "The user %s is not a member of the group %s.", uid, guid)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
