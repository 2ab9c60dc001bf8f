package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"cometterm/chat"
)

// decodeBody reads a JSON object body of at most max bytes into dst. An
// empty body leaves dst as it is: the SDK sends bodiless DELETEs with a
// JSON content type.
func decodeBody(w http.ResponseWriter, r *http.Request, max int64, dst any) error {
	body := http.MaxBytesReader(w, r.Body, max)
	b, err := io.ReadAll(body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return chat.FieldError("body", "The request body may not be greater than %d bytes.", max)
		}
		return chat.FieldError("body", "The request body could not be read.")
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return chat.FieldError("body", "The request body is not valid JSON for this call: %s.", jsonProblem(err))
	}
	return nil
}

// jsonProblem names what was wrong without echoing Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return "field " + te.Field + " has the wrong type"
		}
		return "a value has the wrong type"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return "malformed"
}

// query reads query parameters, keeping the first error so a handler can
// read everything and check once.
type query struct {
	v   url.Values
	err error
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

// get returns the first non-empty value among names (aliases such as
// perPage/per_page).
func (q *query) get(names ...string) string {
	for _, n := range names {
		if s := q.v.Get(n); s != "" {
			return s
		}
	}
	return ""
}

func (q *query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// int reads an integer within [min, max]; absent means def.
func (q *query) int(def, min, max int, names ...string) int {
	s := q.get(names...)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		q.fail(chat.FieldError(names[0], "The %s must be a whole number from %d to %d.", names[0], min, max))
		return def
	}
	return n
}

// int64 reads a non-negative 64-bit integer (ids, timestamps).
func (q *query) int64(names ...string) int64 {
	s := q.get(names...)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		q.fail(chat.FieldError(names[0], "The %s must be a non-negative whole number.", names[0]))
		return 0
	}
	return n
}

// bool reads true/false/1/0; absent is false.
func (q *query) bool(names ...string) bool {
	s := q.get(names...)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.fail(chat.FieldError(names[0], "The %s must be true or false.", names[0]))
	}
	return b
}

// maxListItems bounds csv lists so a query string cannot make us build
// huge filters.
const maxListItems = 100

// list reads a csv list, also accepting repeated name and name[] keys.
func (q *query) list(names ...string) []string {
	var out []string
	for _, n := range names {
		for _, key := range []string{n, n + "[]"} {
			for _, raw := range q.v[key] {
				for _, part := range strings.Split(raw, ",") {
					if part = strings.TrimSpace(part); part != "" {
						out = append(out, part)
					}
				}
			}
		}
	}
	if len(out) > maxListItems {
		q.fail(chat.FieldError(names[0], "At most %d values are allowed in %s.", maxListItems, names[0]))
		return out[:maxListItems]
	}
	return out
}

// Page sizes: CometChat's REST default is 100, the SDK asks for 30.
const (
	defaultPerPage = 100
	maxPerPage     = 1000
)

func (q *query) page() chat.Page {
	return chat.Page{
		PerPage: q.int(defaultPerPage, 1, maxPerPage, "perPage", "per_page", "limit"),
		Page:    q.int(1, 1, 1<<30, "page"),
	}
}
