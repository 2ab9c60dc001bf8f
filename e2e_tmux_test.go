package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary inside tmux, as a person would:
// send-keys to type, capture-pane to read the screen.
type tmuxSession struct {
	t    *testing.T
	name string
}

func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (.ci/run installs it): %v", name, err)
		}
		t.Skipf("%s is not installed; skipping the end-to-end terminal test", name)
	}
}

func startTmux(t *testing.T, w, h int, command string) *tmuxSession {
	t.Helper()
	requireTool(t, "tmux")
	s := &tmuxSession{t: t, name: fmt.Sprintf("cometterm-e2e-%d", time.Now().UnixNano())}
	s.run("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command)
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.run(append([]string{"send-keys", "-t", s.name}, keys...)...)
}
func (s *tmuxSession) text(txt string) { s.run("send-keys", "-t", s.name, "-l", txt) }
func (s *tmuxSession) screen() string  { return s.run("capture-pane", "-p", "-t", s.name) }

// waitFor polls the screen until ok says yes, failing at the deadline with
// the last screen.
func (s *tmuxSession) waitFor(what string, timeout time.Duration, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if ok(scr) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, scr)
	return ""
}

func contains(sub string) func(string) bool {
	return func(scr string) bool { return strings.Contains(scr, sub) }
}

var demoNames = regexp.MustCompile(`Captain America|Spiderman|Wolverine|Cyclops`)

// TestEndToEndDemoInTmux starts `cometterm` on a fresh data dir, sees the
// demo conversations, opens a group, sends a message, sees a demo user's
// typing line and reply, and sees the message turn read.
func TestEndToEndDemoInTmux(t *testing.T) {
	dir := t.TempDir()
	cmd := fmt.Sprintf("env -u COMETTERM_SERVER -u COMETTERM_UID XDG_CONFIG_HOME=%s %s --data %s --ssh off",
		filepath.Join(dir, "config"), binary, filepath.Join(dir, "data"))
	s := startTmux(t, 120, 36, cmd)

	s.waitFor("the demo conversations", 30*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Avengers HQ") && strings.Contains(scr, "Captain America") && strings.Contains(scr, "connected")
	})

	// The demo users log in alongside; wait until some are online so that
	// someone is there to answer.
	s.waitFor("demo users online", 30*time.Second, func(scr string) bool {
		return regexp.MustCompile(`●\s+(Captain America|Spiderman|Wolverine|Cyclops)`).MatchString(scr)
	})

	// Focus the conversation list, filter to the group, open it.
	s.keys("Tab")
	s.keys("/")
	s.text("avengers")
	s.keys("Enter")
	s.waitFor("the group header", 10*time.Second, contains("Avengers HQ · public"))

	nonce := fmt.Sprintf("e2e-%d", time.Now().UnixNano()%100000)
	s.text("status check " + nonce + ", anyone around?")
	s.keys("Enter")
	s.waitFor("my message", 10*time.Second, contains(nonce))

	sawTyping, sawReply, sawRead := false, false, false
	deadline := time.Now().Add(45 * time.Second)
	var scr string
	for time.Now().Before(deadline) && !(sawTyping && sawReply && sawRead) {
		scr = s.screen()
		if regexp.MustCompile(`(Captain America|Spiderman|Wolverine|Cyclops|people) (is|are) typing`).MatchString(scr) {
			sawTyping = true
		}
		lines := strings.Split(scr, "\n")
		for i, l := range lines {
			if !strings.Contains(l, nonce) {
				continue
			}
			if strings.Contains(l, "read") {
				sawRead = true
			}
			for _, after := range lines[i+1:] {
				if demoNames.MatchString(after) && !strings.Contains(after, "typing") && regexp.MustCompile(`\d\d:\d\d`).MatchString(after) {
					sawReply = true
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !sawTyping || !sawReply || !sawRead {
		t.Fatalf("typing=%v reply=%v read=%v; screen:\n%s", sawTyping, sawReply, sawRead, scr)
	}

	// ctrl+c quits cleanly: the program exits and tmux closes the session.
	s.keys("C-c")
	deadline = time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "has-session", "-t", s.name).Run() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("cometterm still running 10s after ctrl+c; screen:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
