package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// flagValues are the raw flag values; only those the user set are applied.
type flagValues struct {
	configFile, profile, dataDir, logFile, logLevel, theme string
	noDemo                                                 bool

	server, appID, region, uid, authKey, authToken, caCert string
	insecure                                               bool

	http, restKey, tlsCert, tlsKey, ssh string
	tlsSelfSigned, sshOpen              bool
	sshIdle, wsIdle                     time.Duration
	sshMax                              int
}

func newFlagSet(cmd Command, out io.Writer) *flag.FlagSet {
	name := "cometterm"
	if cmd == CmdServe {
		name = "cometterm serve"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		if cmd == CmdServe {
			fmt.Fprint(out, "Usage: cometterm serve --http ADDR [flags]\n\nRuns the CometChat-compatible server (REST, WebSocket and optionally SSH).\n\nFlags:\n")
		} else {
			fmt.Fprint(out, "Usage: cometterm [flags]\n       cometterm serve --http ADDR [flags]\n\nWith no flags, starts an embedded server with a demo workspace and opens the chat.\n\nFlags:\n")
		}
		fs.PrintDefaults()
	}
	return fs
}

func bindFlags(fs *flag.FlagSet, cmd Command) *flagValues {
	f := &flagValues{}
	fs.StringVar(&f.configFile, "config", "", "config file (default $XDG_CONFIG_HOME/cometterm/config.toml)")
	fs.StringVar(&f.profile, "profile", "", "named profile from the config file")
	fs.StringVar(&f.dataDir, "data", "", "data directory (default $XDG_DATA_HOME/cometterm)")
	fs.StringVar(&f.logFile, "log", "", "log file (default <data>/cometterm.log; \"-\" for stderr)")
	fs.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error")
	fs.StringVar(&f.appID, "app-id", "", "CometChat app ID")
	fs.StringVar(&f.authKey, "auth-key", "", "CometChat Auth Key")
	if cmd == CmdServe {
		fs.StringVar(&f.http, "http", "", "HTTP and WebSocket listen address, e.g. 127.0.0.1:8080")
		fs.StringVar(&f.restKey, "rest-api-key", "", "REST API Key (generated on first start if unset)")
		fs.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate file (serve https and wss)")
		fs.StringVar(&f.tlsKey, "tls-key", "", "TLS key file")
		fs.BoolVar(&f.tlsSelfSigned, "tls-self-signed", false, "create a self-signed certificate in the data dir and serve TLS")
		fs.StringVar(&f.ssh, "ssh", "", "SSH listen address, e.g. 127.0.0.1:2222 (off if empty)")
		fs.BoolVar(&f.sshOpen, "ssh-open", false, "let SSH users in without a public key")
		fs.DurationVar(&f.sshIdle, "ssh-idle-timeout", 0, "close SSH sessions idle this long (default 30m)")
		fs.IntVar(&f.sshMax, "ssh-max-sessions", 0, "most concurrent SSH sessions (default 500)")
		fs.DurationVar(&f.wsIdle, "ws-idle-timeout", 0, "close WebSocket connections silent this long (default 60s)")
		return f
	}
	fs.StringVar(&f.theme, "theme", "", "auto, dark or light")
	fs.BoolVar(&f.noDemo, "no-demo", false, "embedded server: no live demo users")
	fs.StringVar(&f.server, "server", "", "URL of a cometterm server, e.g. http://127.0.0.1:8080")
	fs.StringVar(&f.region, "region", "", "CometChat cloud region (us, eu, in)")
	fs.StringVar(&f.uid, "uid", "", "log in as this user (with --auth-key)")
	fs.StringVar(&f.authToken, "auth-token", "", "log in with this auth token")
	fs.StringVar(&f.caCert, "ca-cert", "", "trust this PEM certificate (self-signed servers)")
	fs.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification")
	fs.StringVar(&f.ssh, "ssh", "", "embedded server: SSH listen address (default 127.0.0.1:2222, \"off\" to disable)")
	return f
}

func applyEnv(cfg *Config, getenv func(string) string) {
	str := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	boolean := func(dst *bool, key string) {
		if v, err := strconv.ParseBool(getenv(key)); err == nil {
			*dst = v
		}
	}
	dur := func(dst *time.Duration, key string) {
		if v, err := time.ParseDuration(getenv(key)); err == nil {
			*dst = v
		}
	}
	str(&cfg.DataDir, "COMETTERM_DATA")
	str(&cfg.LogFile, "COMETTERM_LOG")
	if l, ok := parseLevel(getenv("COMETTERM_LOG_LEVEL")); ok {
		cfg.LogLevel = l
	}
	str(&cfg.Theme, "COMETTERM_THEME")
	if v, err := strconv.ParseBool(getenv("COMETTERM_NO_DEMO")); err == nil {
		cfg.Demo = !v
	}
	c := &cfg.Connection
	str(&c.Server, "COMETTERM_SERVER")
	str(&c.Region, "COMETTERM_REGION")
	str(&c.UID, "COMETTERM_UID")
	str(&c.AuthToken, "COMETTERM_AUTH_TOKEN")
	str(&c.CACert, "COMETTERM_CA_CERT")
	boolean(&c.Insecure, "COMETTERM_INSECURE")
	s := &cfg.Serve
	str(&s.HTTP, "COMETTERM_HTTP")
	str(&s.RESTAPIKey, "COMETTERM_REST_API_KEY")
	str(&s.TLSCert, "COMETTERM_TLS_CERT")
	str(&s.TLSKey, "COMETTERM_TLS_KEY")
	boolean(&s.TLSSelfSigned, "COMETTERM_TLS_SELF_SIGNED")
	str(&s.SSH, "COMETTERM_SSH")
	boolean(&s.SSHOpen, "COMETTERM_SSH_OPEN")
	dur(&s.SSHIdle, "COMETTERM_SSH_IDLE_TIMEOUT")
	dur(&s.WSIdle, "COMETTERM_WS_IDLE_TIMEOUT")
	// App ID and Auth Key name the app for both the server and a client.
	if cfg.Command == CmdServe {
		str(&s.AppID, "COMETTERM_APP_ID")
		str(&s.AuthKey, "COMETTERM_AUTH_KEY")
	} else {
		str(&c.AppID, "COMETTERM_APP_ID")
		str(&c.AuthKey, "COMETTERM_AUTH_KEY")
	}
}

func applyFlags(cfg *Config, f *flagValues, set map[string]bool) error {
	str := func(dst *string, name, v string) {
		if set[name] {
			*dst = v
		}
	}
	str(&cfg.DataDir, "data", f.dataDir)
	str(&cfg.LogFile, "log", f.logFile)
	str(&cfg.Theme, "theme", f.theme)
	if set["log-level"] {
		l, ok := parseLevel(f.logLevel)
		if !ok {
			return fmt.Errorf("log level must be debug, info, warn or error, not %q", f.logLevel)
		}
		cfg.LogLevel = l
	}
	if set["no-demo"] {
		cfg.Demo = !f.noDemo
	}
	c := &cfg.Connection
	s := &cfg.Serve
	if cfg.Command == CmdServe {
		str(&s.AppID, "app-id", f.appID)
		str(&s.AuthKey, "auth-key", f.authKey)
	} else {
		str(&c.AppID, "app-id", f.appID)
		str(&c.AuthKey, "auth-key", f.authKey)
	}
	str(&c.Server, "server", f.server)
	str(&c.Region, "region", f.region)
	str(&c.UID, "uid", f.uid)
	str(&c.AuthToken, "auth-token", f.authToken)
	str(&c.CACert, "ca-cert", f.caCert)
	if set["insecure"] {
		c.Insecure = f.insecure
	}
	str(&s.HTTP, "http", f.http)
	str(&s.RESTAPIKey, "rest-api-key", f.restKey)
	str(&s.TLSCert, "tls-cert", f.tlsCert)
	str(&s.TLSKey, "tls-key", f.tlsKey)
	str(&s.SSH, "ssh", f.ssh)
	if set["tls-self-signed"] {
		s.TLSSelfSigned = f.tlsSelfSigned
	}
	if set["ssh-open"] {
		s.SSHOpen = f.sshOpen
	}
	if set["ssh-idle-timeout"] {
		s.SSHIdle = f.sshIdle
	}
	if set["ssh-max-sessions"] {
		s.SSHMax = f.sshMax
	}
	if set["ws-idle-timeout"] {
		s.WSIdle = f.wsIdle
	}
	return nil
}

func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return 0, false
}
