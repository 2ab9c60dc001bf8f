package server

import (
	"strconv"

	"cometterm/chat"
)

// authTokenBody is what create and update token accept: the SDK sends
// platform, deviceId and appInfo on login.
type authTokenBody struct {
	Force     bool           `json:"force"`
	Platform  string         `json:"platform"`
	UserAgent string         `json:"userAgent"`
	DeviceID  string         `json:"deviceId"`
	AppInfo   map[string]any `json:"appInfo"`
}

// Bounds for the free-form token fields, so a login body cannot store
// arbitrary amounts of data.
const (
	maxTokenField   = 255
	maxAppInfoBytes = 2048
)

func (b authTokenBody) validate() error {
	if len(b.Platform) > maxTokenField {
		return chat.FieldError("platform", "The platform may not be greater than %d characters.", maxTokenField)
	}
	if len(b.UserAgent) > maxTokenField*4 {
		return chat.FieldError("userAgent", "The userAgent may not be greater than %d characters.", maxTokenField*4)
	}
	if err := chat.ValidateMetadata("appInfo", b.AppInfo); err != nil {
		return err
	}
	return nil
}

func (b authTokenBody) userAgent() string {
	if b.UserAgent != "" {
		return b.UserAgent
	}
	if ua, ok := b.AppInfo["userAgent"].(string); ok && len(ua) <= maxTokenField*4 {
		return ua
	}
	return ""
}

// newAuthToken mints and stores a token in CometChat's shape
// <uid>_<unix seconds><random hex>.
func (s *Server) newAuthToken(c *call, uid string, b authTokenBody) (chat.AuthToken, error) {
	r, err := randomHex(20)
	if err != nil {
		return chat.AuthToken{}, err
	}
	at := c.at()
	t := chat.AuthToken{
		UID: uid, Token: uid + "_" + strconv.FormatInt(at, 10) + r, CreatedAt: at,
		Platform: b.Platform, UserAgent: b.userAgent(), AppInfo: b.AppInfo,
	}
	if err := s.store.CreateAuthToken(c.ctx, t); err != nil {
		return chat.AuthToken{}, err
	}
	return t, nil
}

func (s *Server) createAuthToken(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	var b authTokenBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if err := b.validate(); err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, false); err != nil {
		return reply{}, err
	}
	t, err := s.newAuthToken(c, uid, b)
	if err != nil {
		return reply{}, err
	}
	return ok(t), nil
}

func (s *Server) listAuthTokens(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	p := c.q.page()
	if c.q.err != nil {
		return reply{}, c.q.err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	ts, total, err := s.store.ListAuthTokens(c.ctx, uid, p)
	if err != nil {
		return reply{}, err
	}
	return reply{data: nonNil(ts), meta: pageMeta(p, total, len(ts))}, nil
}

func (s *Server) tokenParams(c *call) (uid, tok string, err error) {
	uid, err = c.id("uid")
	if err != nil {
		return "", "", err
	}
	tok = c.r.PathValue("authToken")
	if tok == "" || len(tok) > 2*chat.MaxIDLen {
		return "", "", chat.Errorf(chat.ErrAuthTokenNotFoundUser, "No such auth token for %s.", uid)
	}
	return uid, tok, nil
}

func (s *Server) getAuthToken(c *call) (reply, error) {
	uid, tok, err := s.tokenParams(c)
	if err != nil {
		return reply{}, err
	}
	t, err := s.store.AuthToken(c.ctx, uid, tok)
	if err != nil {
		return reply{}, err
	}
	return ok(t), nil
}

func (s *Server) updateAuthToken(c *call) (reply, error) {
	uid, tok, err := s.tokenParams(c)
	if err != nil {
		return reply{}, err
	}
	var b authTokenBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if err := b.validate(); err != nil {
		return reply{}, err
	}
	t, err := s.store.UpdateAuthToken(c.ctx, chat.AuthToken{
		UID: uid, Token: tok, Platform: b.Platform, UserAgent: b.userAgent(), AppInfo: b.AppInfo,
	})
	if err != nil {
		return reply{}, err
	}
	return ok(t), nil
}

func (s *Server) deleteAuthToken(c *call) (reply, error) {
	uid, tok, err := s.tokenParams(c)
	if err != nil {
		return reply{}, err
	}
	if err := s.revokeToken(c, uid, tok, "Auth token deleted"); err != nil {
		return reply{}, err
	}
	return success("Auth token deleted."), nil
}

// revokeToken deletes one token and closes the user's sockets. The hub
// knows sockets per user, not per token, so closing them all is the only
// way to be sure the revoked device is gone; the user's other devices
// reconnect with their own, still valid, JWTs (the SDK retries after 5 s).
func (s *Server) revokeToken(c *call, uid, tok, reason string) error {
	if err := s.store.DeleteAuthToken(c.ctx, uid, tok); err != nil {
		return err
	}
	s.pub.CloseSession(uid, HashKey(tok), reason)
	return nil
}

func (s *Server) flushAuthTokens(c *call) (reply, error) {
	uid, err := c.id("uid")
	if err != nil {
		return reply{}, err
	}
	if _, err := s.store.User(c.ctx, uid, true); err != nil {
		return reply{}, err
	}
	if err := s.store.FlushAuthTokens(c.ctx, uid); err != nil {
		return reply{}, err
	}
	s.pub.CloseUser(uid, "Auth tokens flushed")
	return success("All auth tokens of " + uid + " deleted."), nil
}
