package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsAreEmbedded(t *testing.T) {
	cfg, err := Parse(nil, envFrom(map[string]string{"HOME": "/home/x"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Command != CmdChat || !cfg.Connection.Embedded() || !cfg.Demo {
		t.Fatalf("cfg = %+v", cfg)
	}
	if cfg.DataDir != "/home/x/.local/share/cometterm" {
		t.Errorf("data dir = %q", cfg.DataDir)
	}
	if cfg.ConfigFile != "/home/x/.config/cometterm/config.toml" {
		t.Errorf("config file = %q", cfg.ConfigFile)
	}
	if cfg.LogFile != "/home/x/.local/share/cometterm/cometterm.log" {
		t.Errorf("log file = %q", cfg.LogFile)
	}
}

func TestPrecedenceFileEnvFlags(t *testing.T) {
	file := writeFile(t, `
default_profile = "work"
[profiles.work]
server = "http://file:1"
uid = "fileuid"
auth_key = "filekey"
[profiles.other]
server = "http://other:2"
uid = "otheruid"
auth_key = "k"
`)
	env := map[string]string{"HOME": "/h", "COMETTERM_CONFIG": file}

	cfg, err := Parse(nil, envFrom(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connection.Server != "http://file:1" || cfg.Connection.UID != "fileuid" {
		t.Fatalf("file values not used: %+v", cfg.Connection)
	}

	env["COMETTERM_UID"] = "envuid"
	cfg, err = Parse(nil, envFrom(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connection.UID != "envuid" || cfg.Connection.Server != "http://file:1" {
		t.Fatalf("env should override file: %+v", cfg.Connection)
	}

	cfg, err = Parse([]string{"--uid", "flaguid"}, envFrom(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connection.UID != "flaguid" {
		t.Fatalf("flag should override env: %+v", cfg.Connection)
	}

	cfg, err = Parse([]string{"--profile", "other"}, envFrom(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connection.Server != "http://other:2" || cfg.Connection.UID != "envuid" {
		t.Fatalf("profile other: %+v", cfg.Connection)
	}
}

func TestServeFlags(t *testing.T) {
	cfg, err := Parse([]string{"serve", "--http", "127.0.0.1:9", "--ssh", "127.0.0.1:2222", "--ssh-open", "--tls-self-signed", "--app-id", "a1"},
		envFrom(map[string]string{"HOME": "/h", "COMETTERM_AUTH_KEY": "ak"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Serve
	if cfg.Command != CmdServe || s.HTTP != "127.0.0.1:9" || s.SSH != "127.0.0.1:2222" || !s.SSHOpen || !s.TLSSelfSigned || s.AppID != "a1" || s.AuthKey != "ak" {
		t.Fatalf("serve = %+v", s)
	}
	if cfg.LogFile != "-" {
		t.Errorf("serve logs to %q, want stderr", cfg.LogFile)
	}
}

func TestErrors(t *testing.T) {
	env := envFrom(map[string]string{"HOME": "/h"})
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown command":      {[]string{"launch"}, "unknown command"},
		"serve without http":   {[]string{"serve"}, "--http"},
		"cert without key":     {[]string{"serve", "--http", "x:1", "--tls-cert", "c"}, "go together"},
		"cloud without region": {[]string{"--app-id", "a", "--uid", "u", "--auth-key", "k"}, "--region"},
		"no credentials":       {[]string{"--server", "http://x"}, "log in with"},
		"uid without key":      {[]string{"--server", "http://x", "--uid", "u"}, "--auth-key"},
		"bad theme":            {[]string{"--theme", "pink"}, "theme"},
		"bad log level":        {[]string{"--log-level", "loud"}, "log level"},
		"stray argument":       {[]string{"--no-demo", "extra"}, "unexpected argument"},
		"unknown flag":         {[]string{"--nope"}, "not defined"},
	}
	for name, tc := range cases {
		_, err := Parse(tc.args, env, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, tc.want)
		}
	}
}

func TestFileErrors(t *testing.T) {
	bad := writeFile(t, "default_profile = \"x\"\nsevrer = 1\n")
	_, err := Parse(nil, envFrom(map[string]string{"HOME": "/h", "COMETTERM_CONFIG": bad}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Fatalf("typo in file: err = %v", err)
	}
	missing := writeFile(t, "default_profile = \"nope\"\n")
	_, err = Parse(nil, envFrom(map[string]string{"HOME": "/h", "COMETTERM_CONFIG": missing}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("missing profile: err = %v", err)
	}
	broken := writeFile(t, "[profiles\n")
	if _, err := LoadFile(broken); err == nil {
		t.Fatal("broken TOML accepted")
	}
	if f, err := LoadFile(filepath.Join(t.TempDir(), "absent.toml")); err != nil || f.Profiles != nil {
		t.Fatalf("absent file: %v %+v", err, f)
	}
}

func FuzzLoadFile(f *testing.F) {
	f.Add("default_profile = \"a\"\n[profiles.a]\nserver = \"http://x\"\n")
	f.Add("[serve]\nhttp = \"127.0.0.1:1\"\nssh_idle_timeout = 5\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "c.toml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _ = LoadFile(p) // must not panic
	})
}
