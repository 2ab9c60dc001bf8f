package server

import (
	"context"
	"net/http"
	"strings"

	"cometterm/chat"
)

// Prefixes of the two APIs: the server REST API and the SDK's client API.
const (
	prefixREST   = "/v3"
	prefixClient = "/v3.0"
)

// call is one request on its way through a handler.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	ctx    context.Context
	who    actor
	client bool   // came in under /v3.0
	device string // the SDK session id (resource header): origin of fan-out
	q      *query
}

type handlerFunc func(c *call) (reply, error)

// decode reads the JSON body into dst within the server's size limit.
func (c *call) decode(dst any) error {
	return decodeBody(c.w, c.r, c.s.opts.MaxBodyBytes, dst)
}

// id reads and validates a uid/guid path parameter.
func (c *call) id(name string) (string, error) {
	return chat.NormalizeID(name, c.r.PathValue(name))
}

// at is now in Unix seconds.
func (c *call) at() int64 { return c.s.now().Unix() }

// handle registers a route under both prefixes.
func (s *Server) handle(method, path string, need access, cls class, h handlerFunc) {
	s.mux.HandleFunc(method+" "+prefixREST+path, s.wrap(false, need, cls, h))
	s.handleClient(method, path, need, cls, h)
}

// handleClient registers a route of the client API only.
func (s *Server) handleClient(method, path string, need access, cls class, h handlerFunc) {
	s.mux.HandleFunc(method+" "+prefixClient+path, s.wrap(true, need, cls, h))
}

func (s *Server) wrap(client bool, need access, cls class, h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.rl.take(w, cls, s.now()) {
			return
		}
		ctx := r.Context()
		who, err := s.authenticate(ctx, r, client)
		if err == nil {
			err = permit(who, need)
		}
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		c := &call{s: s, w: w, r: r, ctx: ctx, who: who, client: client,
			device: r.Header.Get("resource"), q: newQuery(r)}
		rp, err := h(c)
		if err != nil {
			s.log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "uid", who.uid, "code", chat.CodeOf(err))
			writeError(w, s.log, err)
			return
		}
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "uid", who.uid)
		writeReply(w, s.log, rp)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if !s.rl.take(w, classStandard, s.now()) {
		return
	}
	path := r.URL.Path
	if len(path) > 200 {
		path = path[:200]
	}
	writeError(w, s.log, chat.Errorf(chat.ErrAPINotFound, "No API %s %s.", r.Method, strings.ToValidUTF8(path, "")))
}

func (s *Server) routes() {
	s.mux.HandleFunc("/", s.notFound)

	// Users and auth tokens.
	s.handle("POST", "/users", accessKey, classCore, s.createUser)
	s.handle("GET", "/users", accessAny, classStandard, s.listUsers)
	s.handle("PUT", "/users", accessAdmin, classStandard, s.reactivateUsers)
	s.handle("DELETE", "/users", accessAdmin, classStandard, s.deactivateUsers)
	s.handle("GET", "/users/{uid}", accessAny, classStandard, s.getUser)
	s.handle("PUT", "/users/{uid}", accessAny, classStandard, s.updateUser)
	s.handle("DELETE", "/users/{uid}", accessAdmin, classCore, s.deleteUser)
	s.handle("POST", "/users/{uid}/auth_tokens", accessKey, classCore, s.createAuthToken)
	s.handle("GET", "/users/{uid}/auth_tokens", accessAdmin, classStandard, s.listAuthTokens)
	s.handle("DELETE", "/users/{uid}/auth_tokens", accessAdmin, classStandard, s.flushAuthTokens)
	s.handle("GET", "/users/{uid}/auth_tokens/{authToken}", accessAdmin, classStandard, s.getAuthToken)
	s.handle("PUT", "/users/{uid}/auth_tokens/{authToken}", accessAdmin, classStandard, s.updateAuthToken)
	s.handle("DELETE", "/users/{uid}/auth_tokens/{authToken}", accessAdmin, classStandard, s.deleteAuthToken)

	// Groups, members, bans.
	s.handle("POST", "/groups", accessAny, classCore, s.createGroup)
	s.handle("GET", "/groups", accessAny, classStandard, s.listGroups)
	s.handle("GET", "/groups/{guid}", accessAny, classStandard, s.getGroup)
	s.handle("PUT", "/groups/{guid}", accessAny, classStandard, s.updateGroup)
	s.handle("DELETE", "/groups/{guid}", accessAny, classStandard, s.deleteGroup)
	s.handle("PATCH", "/groups/{guid}/owner", accessAny, classStandard, s.transferOwner)
	s.handle("POST", "/groups/{guid}/members", accessAny, classCore, s.addOrJoin)
	s.handle("DELETE", "/groups/{guid}/members", accessUser, classStandard, s.leaveGroup)
	s.handle("GET", "/groups/{guid}/members", accessAny, classStandard, s.listMembers)
	s.handle("PUT", "/groups/{guid}/members/{uid}", accessAny, classStandard, s.changeScope)
	s.handle("DELETE", "/groups/{guid}/members/{uid}", accessAny, classStandard, s.kickMember)
	s.handle("GET", "/groups/{guid}/bannedusers", accessAny, classStandard, s.listBanned)
	s.handle("POST", "/groups/{guid}/bannedusers/{uid}", accessAny, classStandard, s.banMember)
	s.handle("DELETE", "/groups/{guid}/bannedusers/{uid}", accessAny, classStandard, s.unbanMember)

	// Messages, threads, receipts, reactions.
	s.handle("POST", "/messages", accessUser, classStandard, s.sendMessage)
	s.handle("GET", "/messages", accessAny, classStandard, s.listMessages)
	s.handle("GET", "/users/{uid}/messages", accessUser, classStandard, s.listUserMessages)
	s.handle("GET", "/groups/{guid}/messages", accessAny, classStandard, s.listGroupMessages)
	s.handle("GET", "/messages/{id}", accessAny, classStandard, s.getMessage)
	s.handle("PUT", "/messages/{id}", accessUser, classStandard, s.editMessage)
	s.handle("DELETE", "/messages/{id}", accessAny, classStandard, s.deleteMessage)
	s.handle("POST", "/messages/{id}/thread", accessUser, classStandard, s.sendThreadMessage)
	s.handle("GET", "/messages/{id}/thread", accessAny, classStandard, s.listThread)
	s.handle("GET", "/messages/{id}/receipts", accessAny, classStandard, s.messageReceipts)
	s.handle("GET", "/messages/{id}/reactions", accessAny, classStandard, s.listReactions)
	s.handle("GET", "/messages/{id}/reactions/{reaction}", accessAny, classStandard, s.listReactions)
	s.handle("POST", "/messages/{id}/reactions/{reaction}", accessUser, classStandard, s.addReaction)
	s.handle("DELETE", "/messages/{id}/reactions/{reaction}", accessUser, classStandard, s.removeReaction)

	// Conversations and their marks.
	s.handle("GET", "/conversations", accessUser, classStandard, s.listConversations)
	s.handle("GET", "/conversations/{conversationId}", accessUser, classStandard, s.getConversation)
	for _, kind := range []string{"users/{uid}", "groups/{guid}"} {
		s.handle("GET", "/"+kind+"/conversation", accessUser, classStandard, s.getConversation)
		s.handle("POST", "/"+kind+"/conversation/delivered", accessUser, classStandard, s.markDelivered)
		s.handle("POST", "/"+kind+"/conversation/read", accessUser, classStandard, s.markRead)
		s.handle("DELETE", "/"+kind+"/conversation/read", accessUser, classStandard, s.markUnread)
	}

	// Blocked users and friends.
	s.handle("GET", "/users/{uid}/blockedusers", accessAny, classStandard, s.listBlocked)
	s.handle("POST", "/users/{uid}/blockedusers", accessAny, classStandard, s.blockUsers)
	s.handle("DELETE", "/users/{uid}/blockedusers", accessAny, classStandard, s.unblockUsers)
	s.handle("GET", "/blockedusers", accessUser, classStandard, s.listBlocked)
	s.handle("POST", "/blockedusers", accessUser, classStandard, s.blockUsers)
	s.handle("DELETE", "/blockedusers", accessUser, classStandard, s.unblockUsers)
	s.handle("GET", "/users/{uid}/friends", accessAny, classStandard, s.listFriends)
	s.handle("POST", "/users/{uid}/friends", accessAny, classStandard, s.addFriends)
	s.handle("DELETE", "/users/{uid}/friends", accessAny, classStandard, s.removeFriends)

	// The logged-in user (client API only).
	s.handleClient("PUT", "/me", accessToken, classCore, s.login)
	s.handleClient("GET", "/me", accessToken, classStandard, s.refresh)
	s.handleClient("DELETE", "/me", accessToken, classStandard, s.logout)
	s.handleClient("GET", "/settings", accessToken, classStandard, s.settings)
	s.handleClient("POST", "/user_sessions", accessToken, classStandard, s.userSession)
}
