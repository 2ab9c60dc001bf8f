package server

import (
	"net/http"
	"strings"
)

// CORS lets the official SDK run in a browser page served from another
// origin. Credentials travel in headers (apikey, authToken), never in
// cookies, so any origin may call: a page still needs a key or token.
var (
	corsHeaders = strings.Join([]string{
		"Accept", "Content-Type", "appId", "apiKey", "authToken", "onBehalfOf", "resource", "sdk",
		"settingsHash", "settingsHashReceivedAt", "Authorization", "Idempotency-Key",
	}, ", ")
	corsExpose = "X-Rate-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset, Retry-After"
)

// cors answers preflights and marks cross-origin answers readable. It
// reports true when the request has been answered.
func cors(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Origin") == "" {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExpose)
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}
