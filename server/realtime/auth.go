package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server/token"
)

// maxDeviceID bounds the session id a client may choose.
const maxDeviceID = 200

// subscription is whose presence a socket asked to hear about.
type subscription struct {
	mode  string // wire.SubscribeAllUsers, SubscribeRoles, SubscribeFriends or "" (none)
	roles map[string]struct{}
}

func parseSubscription(mode string, roles []string) (subscription, bool) {
	switch mode {
	case "":
		return subscription{}, true
	case wire.SubscribeAllUsers, wire.SubscribeFriends:
		return subscription{mode: mode}, true
	case wire.SubscribeRoles:
		s := subscription{mode: mode, roles: make(map[string]struct{}, len(roles))}
		for _, r := range roles {
			s.roles[r] = struct{}{}
		}
		return s, true
	}
	return subscription{}, false
}

// authenticate reads the first frame, which must be a valid auth frame.
// On success it fills uid, device, user and sub and returns the reply to
// queue; on failure it answers with an error body where the client can use
// one, has the socket closed and returns nil.
func (c *conn) authenticate() []byte {
	h := c.hub
	typ, data, err := c.ws.Read(c.ctx)
	if err != nil {
		h.log.Debug("websocket closed before auth", "err", err)
		return nil
	}
	c.touch()
	if typ != websocket.MessageText {
		c.kill(websocket.StatusUnsupportedData, "text frames only")
		return nil
	}
	var f wire.Frame
	if err := json.Unmarshal(data, &f); err != nil {
		h.log.Warn("websocket: malformed first frame", "err", err)
		c.kill(websocket.StatusInvalidFramePayloadData, "malformed JSON")
		return nil
	}
	if f.Type != wire.TypeAuth {
		h.log.Warn("websocket: first frame is not auth", "type", f.Type, "action", f.Action)
		c.kill(websocket.StatusPolicyViolation, "auth must be the first frame")
		return nil
	}
	var body wire.AuthBody
	if err := json.Unmarshal(f.Body, &body); err != nil {
		return c.refuse(f.DeviceID, "400", "The auth body is malformed.", "malformed auth body")
	}
	device := body.DeviceID
	if device == "" {
		device = f.DeviceID
	}
	if len(device) > maxDeviceID {
		return c.refuse("", "400", "The deviceId is too long.", "deviceId too long")
	}
	if f.AppID != h.opts.AppID {
		return c.refuse(device, "401", "The appId does not match this app.", "app id mismatch")
	}
	claims, err := token.Verify(h.opts.JWTSecret, h.opts.AppID, body.Auth, h.opts.Now())
	if err != nil {
		h.log.Warn("websocket: auth token refused", "err", err)
		return c.refuse(device, "401", "The auth token is invalid or expired.", "invalid or expired token")
	}
	uid := claims.Subject
	if f.Sender != "" && f.Sender != uid {
		return c.refuse(device, "401", "The sender does not match the auth token.", "sender mismatch")
	}
	if claims.TokenHash != "" {
		ctx, cancel := c.dirCtx()
		owner, err := h.dir.AuthTokenHashUID(ctx, claims.TokenHash)
		cancel()
		if err != nil || owner != uid {
			if err != nil && !chat.HasCode(err, chat.ErrAuthTokenNotFound) {
				h.log.Error("websocket: auth token lookup", "uid", uid, "err", err)
			}
			return c.refuse(device, "401", "The session was logged out; log in again.", "auth token revoked")
		}
	}
	ctx, cancel := c.dirCtx()
	user, err := h.dir.User(ctx, uid, false)
	cancel()
	if err != nil {
		if chat.HasCode(err, chat.ErrUIDNotFound) {
			return c.refuse(device, "401", "The user does not exist or is deactivated.", "unknown user")
		}
		h.log.Error("websocket: auth user lookup", "uid", uid, "err", err)
		c.replyError(device, "500", "Internal error.")
		c.kill(websocket.StatusInternalError, "internal error")
		return nil
	}
	sub, ok := parseSubscription(body.PresenceSubscription, body.Roles)
	if !ok {
		h.log.Warn("websocket: unknown presence subscription, none used",
			"uid", uid, "presenceSubscription", body.PresenceSubscription)
	}
	if device == "" {
		device = randomDevice()
	}
	c.uid, c.device, c.user, c.sub, c.tokenHash = uid, device, user, sub, claims.TokenHash
	label := uid + "/" + device
	c.label.Store(&label)

	reply, err := encode(wire.Frame{
		AppID: h.opts.AppID, DeviceID: device, Type: wire.TypeAuth, Sender: uid,
	}, wire.AuthReply{Code: "200", Status: "OK"})
	if err != nil {
		h.log.Error("websocket: encode auth reply", "err", err)
		c.kill(websocket.StatusInternalError, "internal error")
		return nil
	}
	return reply
}

// refuse answers an auth frame with an error body, then closes with
// policy violation and reason.
func (c *conn) refuse(device, code, msg, reason string) []byte {
	c.replyError(device, code, msg)
	c.kill(websocket.StatusPolicyViolation, reason)
	return nil
}

// replyError writes the error body directly: the writer has nothing
// queued yet, and the kill that follows must not overtake the body.
func (c *conn) replyError(device, code, msg string) {
	b, err := encode(wire.Frame{AppID: c.hub.opts.AppID, DeviceID: device, Type: wire.TypeAuth},
		wire.AuthReply{Code: code, Status: "ERROR", Message: msg})
	if err != nil {
		c.hub.log.Error("websocket: encode auth error", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.hub.opts.WriteTimeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.hub.log.Debug("websocket: write auth error", "err", err)
	}
}

// randomDevice names a session for a client that sent no deviceId.
func randomDevice() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "ws-" + hex.EncodeToString(b[:])
}
