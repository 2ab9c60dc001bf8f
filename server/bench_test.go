package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/server"
	"cometterm/store"
)

// BenchmarkSendMessage measures POST /v3/messages through the whole
// handler (auth, rate limit, validation, SQLite insert, fan-out) without
// the network.
func BenchmarkSendMessage(b *testing.B) {
	e := newEnv(b, unlimited)
	for _, u := range []string{"alice", "bob"} {
		mustOK(b, e.admin("POST", "/users", map[string]any{"uid": u, "name": u}))
	}
	body := `{"receiver":"bob","receiverType":"user","category":"message","type":"text","data":{"text":"benchmark message"}}`
	benchPost(b, e.srv.Handler(), "/v3/messages", body, "apikey", testRESTKey, "onBehalfOf", "alice")
}

// benchPost posts body to path through h once per iteration, with the
// headers given as name, value pairs, and reports allocations and CPU.
func benchPost(b *testing.B, h http.Handler, path, body string, headers ...string) {
	b.Helper()
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// reportCPU reports the process's CPU time per op (all goroutines, the
// garbage collector's included) when the returned func runs after the
// loop: on a busy machine it varies less than the time per op, and CPU is
// what a saturated server runs out of.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// fanoutPublisher asks the store for a group message's recipients as the
// realtime hub does for every fan-out, and drops the rest.
type fanoutPublisher struct {
	*recorder
	db   *store.DB
	want int
	b    *testing.B
}

func (p *fanoutPublisher) PublishMessage(m chat.Message, origin string, alsoTo ...string) {
	if m.ReceiverType != chat.ReceiverGroup {
		return
	}
	uids, err := p.db.MemberUIDs(context.Background(), m.Receiver)
	if err != nil || len(uids) != p.want {
		p.b.Errorf("recipients of %d: %d uids, %v", m.ID, len(uids), err)
	}
}

// BenchmarkSendGroup200 measures what an SSH session's post costs: POST
// /v3.0/messages with an auth token to a group of 200 members, through
// the whole handler, with the recipients looked up as the hub does.
func BenchmarkSendGroup200(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "chat.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Unix(1_800_000_000, 0)
	app, _, err := server.LoadOrCreateApp(ctx, db, testAppID, testAuthKey, testRESTKey, now)
	if err != nil {
		b.Fatal(err)
	}
	const members = 200
	for i := range members {
		uid := fmt.Sprintf("u%03d", i)
		if _, err := db.CreateUser(ctx, chat.User{UID: uid, Name: uid, CreatedAt: now.Unix()}); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			_, err = db.CreateGroup(ctx, chat.Group{GUID: "g", Name: "G", Type: chat.GroupPublic, Owner: uid, CreatedAt: now.Unix()}, "")
		} else {
			_, _, err = db.AddMember(ctx, "g", uid, chat.ScopeParticipant, uid, now.Unix())
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	const token = "bench-token-u001"
	if err := db.CreateAuthToken(ctx, chat.AuthToken{UID: "u001", Token: token, CreatedAt: now.Unix()}); err != nil {
		b.Fatal(err)
	}
	pub := &fanoutPublisher{recorder: newRecorder(), db: db, want: members, b: b}
	srv := server.New(db, app, pub, server.Options{
		Now: func() time.Time { return now }, StandardLimit: 1 << 30, CoreLimit: 1 << 30,
	})
	body := `{"receiver":"g","receiverType":"group","category":"message","type":"text","data":{"text":"benchmark message"}}`
	benchPost(b, srv.Handler(), "/v3.0/messages", body, "appId", testAppID, "authToken", token, "resource", "WEB-bench")
}
