package realtime

import (
	"encoding/json"
	"fmt"

	"cometterm/chat/wire"
)

// maxReason is the longest close reason a close frame can carry.
const maxReason = 120

// pongFrame answers every keepalive; it never changes, so it is shared.
var pongFrame = []byte(`{"action":"pong"}`)

// encode marshals body into f and f into one frame. The result is shared
// by every recipient of a fan-out and must not be modified.
func encode(f wire.Frame, body any) ([]byte, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s body: %w", f.Type, err)
	}
	f.Body = nil
	env, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode %s frame: %w", f.Type, err)
	}
	// Splice the body in rather than setting f.Body: the encoder would
	// validate and copy a large message body a second time.
	out := make([]byte, 0, len(env)+len(raw)+len(`,"body":`))
	out = append(out, env[:len(env)-1]...)
	if len(env) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"body":`...)
	out = append(out, raw...)
	return append(out, '}'), nil
}

// deliver queues frame on every socket of every uid, except the socket
// skip (the device the frame came from). uids must not repeat.
func (h *Hub) deliver(uids []string, frame []byte, skip *conn) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, uid := range uids {
		for _, c := range h.users[uid] {
			if c != skip {
				c.send(frame)
			}
		}
	}
}

// onlineCount counts the uids with at least one socket.
func (h *Hub) onlineCount(uids []string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, uid := range uids {
		if len(h.users[uid]) > 0 {
			n++
		}
	}
	return n
}

// unique returns uids without repeats and without the empty string,
// keeping the first occurrence's order.
func unique(uids []string) []string {
	seen := make(map[string]struct{}, len(uids))
	out := uids[:0:0]
	for _, u := range uids {
		if u == "" {
			continue
		}
		if _, dup := seen[u]; dup {
			continue
		}
		seen[u] = struct{}{}
		out = append(out, u)
	}
	return out
}

// without returns uids minus one uid.
func without(uids []string, drop string) []string {
	out := make([]string, 0, len(uids))
	for _, u := range uids {
		if u != drop {
			out = append(out, u)
		}
	}
	return out
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
