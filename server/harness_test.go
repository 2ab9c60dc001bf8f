package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server"
	"cometterm/store"
)

const (
	testAppID   = "testapp"
	testAuthKey = "authkey-0123456789abcdef"
	testRESTKey = "restkey-0123456789abcdef"
)

// published is one PublishMessage call.
type published struct {
	Msg    chat.Message
	Device string
	AlsoTo []string
}

// recorder is the Publisher seam: it records what the server fans out.
type recorder struct {
	mu        sync.Mutex
	messages  []published
	reactions []chat.Reaction
	closed    []string
	online    map[string]bool
}

func newRecorder() *recorder { return &recorder{online: map[string]bool{}} }

func (r *recorder) PublishMessage(m chat.Message, origin string, alsoTo ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, published{Msg: m, Device: origin, AlsoTo: alsoTo})
}

func (r *recorder) PublishReaction(re chat.Reaction, m chat.Message, added bool, origin string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reactions = append(r.reactions, re)
}

func (r *recorder) Online(uid string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.online[uid]
}

func (r *recorder) CloseUser(uid, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = append(r.closed, uid+": "+reason)
}

func (r *recorder) CloseSession(uid, tokenHash, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = append(r.closed, uid+"/"+tokenHash[:8]+": "+reason)
}

func (r *recorder) setOnline(uid string, on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.online[uid] = on
}

func (r *recorder) sent() []published {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]published(nil), r.messages...)
}

func (r *recorder) closes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.closed...)
}

// env is a server on a real SQLite file behind real HTTP.
type env struct {
	t   testing.TB
	dir string
	db  *store.DB
	app chat.App
	pub *recorder
	srv *server.Server
	ts  *httptest.Server
	now time.Time
}

type envOption func(*server.Options)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	return openEnv(t, t.TempDir(), opts...)
}

func openEnv(t testing.TB, dir string, opts ...envOption) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "chat.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	e := &env{t: t, dir: dir, db: db, pub: newRecorder(), now: time.Unix(1_800_000_000, 0)}
	e.app, _, err = server.LoadOrCreateApp(context.Background(), db, testAppID, testAuthKey, testRESTKey, e.now)
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	o := server.Options{Now: func() time.Time { return e.now }, BcryptCost: 4}
	for _, f := range opts {
		f(&o)
	}
	e.srv = server.New(db, e.app, e.pub, o)
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.close)
	return e
}

func (e *env) close() {
	if e.ts != nil {
		e.ts.Close()
		e.ts = nil
	}
	if e.db != nil {
		e.db.Close()
		e.db = nil
	}
}

// resp is an HTTP answer.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) String() string { return string(r.Body) }

// code is the CometChat error code of the body ("" on success).
func (r resp) code() string {
	var eb wire.ErrorBody
	if json.Unmarshal(r.Body, &eb) != nil || eb.Error == nil {
		return ""
	}
	return eb.Error.Code
}

func (r resp) envelope(t testing.TB) wire.Envelope {
	t.Helper()
	var env wire.Envelope
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Data == nil {
		t.Fatalf("status %d: not a data envelope: %s", r.Status, r.Body)
	}
	return env
}

// data decodes the envelope's data into v, failing on an error answer.
func (r resp) data(t testing.TB, v any) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	// Decode into a zero value: omitted fields must not keep old values.
	reflect.ValueOf(v).Elem().SetZero()
	if err := json.Unmarshal(r.envelope(t).Data, v); err != nil {
		t.Fatalf("decode data: %v: %s", err, r.Body)
	}
}

func (r resp) meta(t testing.TB) *wire.Meta {
	t.Helper()
	return r.envelope(t).Meta
}

// headers for a call.
type hdr map[string]string

func (e *env) do(method, path string, h hdr, body any) resp {
	e.t.Helper()
	return e.doWith(e.t, method, path, h, body)
}

// doWith is do reporting failures to t (a fuzz target's own T).
func (e *env) doWith(t testing.TB, method, path string, h hdr, body any) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// admin calls /v3 with the REST key, acting as onBehalfOf when given.
func (e *env) admin(method, path string, body any, onBehalfOf ...string) resp {
	e.t.Helper()
	h := hdr{"apikey": testRESTKey}
	if len(onBehalfOf) > 0 {
		h["onBehalfOf"] = onBehalfOf[0]
	}
	return e.do(method, "/v3"+path, h, body)
}

// as calls /v3.0 as the user of token, like the SDK.
func (e *env) as(token, method, path string, body any) resp {
	e.t.Helper()
	return e.do(method, "/v3.0"+path, hdr{"appId": testAppID, "authToken": token, "resource": "WEB-test-device"}, body)
}

// mustOK fails unless r is a 200 with data.
func mustOK(t testing.TB, r resp) resp {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("want 200, got %d: %s", r.Status, r.Body)
	}
	return r
}

// wantCode fails unless r is an error with code.
func wantCode(t testing.TB, r resp, code string) {
	t.Helper()
	if got := r.code(); got != code {
		t.Fatalf("want error %s, got status %d: %s", code, r.Status, r.Body)
	}
	if r.Status < 400 {
		t.Fatalf("error %s came with status %d", code, r.Status)
	}
}

// user creates a user through the API and returns it.
func (e *env) user(uid string) chat.User {
	e.t.Helper()
	var u chat.User
	mustOK(e.t, e.admin("POST", "/users", map[string]any{"uid": uid, "name": strings.ToUpper(uid[:1]) + uid[1:]})).data(e.t, &u)
	return u
}

// login creates an auth token for uid with the Auth Key, as the SDK does.
func (e *env) login(uid string) string {
	e.t.Helper()
	var tok chat.AuthToken
	mustOK(e.t, e.do("POST", "/v3.0/users/"+uid+"/auth_tokens", hdr{"appId": testAppID, "apiKey": testAuthKey},
		map[string]any{"platform": "WEB"})).data(e.t, &tok)
	if tok.Token == "" {
		e.t.Fatalf("no auth token for %s", uid)
	}
	return tok.Token
}

// group creates a group owned by owner.
func (e *env) group(guid, owner string, typ chat.GroupType, password string) chat.Group {
	e.t.Helper()
	body := map[string]any{"guid": guid, "name": "Group " + guid, "type": typ}
	if password != "" {
		body["password"] = password
	}
	var g chat.Group
	mustOK(e.t, e.admin("POST", "/groups", body, owner)).data(e.t, &g)
	return g
}

// addMember adds uid to guid with scope, as the system.
func (e *env) addMember(guid, uid string, scope chat.Scope) {
	e.t.Helper()
	list := map[chat.Scope]string{chat.ScopeAdmin: "admins", chat.ScopeModerator: "moderators", chat.ScopeParticipant: "participants"}[scope]
	r := mustOK(e.t, e.admin("POST", "/groups/"+guid+"/members", map[string]any{list: []string{uid}}))
	var out map[string]map[string]struct {
		Success bool `json:"success"`
	}
	r.data(e.t, &out)
	if !out[list][uid].Success {
		e.t.Fatalf("add %s to %s: %s", uid, guid, r.Body)
	}
}

// send sends a text message as uid over /v3.
func (e *env) send(from, to string, rt chat.ReceiverType, text string) chat.Message {
	e.t.Helper()
	var m chat.Message
	mustOK(e.t, e.admin("POST", "/messages", map[string]any{
		"receiver": to, "receiverType": rt, "category": "message", "type": "text", "data": map[string]any{"text": text},
	}, from)).data(e.t, &m)
	return m
}

func (e *env) ctx() context.Context { return context.Background() }

// scopeOf reads a member's scope from the store ("" if not a member).
func (e *env) scopeOf(guid, uid string) chat.Scope {
	e.t.Helper()
	m, err := e.db.Member(e.ctx(), guid, uid)
	if chat.HasCode(err, chat.ErrNotAMember) {
		return ""
	}
	if err != nil {
		e.t.Fatalf("member %s/%s: %v", guid, uid, err)
	}
	return m.Scope
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
