// Package config gathers cometterm's settings from three places, each
// overriding the one before: the TOML file (with named profiles) in the XDG
// config dir, COMETTERM_* environment variables, and command-line flags.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Command is what the binary was asked to do.
type Command string

const (
	CmdChat  Command = "chat"  // the TUI (embedded server unless told otherwise)
	CmdServe Command = "serve" // the server alone
)

// Connection says how the TUI reaches a server. With no Server and no AppID
// the TUI runs on the embedded server.
type Connection struct {
	Server    string `toml:"server"`
	AppID     string `toml:"app_id"`
	Region    string `toml:"region"`
	UID       string `toml:"uid"`
	AuthKey   string `toml:"auth_key"`
	AuthToken string `toml:"auth_token"`
	// Insecure skips TLS verification (self-signed development servers).
	Insecure bool `toml:"insecure"`
	// CACert trusts this PEM file in addition to the system roots.
	CACert string `toml:"ca_cert"`
}

// Embedded reports whether the TUI should start its own server.
func (c Connection) Embedded() bool { return c.Server == "" && c.AppID == "" }

// Serve holds the server's settings (cometterm serve, and the embedded one).
type Serve struct {
	HTTP          string        `toml:"http"`
	AppID         string        `toml:"app_id"`
	AuthKey       string        `toml:"auth_key"`
	RESTAPIKey    string        `toml:"rest_api_key"`
	TLSCert       string        `toml:"tls_cert"`
	TLSKey        string        `toml:"tls_key"`
	TLSSelfSigned bool          `toml:"tls_self_signed"`
	SSH           string        `toml:"ssh"`
	SSHOpen       bool          `toml:"ssh_open"`
	SSHIdle       time.Duration `toml:"ssh_idle_timeout"`
	SSHMax        int           `toml:"ssh_max_sessions"`
	WSIdle        time.Duration `toml:"ws_idle_timeout"`
}

// Config is the resolved configuration.
type Config struct {
	Command    Command
	Profile    string
	ConfigFile string
	DataDir    string
	LogFile    string
	LogLevel   slog.Level
	Demo       bool
	Theme      string // auto, dark, light
	Connection Connection
	Serve      Serve
}

// ErrHelp is returned when -h/--help was asked for; usage has been printed.
var ErrHelp = flag.ErrHelp

// Parse resolves the configuration for args (without the program name).
// getenv is os.Getenv in production; usage goes to out.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	cfg := Config{Command: CmdChat, Demo: true, Theme: "auto", LogLevel: slog.LevelInfo}
	if len(args) > 0 && args[0] == "serve" {
		cfg.Command = CmdServe
		args = args[1:]
	} else if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return cfg, fmt.Errorf("unknown command %q (want no command for the chat, or \"serve\")", args[0])
	}

	// The file and profile are named by flag or environment, so find them
	// before the file is read.
	fs := newFlagSet(cfg.Command, out)
	f := bindFlags(fs, cfg.Command)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	cfg.ConfigFile = first(pick(set, "config", f.configFile), getenv("COMETTERM_CONFIG"), DefaultConfigFile(getenv))
	cfg.Profile = first(pick(set, "profile", f.profile), getenv("COMETTERM_PROFILE"))

	file, err := LoadFile(cfg.ConfigFile)
	if err != nil {
		return cfg, err
	}
	if cfg.Profile == "" {
		cfg.Profile = file.DefaultProfile
	}
	if cfg.Profile != "" {
		p, ok := file.Profiles[cfg.Profile]
		if !ok {
			return cfg, fmt.Errorf("profile %q not found in %s", cfg.Profile, cfg.ConfigFile)
		}
		cfg.Connection = p
	}
	cfg.Serve = file.Serve
	if file.DataDir != "" {
		cfg.DataDir = file.DataDir
	}
	if file.LogFile != "" {
		cfg.LogFile = file.LogFile
	}
	if file.Theme != "" {
		cfg.Theme = file.Theme
	}

	applyEnv(&cfg, getenv)
	if err := applyFlags(&cfg, f, set); err != nil {
		return cfg, err
	}

	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir(getenv)
	}
	if cfg.LogFile == "" {
		cfg.LogFile = defaultLogFile(cfg)
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	switch c.Theme {
	case "auto", "dark", "light":
	default:
		return fmt.Errorf("theme must be auto, dark or light, not %q", c.Theme)
	}
	if c.Command == CmdServe {
		if c.Serve.HTTP == "" {
			return errors.New("serve needs --http ADDR (for example 127.0.0.1:8080)")
		}
		if (c.Serve.TLSCert == "") != (c.Serve.TLSKey == "") {
			return errors.New("--tls-cert and --tls-key go together")
		}
		if c.Serve.TLSSelfSigned && c.Serve.TLSCert != "" {
			return errors.New("--tls-self-signed and --tls-cert exclude each other")
		}
		return nil
	}
	conn := c.Connection
	if conn.Embedded() {
		return nil
	}
	if conn.Server != "" && conn.AppID != "" && conn.Region != "" {
		return errors.New("give either --server or --app-id with --region, not both")
	}
	if conn.Server == "" && (conn.AppID == "" || conn.Region == "") {
		return errors.New("CometChat's cloud needs both --app-id and --region")
	}
	if conn.UID == "" && conn.AuthToken == "" {
		return errors.New("log in with --uid and --auth-key, or with --auth-token")
	}
	if conn.AuthToken == "" && conn.AuthKey == "" {
		return errors.New("--uid needs --auth-key (or use --auth-token)")
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func pick(set map[string]bool, name, v string) string {
	if set[name] {
		return v
	}
	return ""
}
