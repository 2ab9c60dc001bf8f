package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// CodeNotConnected is the code of errors from calls that need the socket
// (receipts, typing, transient messages) while it is not connected; the
// name is the one CometChat's SDK uses.
const CodeNotConnected = "NO_WEBSOCKET_CONNECTION"

// ErrNotConnected matches (errors.Is) any error with CodeNotConnected.
var ErrNotConnected = &chat.Error{Code: CodeNotConnected, Message: "The WebSocket is not connected."}

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("client: closed")

// Client is one logged-in user. Its methods are safe for concurrent use.
type Client struct {
	cfg     Config
	ownHTTP bool
	rest    *rest
	session string
	wsURL   string
	backoff backoff
	track   *tracker
	// noGlobalList is set once the server turns out not to list messages
	// across conversations (CometChat's cloud may not).
	noGlobalList atomic.Bool

	events chan chat.Event
	done   chan struct{} // closed by Close

	emitMu       sync.RWMutex // held for reading while sending on events
	eventsClosed bool

	mu         sync.Mutex
	me         chat.User
	authToken  string
	jwt        string
	jwtRefresh time.Time
	status     chat.ConnStatus
	conn       *websocket.Conn // set while authenticated
	run        *runner         // current connection lifecycle, nil when stopped
	closed     bool
}

// Login authenticates, fetches the user, a socket JWT and the settings,
// and in auto mode starts connecting (it does not wait for the socket:
// follow Events or Status).
func Login(ctx context.Context, cfg Config) (*Client, error) {
	cfg, ownHTTP := cfg.withDefaults()
	clientAPI, adminAPI, err := cfg.apiBases()
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	session := cfg.DeviceID
	if session == "" {
		session = "cometterm-go-" + uuid.NewString() + "-" + strconv.FormatInt(cfg.Now().UnixMilli(), 10)
	}
	c := &Client{
		cfg:     cfg,
		session: session,
		backoff: backoff{min: cfg.ReconnectMin, max: cfg.ReconnectMax},
		track:   newTracker(seenWindow),
		events:  make(chan chat.Event, cfg.EventBuffer),
		done:    make(chan struct{}),
		status:  chat.ConnDisconnected,
		ownHTTP: ownHTTP,
	}
	c.rest = &rest{
		http: cfg.HTTPClient, clientAPI: clientAPI, adminAPI: adminAPI,
		appID: cfg.AppID, session: session, token: c.currentToken,
	}
	c.authToken = cfg.AuthToken
	if err := c.login(ctx); err != nil {
		if ownHTTP {
			cfg.HTTPClient.CloseIdleConnections()
		}
		return nil, fmt.Errorf("login: %w", err)
	}
	if !cfg.ManualConnection {
		c.startRun()
	}
	return c, nil
}

// login gets an auth token if needed, then the user, JWT and settings.
func (c *Client) login(ctx context.Context) error {
	cfg := c.cfg
	if c.authToken == "" {
		if cfg.UID == "" || cfg.AuthKey == "" {
			return fmt.Errorf("set AuthToken, or UID and AuthKey")
		}
		tok, err := c.createAuthToken(ctx)
		if err != nil {
			return err
		}
		c.authToken = tok
	}
	me, err := c.putMe(ctx)
	if err != nil {
		return err
	}
	// The cloud names its client API in the settings, as the SDK follows;
	// a self-hosted server is kept at the URL we were given (the settings
	// carry no scheme).
	if cfg.ServerURL == "" && me.Settings.ClientAPIHost != "" {
		ver := me.Settings.ChatAPIVersion
		if ver == "" {
			ver = "v3.0"
		}
		c.rest.clientAPI = "https://" + me.Settings.ClientAPIHost + "/" + ver
	}
	if c.wsURL, err = socketURL(cfg, me.Settings); err != nil {
		return err
	}
	// Everything from here on reaches the caller as an event, live or by
	// catch-up at the first connection; what came before is history.
	return c.takeBaseline(ctx)
}

func (c *Client) currentToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authToken
}

// appInfo is what the SDK tells the server about itself.
func (c *Client) appInfo() map[string]any {
	return map[string]any{"version": Version, "apiVersion": "v3.0", "userAgent": "cometterm-go/" + Version}
}

func (c *Client) createAuthToken(ctx context.Context) (string, error) {
	var out struct {
		AuthToken string `json:"authToken"`
	}
	body := map[string]any{"platform": "cometterm", "deviceId": c.session, "appInfo": c.appInfo()}
	_, err := c.rest.do(ctx, request{method: "POST", path: "/users/" + seg(c.cfg.UID) + "/auth_tokens",
		body: body, admin: true, apiKey: c.cfg.AuthKey}, &out)
	if err != nil {
		return "", err
	}
	if out.AuthToken == "" {
		return "", &chat.Error{Code: chat.ErrInternal, Message: "auth token response has no authToken"}
	}
	return out.AuthToken, nil
}

func (c *Client) putMe(ctx context.Context) (wire.Me, error) {
	var me wire.Me
	body := map[string]any{"platform": "cometterm", "deviceId": c.session, "appInfo": c.appInfo()}
	if _, err := c.rest.do(ctx, request{method: "PUT", path: "/me", body: body}, &me); err != nil {
		return me, err
	}
	return me, c.setMe(me)
}

// refreshJWT asks GET /me for a fresh socket JWT.
func (c *Client) refreshJWT(ctx context.Context) error {
	var me wire.Me
	if _, err := c.rest.do(ctx, request{method: "GET", path: "/me"}, &me); err != nil {
		return fmt.Errorf("refresh jwt: %w", err)
	}
	return c.setMe(me)
}

func (c *Client) setMe(me wire.Me) error {
	if me.UID == "" {
		return &chat.Error{Code: chat.ErrInternal, Message: "/me response has no uid"}
	}
	if me.JWT == "" {
		return &chat.Error{Code: chat.ErrInternal, Message: "/me response has no jwt"}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.me = me.User
	c.me.AuthToken = ""
	c.jwt = me.JWT
	c.jwtRefresh = refreshAt(me.JWT, c.cfg.Now())
	return nil
}

// socketURL is where the WebSocket lives: the settings' host and port,
// with the scheme following ServerURL (ws for http); the cloud is wss.
func socketURL(cfg Config, s wire.Settings) (string, error) {
	scheme, host, port := "wss", s.ChatHost, s.ChatWSSPort
	if cfg.ServerURL != "" {
		u, err := url.Parse(cfg.ServerURL)
		if err != nil {
			return "", fmt.Errorf("server url: %w", err)
		}
		if u.Scheme == "http" {
			scheme = "ws"
		}
		if host == "" {
			host = u.Hostname()
		}
		if port == "" {
			port = u.Port()
		}
	}
	if host == "" {
		return "", fmt.Errorf("settings name no CHAT_HOST")
	}
	if port == "" {
		return scheme + "://" + hostOnly(host) + "/", nil
	}
	return scheme + "://" + net.JoinHostPort(hostOnly(host), port) + "/", nil
}

// hostOnly strips brackets from an IPv6 literal so JoinHostPort can add them.
func hostOnly(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// Me is the logged-in user as of login or the last JWT refresh.
func (c *Client) Me() chat.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.me
}

// SessionID is this client's resource / deviceId.
func (c *Client) SessionID() string { return c.session }

// Events is the one stream of everything the connection reports. It is
// bounded: when the reader falls behind, the socket reader waits rather
// than dropping anything. It is closed by Close and Logout.
func (c *Client) Events() <-chan chat.Event { return c.events }

// Status is the current connection state.
func (c *Client) Status() chat.ConnStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Connect opens the socket (in manual mode; in auto mode it waits for the
// running connection) and returns once it is authenticated and caught up.
// If ctx ends first, the client keeps trying in the background.
func (c *Client) Connect(ctx context.Context) error {
	r, err := c.startRun()
	if err != nil {
		return err
	}
	select {
	case <-r.ready:
		return nil
	case <-r.done:
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("connect: stopped")
	case <-ctx.Done():
		return fmt.Errorf("connect: %w", ctx.Err())
	}
}

// Disconnect closes the socket and stops reconnecting. Events already
// queued stay readable; no new ones come until Connect.
func (c *Client) Disconnect() error {
	c.stopRun(websocket.StatusNormalClosure, "Client disconnected")
	return nil
}

// Logout ends the session on the server (DELETE /me), closes the socket
// with 1000 "User logged out" and closes the client.
func (c *Client) Logout(ctx context.Context) error {
	c.stopRun(websocket.StatusNormalClosure, "User logged out")
	_, err := c.rest.do(ctx, request{method: "DELETE", path: "/me"}, nil)
	cerr := c.Close()
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return cerr
}

// Close stops every goroutine and closes Events without logging out.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.done)
	c.stopRun(websocket.StatusGoingAway, "Client closed")
	// Senders hold emitMu for reading while they wait on done; once they
	// have all left, nobody can send on events again.
	c.emitMu.Lock()
	c.eventsClosed = true
	close(c.events)
	c.emitMu.Unlock()
	if c.ownHTTP {
		c.cfg.HTTPClient.CloseIdleConnections()
	}
	return nil
}

// emit delivers ev, waiting while the buffer is full. Only a stop the
// caller asked for (stop, Close) ends the wait undelivered; with room in
// the buffer the event always goes in. It reports whether ev was
// delivered.
func (c *Client) emit(stop <-chan struct{}, ev chat.Event) bool {
	c.emitMu.RLock()
	defer c.emitMu.RUnlock()
	if c.eventsClosed {
		return false
	}
	select {
	case c.events <- ev:
		return true
	default:
	}
	select {
	case c.events <- ev:
		return true
	case <-stop:
	case <-c.done:
	}
	c.cfg.Logger.Debug("event not delivered: stopping and nobody reads", "type", fmt.Sprintf("%T", ev))
	return false
}

func (c *Client) setStatus(st chat.ConnStatus) {
	c.mu.Lock()
	c.status = st
	c.mu.Unlock()
}

// statusEvent records and reports a connection state change.
func (c *Client) statusEvent(stop <-chan struct{}, ev chat.ConnectionChanged) {
	c.setStatus(ev.Status)
	ev.EventMeta = chat.EventMeta{At: c.cfg.Now(), Dir: chat.Local}
	c.emit(stop, ev)
}
