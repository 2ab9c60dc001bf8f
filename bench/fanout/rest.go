package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// rest calls the server's REST APIs.
type rest struct {
	base  string
	appID string
	http  *http.Client
}

func newREST(base, appID string, conns int) *rest {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &rest{base: base, appID: appID, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// call sends body as JSON and decodes the response's data into out.
func (r *rest) call(ctx context.Context, method, path string, headers map[string]string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("appId", r.appID)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out == nil {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("%s %s: decode data: %w", method, path, err)
	}
	return nil
}

// createUser creates uid and returns an auth token for it.
func (r *rest) createUser(ctx context.Context, restKey, uid string) (string, error) {
	var u struct {
		AuthToken string `json:"authToken"`
	}
	err := r.call(ctx, http.MethodPost, "/v3/users", map[string]string{"apikey": restKey},
		map[string]any{"uid": uid, "name": "Bench " + uid, "withAuthToken": true}, &u)
	if err != nil {
		return "", err
	}
	if u.AuthToken == "" {
		return "", fmt.Errorf("create %s: no authToken in the reply", uid)
	}
	return u.AuthToken, nil
}

// login is PUT /v3.0/me: the JWT for the socket.
func (r *rest) login(ctx context.Context, authToken, device string) (string, error) {
	var me struct {
		JWT string `json:"jwt"`
	}
	err := r.call(ctx, http.MethodPut, "/v3.0/me", map[string]string{"authToken": authToken, "resource": device},
		map[string]any{"platform": "bench", "deviceId": device}, &me)
	if err != nil {
		return "", err
	}
	if me.JWT == "" {
		return "", fmt.Errorf("login: no jwt in the reply")
	}
	return me.JWT, nil
}

func (r *rest) createGroup(ctx context.Context, restKey, guid, owner string) error {
	return r.call(ctx, http.MethodPost, "/v3/groups", map[string]string{"apikey": restKey},
		map[string]any{"guid": guid, "name": "Fan-out bench", "type": "public", "owner": owner}, nil)
}

func (r *rest) addMembers(ctx context.Context, restKey, guid string, uids []string) error {
	return r.call(ctx, http.MethodPost, "/v3/groups/"+guid+"/members", map[string]string{"apikey": restKey},
		map[string]any{"participants": uids}, nil)
}

// send posts a text message to a group as the owner of authToken, the
// way the SDK does.
func (r *rest) send(ctx context.Context, authToken, device, guid, text string) error {
	return r.call(ctx, http.MethodPost, "/v3.0/messages", map[string]string{"authToken": authToken, "resource": device},
		map[string]any{"receiver": guid, "receiverType": "group", "category": "message", "type": "text",
			"data": map[string]any{"text": text}}, nil)
}
