package client

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Version is sent in the sdk header and the auth frame's appInfo.
const Version = "0.1.0"

// Config says where to log in and how the connection behaves. Zero values
// of the tuning fields take the defaults noted on each.
type Config struct {
	// ServerURL selects a self-hosted server ("http://127.0.0.1:8080" or
	// "https://…"): the client and admin APIs are ServerURL+"/v3.0".
	ServerURL string
	// AppID and Region select CometChat's cloud when ServerURL is empty.
	// With a ServerURL, AppID is still sent as the appId header.
	AppID, Region string

	// UID with AuthKey is the development login: an auth token is created
	// through the admin API first. AuthToken is the production login.
	UID, AuthKey string
	AuthToken    string

	// PresenceSubscription is wire.SubscribeAllUsers, SubscribeRoles (with
	// Roles) or SubscribeFriends; "" subscribes to no presence.
	PresenceSubscription string
	Roles                []string

	// ManualConnection leaves the socket closed until Connect.
	ManualConnection bool

	HTTPClient *http.Client // default: a client with a 30s timeout
	Logger     *slog.Logger // default: discard

	EventBuffer  int           // default 1024
	PingInterval time.Duration // default 15s
	PongTimeout  time.Duration // default 3s
	ReconnectMin time.Duration // default 500ms
	ReconnectMax time.Duration // default 30s

	Now func() time.Time // default time.Now

	// SharedFrames, when set, is shared by the clients of one process so
	// that a frame they all receive is decoded once (nil: each decodes its
	// own).
	SharedFrames *SharedFrames

	// DeviceID is the session id sent as the resource header and the
	// socket's deviceId; generated when empty.
	DeviceID string
}

// withDefaults fills the zero fields; ownHTTP reports that the HTTP
// client is ours, so Close may drop its idle connections.
func (c Config) withDefaults() (_ Config, ownHTTP bool) {
	if c.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: tr}
		ownHTTP = true
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.EventBuffer <= 0 {
		c.EventBuffer = 1024
	}
	if c.PingInterval <= 0 {
		c.PingInterval = 15 * time.Second
	}
	if c.PongTimeout <= 0 {
		c.PongTimeout = 3 * time.Second
	}
	if c.ReconnectMin <= 0 {
		c.ReconnectMin = 500 * time.Millisecond
	}
	if c.ReconnectMax < c.ReconnectMin {
		c.ReconnectMax = max(30*time.Second, c.ReconnectMin)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, ownHTTP
}

// validRegions are the regions CometChat hosts apps in.
var validRegions = map[string]bool{"us": true, "eu": true, "in": true}

// CloudURLs derives the client and admin API base URLs of a CometChat
// cloud app. The app id becomes a DNS label, so it is checked as one.
func CloudURLs(appID, region string) (clientAPI, adminAPI string, err error) {
	region = strings.ToLower(strings.TrimSpace(region))
	if !validRegions[region] {
		return "", "", fmt.Errorf("cloud urls: unknown region %q (want us, eu or in)", region)
	}
	if !validAppID(appID) {
		return "", "", fmt.Errorf("cloud urls: app id %q is not a valid host label", appID)
	}
	clientAPI = "https://" + appID + ".apiclient-" + region + ".cometchat.io/v3.0"
	adminAPI = "https://" + appID + ".api-" + region + ".cometchat.io/v3.0"
	return clientAPI, adminAPI, nil
}

func validAppID(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// apiBases returns the client and admin API bases for cfg.
func (c Config) apiBases() (clientAPI, adminAPI string, err error) {
	if c.ServerURL != "" {
		u := strings.TrimRight(c.ServerURL, "/")
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return "", "", fmt.Errorf("server url %q: want http:// or https://", c.ServerURL)
		}
		return u + "/v3.0", u + "/v3.0", nil
	}
	if c.AppID == "" {
		return "", "", fmt.Errorf("config: set ServerURL or AppID and Region")
	}
	return CloudURLs(c.AppID, c.Region)
}
