package server_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORS(t *testing.T) {
	e := newEnv(t)
	r := e.do("OPTIONS", "/v3.0/me", hdr{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT",
		"Access-Control-Request-Headers": "appid,authtoken,resource,sdk,content-type"}, nil)
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "authToken") ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Fatalf("preflight: %d %v", r.Status, r.Header)
	}
	r = mustOK(t, e.do("GET", "/v3/users", hdr{"Origin": "http://localhost:3000", "apikey": testRESTKey}, nil))
	if r.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "X-Rate-Limit") {
		t.Fatalf("cross-origin answer: %v", r.Header)
	}
	// Without an Origin nothing is added, and OPTIONS is not an API.
	r = e.do("OPTIONS", "/v3/users", hdr{"apikey": testRESTKey}, nil)
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.code() != "ERR_API_NOT_FOUND" {
		t.Fatalf("plain OPTIONS: %d %v %s", r.Status, r.Header, r.Body)
	}
}
