package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkSendMessage measures POST /v3/messages through the whole
// handler (auth, rate limit, validation, SQLite insert, fan-out) without
// the network.
func BenchmarkSendMessage(b *testing.B) {
	e := newEnv(b, unlimited)
	for _, u := range []string{"alice", "bob"} {
		mustOK(b, e.admin("POST", "/users", map[string]any{"uid": u, "name": u}))
	}
	h := e.srv.Handler()
	body := []byte(`{"receiver":"bob","receiverType":"user","category":"message","type":"text","data":{"text":"benchmark message"}}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v3/messages", bytes.NewReader(body))
		req.Header.Set("apikey", testRESTKey)
		req.Header.Set("onBehalfOf", "alice")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
