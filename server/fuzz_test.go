package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server"
)

// unlimited keeps the fuzzer's many calls under the rate limits.
func unlimited(o *server.Options) { o.StandardLimit, o.CoreLimit = 1<<30, 1<<30 }

// checkAnswer asserts what every answer must be: a 2xx data envelope, or
// a JSON error with a code this server knows and no server fault.
func checkAnswer(t *testing.T, r resp) {
	t.Helper()
	if r.Status >= 200 && r.Status < 300 {
		var env wire.Envelope
		if err := json.Unmarshal(r.Body, &env); err != nil || len(env.Data) == 0 || string(env.Data) == "null" {
			t.Fatalf("2xx without data: %s", r.Body)
		}
		return
	}
	var eb wire.ErrorBody
	if err := json.Unmarshal(r.Body, &eb); err != nil || eb.Error == nil {
		t.Fatalf("status %d without an error body: %s", r.Status, r.Body)
	}
	if !server.KnownCode(eb.Error.Code) || eb.Error.Source != "chat-api" || eb.Error.Message == "" {
		t.Fatalf("unknown or incomplete error: %s", r.Body)
	}
	if r.Status >= 500 {
		t.Fatalf("server fault: %d %s", r.Status, r.Body)
	}
}

func FuzzSendMessageBody(f *testing.F) {
	e := newEnv(f, unlimited)
	for _, u := range []string{"alice", "bob", "carl"} {
		mustOK(f, e.admin("POST", "/users", map[string]any{"uid": u, "name": u}))
	}
	mustOK(f, e.admin("POST", "/groups", map[string]any{"guid": "g", "name": "G", "type": "public"}, "alice"))
	f.Add([]byte(`{"receiver":"bob","receiverType":"user","data":{"text":"x"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := e.doWith(t, "POST", "/v3/messages", hdr{"apikey": testRESTKey, "onBehalfOf": "alice"}, body)
		checkAnswer(t, r)
		if r.Status == http.StatusOK {
			var m chat.Message
			r.data(t, &m)
			if m.ID == 0 || m.Sender != "alice" || m.Data.Entities.Sender == nil {
				t.Fatalf("stored message incomplete: %s", r.Body)
			}
		}
	})
}

func FuzzCreateGroupBody(f *testing.F) {
	e := newEnv(f, unlimited)
	for _, u := range []string{"alice", "bob", "carl"} {
		mustOK(f, e.admin("POST", "/users", map[string]any{"uid": u, "name": u}))
	}
	f.Add([]byte(`{"guid":"x","name":"X","type":"public"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := e.doWith(t, "POST", "/v3/groups", hdr{"apikey": testRESTKey, "onBehalfOf": "alice"}, body)
		checkAnswer(t, r)
		if r.Status == http.StatusOK {
			var g chat.Group
			r.data(t, &g)
			if g.GUID == "" || g.Owner != "alice" || !g.HasJoined {
				t.Fatalf("created group incomplete: %s", r.Body)
			}
		}
	})
}
