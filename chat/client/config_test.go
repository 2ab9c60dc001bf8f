package client

import (
	"strings"
	"testing"

	"cometterm/chat/wire"
)

func TestCloudURLs(t *testing.T) {
	tests := []struct {
		appID, region  string
		client, admin  string
		wantErrContain string
	}{
		{"abc123", "us", "https://abc123.apiclient-us.cometchat.io/v3.0", "https://abc123.api-us.cometchat.io/v3.0", ""},
		{"2508a1b", "EU", "https://2508a1b.apiclient-eu.cometchat.io/v3.0", "https://2508a1b.api-eu.cometchat.io/v3.0", ""},
		{"x-y", " in ", "https://x-y.apiclient-in.cometchat.io/v3.0", "https://x-y.api-in.cometchat.io/v3.0", ""},
		{"abc", "asia", "", "", "region"},
		{"abc", "", "", "", "region"},
		{"", "us", "", "", "app id"},
		{"a.b", "us", "", "", "app id"},
		{"a/b", "us", "", "", "app id"},
		{"-ab", "us", "", "", "app id"},
		{"ab-", "us", "", "", "app id"},
		{strings.Repeat("a", 64), "us", "", "", "app id"},
	}
	for _, tt := range tests {
		c, a, err := CloudURLs(tt.appID, tt.region)
		if tt.wantErrContain != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErrContain) {
				t.Errorf("CloudURLs(%q,%q) err = %v, want one about %s", tt.appID, tt.region, err, tt.wantErrContain)
			}
			continue
		}
		if err != nil || c != tt.client || a != tt.admin {
			t.Errorf("CloudURLs(%q,%q) = %q, %q, %v", tt.appID, tt.region, c, a, err)
		}
	}
}

func TestAPIBases(t *testing.T) {
	c, a, err := Config{ServerURL: "http://127.0.0.1:8080/"}.apiBases()
	if err != nil || c != "http://127.0.0.1:8080/v3.0" || a != c {
		t.Fatalf("self-hosted: %q %q %v", c, a, err)
	}
	if _, _, err := (Config{ServerURL: "ftp://x"}).apiBases(); err == nil {
		t.Fatal("ftp scheme accepted")
	}
	if _, _, err := (Config{}).apiBases(); err == nil {
		t.Fatal("empty config accepted")
	}
	c, _, err = Config{AppID: "app1", Region: "us"}.apiBases()
	if err != nil || c != "https://app1.apiclient-us.cometchat.io/v3.0" {
		t.Fatalf("cloud: %q %v", c, err)
	}
}

func TestSocketURL(t *testing.T) {
	tests := []struct {
		cfg  Config
		s    wire.Settings
		want string
	}{
		{Config{ServerURL: "http://127.0.0.1:9000"}, wire.Settings{ChatHost: "127.0.0.1", ChatWSSPort: "9000"}, "ws://127.0.0.1:9000/"},
		{Config{ServerURL: "https://chat.example.com"}, wire.Settings{ChatHost: "chat.example.com", ChatWSSPort: "443"}, "wss://chat.example.com:443/"},
		{Config{ServerURL: "http://[::1]:9000"}, wire.Settings{}, "ws://[::1]:9000/"},
		{Config{ServerURL: "http://localhost:9000"}, wire.Settings{ChatHost: "[::1]", ChatWSSPort: "9001"}, "ws://[::1]:9001/"},
		{Config{AppID: "app1", Region: "eu"}, wire.Settings{ChatHost: "app1.websocket-eu.cometchat.io", ChatWSSPort: "443"}, "wss://app1.websocket-eu.cometchat.io:443/"},
		{Config{AppID: "app1", Region: "eu"}, wire.Settings{ChatHost: "app1.websocket-eu.cometchat.io"}, "wss://app1.websocket-eu.cometchat.io/"},
	}
	for _, tt := range tests {
		got, err := socketURL(tt.cfg, tt.s)
		if err != nil || got != tt.want {
			t.Errorf("socketURL(%+v, %+v) = %q, %v; want %q", tt.cfg, tt.s, got, err, tt.want)
		}
	}
	if _, err := socketURL(Config{AppID: "a", Region: "us"}, wire.Settings{}); err == nil {
		t.Error("cloud without CHAT_HOST accepted")
	}
}
