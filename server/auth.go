package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"

	"cometterm/chat"
)

// keyKind says how a request authenticated.
type keyKind int

const (
	keyUser keyKind = iota // authToken of a user (client API)
	keyREST                // REST API Key: full access
	keyAuth                // Auth Key: create users and auth tokens only
)

// actor is who a request acts as.
type actor struct {
	uid   string // acting user; "" for the REST key without onBehalfOf
	key   keyKind
	token string // the authToken presented (client API)
}

func (a actor) admin() bool { return a.key == keyREST }

// sender is the uid recorded as the author of changes: the acting user,
// or the system for REST calls without onBehalfOf.
func (a actor) sender() string {
	if a.uid == "" {
		return chat.SystemSender
	}
	return a.uid
}

// access is what a route requires of the caller.
type access int

const (
	// accessKey: the Auth Key or the REST key (create user/auth token).
	accessKey access = iota
	// accessAdmin: the REST key only.
	accessAdmin
	// accessAny: the REST key (with or without onBehalfOf) or a user.
	accessAny
	// accessUser: an acting user, from onBehalfOf or authToken.
	accessUser
	// accessToken: a user authenticated by authToken (the /me calls).
	accessToken
)

// HashKey is how REST API keys are kept: SHA-256 hex.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// authenticate resolves the request's credentials to an actor. The REST
// API uses apikey (+ onBehalfOf); the client API uses appId + authToken,
// or apiKey for the SDK's admin calls.
func (s *Server) authenticate(ctx context.Context, r *http.Request, client bool) (actor, error) {
	if client {
		if id := r.Header.Get("appId"); id != "" && id != s.app.AppID {
			return actor{}, chat.Errorf(chat.ErrAppIDMismatch, "The appId %q does not match this server's app.", id)
		}
	}
	if key := r.Header.Get("apikey"); key != "" {
		return s.authKey(ctx, key, r.Header.Get("onBehalfOf"))
	}
	if client {
		if tok := r.Header.Get("authToken"); tok != "" {
			return s.authToken(ctx, tok)
		}
		return actor{}, chat.Errorf(chat.ErrAuthTokenNotFound, "The authToken header is missing.")
	}
	return actor{}, chat.Errorf(chat.ErrAPIKeyNotFound, "The apikey header is missing.")
}

func (s *Server) authKey(ctx context.Context, key, onBehalfOf string) (actor, error) {
	switch {
	case s.app.RESTKeyHash != "" && equalSecret(HashKey(key), s.app.RESTKeyHash):
		a := actor{key: keyREST}
		if onBehalfOf == "" {
			return a, nil
		}
		uid, err := chat.NormalizeID("onBehalfOf", onBehalfOf)
		if err != nil {
			return actor{}, err
		}
		if _, err := s.store.User(ctx, uid, false); err != nil {
			return actor{}, err
		}
		a.uid = uid
		return a, nil
	case s.app.AuthKey != "" && equalSecret(key, s.app.AuthKey):
		return actor{key: keyAuth}, nil
	}
	return actor{}, chat.Errorf(chat.ErrAPIKeyNotFound, "The API key is not valid for this app.")
}

func (s *Server) authToken(ctx context.Context, tok string) (actor, error) {
	uid, err := s.store.AuthTokenUID(ctx, tok)
	if err != nil {
		if chat.CodeOf(err) != "" {
			return actor{}, chat.Errorf(chat.ErrAuthTokenNotFound, "The auth token is not valid.")
		}
		return actor{}, err
	}
	// A deactivated user keeps tokens but may not use them: AuthTokenUID
	// does not find them, so the user needs no look of its own.
	return actor{uid: uid, key: keyUser, token: tok}, nil
}

// permit checks the actor against what the route requires.
func permit(a actor, need access) error {
	noAccess := chat.Errorf(chat.ErrNoAccess, "These credentials do not allow this call.")
	switch need {
	case accessKey:
		if a.key == keyUser {
			return noAccess
		}
	case accessAdmin:
		if a.key != keyREST {
			return noAccess
		}
	case accessAny:
		if a.key == keyAuth {
			return noAccess
		}
	case accessUser:
		if a.key == keyAuth {
			return noAccess
		}
		if a.uid == "" {
			return chat.FieldError("onBehalfOf", "This call acts as a user: send the onBehalfOf header with their uid.")
		}
	case accessToken:
		if a.key != keyUser {
			return noAccess
		}
	}
	return nil
}
