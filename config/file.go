package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// File is the TOML config file:
//
//	default_profile = "work"
//	[profiles.work]
//	server = "https://chat.example.com"
//	uid = "alice"
//	auth_key = "…"
//	[serve]
//	http = "127.0.0.1:8080"
type File struct {
	DefaultProfile string                `toml:"default_profile"`
	DataDir        string                `toml:"data_dir"`
	LogFile        string                `toml:"log_file"`
	Theme          string                `toml:"theme"`
	Profiles       map[string]Connection `toml:"profiles"`
	Serve          Serve                 `toml:"serve"`
}

// LoadFile reads path; a missing file is an empty configuration. Unknown
// keys are an error, so that a typo does not silently do nothing.
func LoadFile(path string) (File, error) {
	var f File
	if path == "" {
		return f, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read config: %w", err)
	}
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return f, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return f, fmt.Errorf("config %s: unknown key %q", path, und[0].String())
	}
	return f, nil
}

// DefaultConfigFile is $XDG_CONFIG_HOME/cometterm/config.toml (or
// ~/.config/…).
func DefaultConfigFile(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "cometterm", "config.toml")
}

// DefaultDataDir is $XDG_DATA_HOME/cometterm (or ~/.local/share/cometterm).
func DefaultDataDir(getenv func(string) string) string {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return filepath.Join(os.TempDir(), "cometterm")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "cometterm")
}

func defaultLogFile(c Config) string {
	if c.Command == CmdServe {
		return "-" // a server logs to stderr; the TUI owns the screen otherwise
	}
	return filepath.Join(c.DataDir, "cometterm.log")
}
