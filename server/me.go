package server

import (
	"net"
	"strconv"

	"cometterm/chat"
	"cometterm/chat/wire"
	"cometterm/server/token"
)

// meBody is PUT /v3.0/me: the SDK's login body (platform, deviceId,
// appInfo) or its "update my details" body (user fields); both use it.
type meBody struct {
	authTokenBody
	userBody
}

func (b *meBody) changesUser() bool {
	u := b.userBody
	return u.Name != nil || u.Avatar != nil || u.Link != nil || u.StatusMessage != nil ||
		u.Metadata != nil || u.Tags != nil || len(u.Unset) > 0
}

// login records the device on the token and answers with the user, a JWT
// for the socket and the settings that point the SDK at this listener.
func (s *Server) login(c *call) (reply, error) {
	var b meBody
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if err := b.authTokenBody.validate(); err != nil {
		return reply{}, err
	}
	b.userBody.Role = nil // a user may not pick their own role
	if b.changesUser() {
		if err := b.userBody.validate(false); err != nil {
			return reply{}, err
		}
		if _, err := s.applyUserPatch(c, c.who.uid, b.userBody); err != nil {
			return reply{}, err
		}
	}
	if b.Platform != "" || b.AppInfo != nil || b.UserAgent != "" {
		_, err := s.store.UpdateAuthToken(c.ctx, chat.AuthToken{
			UID: c.who.uid, Token: c.who.token, Platform: b.Platform,
			UserAgent: b.userAgent(), AppInfo: b.AppInfo,
		})
		if err != nil {
			return reply{}, err
		}
	}
	if err := s.store.SetLastActive(c.ctx, c.who.uid, c.at()); err != nil {
		return reply{}, err
	}
	return s.me(c)
}

func (s *Server) refresh(c *call) (reply, error) { return s.me(c) }

func (s *Server) me(c *call) (reply, error) {
	u, err := s.store.User(c.ctx, c.who.uid, false)
	if err != nil {
		return reply{}, err
	}
	jwt, err := token.Mint(s.app.JWTSecret, s.app.AppID, u.UID, HashKey(c.who.token), s.now(), token.DefaultTTL)
	if err != nil {
		return reply{}, err
	}
	// The user at the other end of this call is active right now, whether
	// or not their socket is up yet.
	u.Status = chat.StatusOnline
	return ok(wire.Me{User: u, JWT: jwt, Settings: s.settingsFor(c)}), nil
}

// settingsFor names the host and port the request came in on, so that
// the SDK finds the REST APIs and the socket on this same listener.
func (s *Server) settingsFor(c *call) wire.Settings {
	host, port, err := net.SplitHostPort(c.r.Host)
	if err != nil {
		host = c.r.Host
		port = "80"
		if c.r.TLS != nil {
			port = "443"
		}
	}
	useSSL := strconv.FormatBool(c.r.TLS != nil)
	return wire.Settings{
		ClientAPIHost:         c.r.Host,
		AdminAPIHost:          c.r.Host,
		ChatAPIVersion:        "v3.0",
		ChatHost:              host,
		ChatWSSPort:           port,
		ChatUseSSL:            useSSL,
		Mode:                  "DEFAULT",
		AnalyticsPingDisabled: true,
	}
}

func (s *Server) logout(c *call) (reply, error) {
	if err := s.revokeToken(c, c.who.uid, c.who.token, "User logged out"); err != nil {
		return reply{}, err
	}
	return success("Logged out."), nil
}

func (s *Server) settings(c *call) (reply, error) { return ok(s.settingsFor(c)), nil }

// userSession answers the SDK's session report; nothing is kept.
func (s *Server) userSession(c *call) (reply, error) {
	var b struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.decode(&b); err != nil {
		return reply{}, err
	}
	if len(b.SessionID) > maxTokenField {
		return reply{}, chat.FieldError("sessionId", "The sessionId may not be greater than %d characters.", maxTokenField)
	}
	if b.SessionID == "" {
		id, err := randomHex(16)
		if err != nil {
			return reply{}, err
		}
		b.SessionID = id
	}
	return ok(map[string]string{"sessionId": b.SessionID}), nil
}
