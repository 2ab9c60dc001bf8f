package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"cometterm/chat"
)

// Generated reports what LoadOrCreateApp made up or was given, for the
// start-up banner. The REST API Key is stored only as a hash, so it is
// known in clear only on the start that generated it or was given it.
type Generated struct {
	Created          bool   // the app was created on this start
	RESTAPIKey       string // "" when neither generated nor given
	RESTKeyGenerated bool
	AuthKeyGenerated bool
}

// Key strength: 128 bits for the Auth Key, 160 for the REST API Key, 256
// for the JWT secret.
const (
	authKeyBytes   = 16
	restKeyBytes   = 20
	jwtSecretBytes = 32
	appIDBytes     = 8
	minKeyLen      = 16
	maxKeyLen      = 200
)

// LoadOrCreateApp returns the data dir's app, creating it on first start.
// Values given (flags, environment) win: an existing app takes a new Auth
// Key or REST API Key from them; the app id of an existing data dir
// cannot change.
func LoadOrCreateApp(ctx context.Context, st Store, appID, authKey, restKey string, now time.Time) (chat.App, Generated, error) {
	var gen Generated
	if appID != "" {
		id, err := chat.NormalizeID("appId", appID)
		if err != nil {
			return chat.App{}, gen, fmt.Errorf("app id: %w", err)
		}
		appID = id
	}
	for name, k := range map[string]string{"auth key": authKey, "REST API key": restKey} {
		if k != "" && (len(k) < minKeyLen || len(k) > maxKeyLen) {
			return chat.App{}, gen, fmt.Errorf("%s must be %d to %d characters", name, minKeyLen, maxKeyLen)
		}
	}
	app, found, err := st.App(ctx)
	if err != nil {
		return chat.App{}, gen, fmt.Errorf("load app: %w", err)
	}
	changed := !found
	if !found {
		gen.Created = true
		app = chat.App{AppID: appID, CreatedAt: now.Unix()}
		if app.AppID == "" {
			if app.AppID, err = randomHex(appIDBytes); err != nil {
				return chat.App{}, gen, err
			}
		}
		if app.JWTSecret, err = randomBytes(jwtSecretBytes); err != nil {
			return chat.App{}, gen, err
		}
	} else if appID != "" && appID != app.AppID {
		return chat.App{}, gen, fmt.Errorf("this data dir belongs to app %q, not %q", app.AppID, appID)
	}
	switch {
	case authKey != "" && authKey != app.AuthKey:
		app.AuthKey, changed = authKey, true
	case app.AuthKey == "":
		if app.AuthKey, err = randomHex(authKeyBytes); err != nil {
			return chat.App{}, gen, err
		}
		gen.AuthKeyGenerated, changed = true, true
	}
	switch {
	case restKey != "":
		gen.RESTAPIKey = restKey
		if h := HashKey(restKey); h != app.RESTKeyHash {
			app.RESTKeyHash, changed = h, true
		}
	case app.RESTKeyHash == "":
		if restKey, err = randomHex(restKeyBytes); err != nil {
			return chat.App{}, gen, err
		}
		gen.RESTAPIKey, gen.RESTKeyGenerated = restKey, true
		app.RESTKeyHash, changed = HashKey(restKey), true
	}
	if len(app.JWTSecret) == 0 {
		if app.JWTSecret, err = randomBytes(jwtSecretBytes); err != nil {
			return chat.App{}, gen, err
		}
		changed = true
	}
	if changed {
		if err := st.SaveApp(ctx, app); err != nil {
			return chat.App{}, gen, fmt.Errorf("save app: %w", err)
		}
	}
	return app, gen, nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("random bytes: %w", err)
	}
	return b, nil
}
