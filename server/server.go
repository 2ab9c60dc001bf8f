package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"cometterm/chat"
)

// Publisher fans committed changes out to live connections. The real one
// is *realtime.Hub; publishing never blocks.
type Publisher interface {
	PublishMessage(m chat.Message, originDevice string, alsoTo ...string)
	PublishReaction(r chat.Reaction, m chat.Message, added bool, originDevice string)
	Online(uid string) bool
	CloseUser(uid, reason string)
	// CloseSession closes only the sockets opened with one auth token
	// (its SHA-256), for a logout or a revoked token.
	CloseSession(uid, tokenHash, reason string)
}

// Options tune a Server. The zero value is production settings.
type Options struct {
	// WebSocket serves upgrade requests on "/" (the real-time hub).
	WebSocket http.Handler
	// Now is the clock for sentAt, createdAt and rate limits.
	Now func() time.Time
	// BcryptCost for group passwords; tests lower it.
	BcryptCost int
	// CoreLimit and StandardLimit are requests per minute for the whole
	// app (CometChat: 10,000 and 20,000).
	CoreLimit     int
	StandardLimit int
	// MaxBodyBytes caps request bodies.
	MaxBodyBytes int64
	Logger       *slog.Logger
}

// Defaults from CometChat's published limits.
const (
	DefaultCoreLimit     = 10000
	DefaultStandardLimit = 20000
	DefaultMaxBodyBytes  = 80 << 10
	DefaultBcryptCost    = 10
)

// Server serves the REST APIs of one app.
type Server struct {
	store Store
	app   chat.App
	pub   Publisher
	opts  Options
	log   *slog.Logger
	mux   *http.ServeMux
	rl    *rateLimits

	// commits serialises "insert + publish" of stored messages so that
	// fan-out follows commit order (see combiner).
	commits combiner
}

// New builds a Server. The Publisher is required: REST changes that nobody
// hears about would leave live clients stale.
func New(store Store, app chat.App, pub Publisher, opts Options) *Server {
	if pub == nil {
		panic("server.New: nil Publisher")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BcryptCost == 0 {
		opts.BcryptCost = DefaultBcryptCost
	}
	if opts.BcryptCost < bcrypt.MinCost {
		opts.BcryptCost = bcrypt.MinCost
	}
	if opts.CoreLimit <= 0 {
		opts.CoreLimit = DefaultCoreLimit
	}
	if opts.StandardLimit <= 0 {
		opts.StandardLimit = DefaultStandardLimit
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store: store,
		app:   app,
		pub:   pub,
		opts:  opts,
		log:   opts.Logger,
		mux:   http.NewServeMux(),
		rl:    newRateLimits(opts.CoreLimit, opts.StandardLimit),
	}
	s.routes()
	return s
}

// Handler is the whole HTTP surface: the WebSocket on "/" for upgrade
// requests, the APIs everywhere else.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.WebSocket != nil && r.URL.Path == "/" && isUpgrade(r) {
			s.opts.WebSocket.ServeHTTP(w, r)
			return
		}
		if cors(w, r) {
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func (s *Server) now() time.Time { return s.opts.Now() }
