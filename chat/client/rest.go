package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// maxBody bounds what we read from one response.
const maxBody = 16 << 20

// rest is the HTTP side: base URLs, credentials and the SDK's headers.
type rest struct {
	http      *http.Client
	clientAPI string
	adminAPI  string
	appID     string
	session   string
	token     func() string // current auth token
}

// request describes one call. Exactly one of authToken (user calls) or
// apiKey (admin calls) is sent.
type request struct {
	method string
	path   string // relative to the API base, with a leading slash
	query  url.Values
	body   any
	admin  bool
	apiKey string
	// idempotencyKey marks a request safe to repeat (a send with a muid):
	// net/http then retries it on a connection that went stale.
	idempotencyKey string
}

// do performs r and decodes data into out (nil to ignore it). It returns
// the envelope's meta.
func (c *rest) do(ctx context.Context, r request, out any) (*wire.Meta, error) {
	base := c.clientAPI
	if r.admin {
		base = c.adminAPI
	}
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", r.method, r.path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	h := req.Header
	h.Set("Accept", "application/json")
	h.Set("Content-Type", "application/json")
	h.Set("sdk", "cometterm-go@"+Version)
	h.Set("resource", c.session)
	if c.appID != "" {
		h.Set("appId", c.appID)
	}
	if r.idempotencyKey != "" {
		h.Set("Idempotency-Key", r.idempotencyKey)
	}
	if r.admin {
		h.Set("apiKey", r.apiKey)
	} else if tok := c.token(); tok != "" {
		h.Set("authToken", tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read response: %w", r.method, r.path, err)
	}
	return decodeResponse(r.method+" "+r.path, resp.StatusCode, raw, out)
}

// decodeResponse turns a response into data or a *chat.Error. CometChat
// always answers {"data":…} or {"error":…}; anything else (a proxy's HTML
// page, an empty body) is mapped from the status code.
func decodeResponse(what string, status int, raw []byte, out any) (*wire.Meta, error) {
	var probe struct {
		Data  json.RawMessage `json:"data"`
		Meta  *wire.Meta      `json:"meta"`
		Error *chat.Error     `json:"error"`
	}
	jsonErr := json.Unmarshal(raw, &probe)
	if jsonErr == nil && probe.Error != nil {
		if probe.Error.Code == "" {
			probe.Error.Code = codeForStatus(status)
		}
		return nil, probe.Error
	}
	if status < 200 || status > 299 || jsonErr != nil || len(probe.Data) == 0 {
		msg := fmt.Sprintf("%s: HTTP %d", what, status)
		if jsonErr != nil {
			msg += ": response is not JSON"
		} else if len(probe.Data) == 0 {
			msg += ": response has no data"
		}
		if status >= 200 && status <= 299 {
			status = http.StatusBadGateway // a 2xx without data is the server's fault
		}
		return nil, &chat.Error{Code: codeForStatus(status), Message: msg}
	}
	if out != nil {
		if err := json.Unmarshal(probe.Data, out); err != nil {
			return probe.Meta, fmt.Errorf("%s: decode data: %w", what, err)
		}
		fitSlice(out)
	}
	return probe.Meta, nil
}

// fitSlice gives a decoded list (out points to a slice) a backing array of
// its length. encoding/json grows a slice by doubling, and a list that is
// kept (a group's members, the user directory) would hold up to twice the
// room it needs for as long as it is kept.
func fitSlice(out any) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Slice {
		return
	}
	s := v.Elem()
	if s.Cap()-s.Len() <= s.Len()/8 {
		return
	}
	fit := reflect.MakeSlice(s.Type(), s.Len(), s.Len())
	reflect.Copy(fit, s)
	s.Set(fit)
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return chat.ErrBadRequest
	case http.StatusUnauthorized, http.StatusForbidden:
		return chat.ErrNoAccess
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return chat.ErrAPINotFound
	case http.StatusTooManyRequests:
		return chat.ErrTooManyRequests
	}
	return chat.ErrInternal
}

// isAuthFailure reports whether err means our credentials are no longer
// accepted, as opposed to a passing network or server problem.
func isAuthFailure(err error) bool {
	var e *chat.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case chat.ErrAuthTokenNotFound, chat.ErrAuthTokenNotFoundUser, chat.ErrNoAccess,
		chat.ErrAppIDMismatch, chat.ErrUIDNotFound, chat.ErrAPIKeyNotFound:
		return true
	}
	return false
}

// seg escapes one path segment (uids, guids, emoji reactions).
func seg(s string) string { return url.PathEscape(s) }

// csv joins a list for a query parameter; empty lists are left out.
func setCSV(q url.Values, key string, vals []string) {
	if len(vals) > 0 {
		q.Set(key, strings.Join(vals, ","))
	}
}

func setInt(q url.Values, key string, v int) {
	if v > 0 {
		q.Set(key, fmt.Sprint(v))
	}
}

func setBool(q url.Values, key string, v bool) {
	if v {
		q.Set(key, "true")
	}
}

func setStr(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

func pageQuery(p chat.Page) url.Values {
	q := url.Values{}
	setInt(q, "per_page", p.PerPage)
	setInt(q, "page", p.Page)
	return q
}
