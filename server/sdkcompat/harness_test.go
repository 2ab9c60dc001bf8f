package sdkcompat_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// harnessDir is where user.js and its node_modules live, relative to this
// package (go test runs in the package directory).
const harnessDir = "harness"

// sdkModule is the file whose presence says `npm ci` has been run.
var sdkModule = filepath.Join(harnessDir, "node_modules", "@cometchat", "chat-sdk-javascript", "package.json")

// requireNode returns the node binary, or skips (fails under CI=true) when
// the JavaScript side is not installed.
func requireNode(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: CI must install node/npm and run `npm ci --prefix server/sdkcompat/harness`)", msg)
		}
		t.Skipf("%s; to run this test: install Node >= 20 and npm, then `npm ci --prefix server/sdkcompat/harness`", msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found on PATH")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		missing("npm not found on PATH")
	}
	if _, err := os.Stat(sdkModule); err != nil {
		missing("the official SDK is not installed in %s/node_modules", harnessDir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	v, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	m := regexp.MustCompile(`^v(\d+)\.`).FindStringSubmatch(strings.TrimSpace(string(v)))
	if m == nil {
		t.Fatalf("node --version printed %q", v)
	}
	if major, _ := strconv.Atoi(m[1]); major < 20 {
		missing("node %s is too old: the harness needs Node >= 20 (global fetch, FormData, crypto.subtle)", strings.TrimSpace(string(v)))
	}
	return node
}

// msg is one line from a harness process: a reply (has "id") or an event.
type msg map[string]any

func (m msg) str(path ...string) string {
	v := m.get(path...)
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

func (m msg) get(path ...string) any {
	var cur any = map[string]any(m)
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case msg:
			cur = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func (m msg) list(path ...string) []msg {
	raw, _ := m.get(path...).([]any)
	out := make([]msg, 0, len(raw))
	for _, r := range raw {
		if mm, ok := r.(map[string]any); ok {
			out = append(out, msg(mm))
		}
	}
	return out
}

func (m msg) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// fatalEvents mean the SDK broke on something the server sent.
var fatalEvents = map[string]bool{
	"unhandledRejection": true,
	"uncaughtException":  true,
	"listenerError":      true,
}

// sdkUser is one Node process holding one logged-in SDK user.
type sdkUser struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan msg
	events  []msg
	changed chan struct{} // closed and replaced whenever events grows
	exited  chan struct{} // closed when stdout ends
	stderr  lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startUser starts harness/user.js. The process trusts caFile as an extra
// root (certificate verification stays on) and is killed at test end.
func startUser(t *testing.T, node, name, caFile string) *sdkUser {
	t.Helper()
	u := &sdkUser{t: t, name: name, waiting: map[int]chan msg{}, changed: make(chan struct{}), exited: make(chan struct{})}
	cmd := exec.Command(node, "user.js")
	cmd.Dir = harnessDir
	cmd.Env = nodeEnv(caFile)
	cmd.Stderr = &u.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s harness: %v", name, err)
	}
	u.cmd, u.in = cmd, in
	readerDone := make(chan struct{})
	go u.read(out, readerDone)
	t.Cleanup(func() { u.stop(readerDone) })
	u.waitEvent("ready", 30*time.Second, nil)
	return u
}

// nodeEnv is the parent environment minus anything that would weaken TLS
// checks or change how Node loads code, plus the test's CA and tracing.
func nodeEnv(caFile string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_EXTRA_CA_CERTS", "NODE_OPTIONS", "NODE_PATH", "SDKCOMPAT_TRACE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "NODE_EXTRA_CA_CERTS="+caFile, "SDKCOMPAT_TRACE=1")
}

func (u *sdkUser) read(r io.Reader, done chan<- struct{}) {
	defer close(done)
	defer close(u.exited)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var m msg
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			m = msg{"event": "badLine", "message": sc.Text()}
		}
		u.mu.Lock()
		if idf, ok := m["id"].(float64); ok && m["event"] == nil {
			if ch := u.waiting[int(idf)]; ch != nil {
				delete(u.waiting, int(idf))
				ch <- m
			}
		} else {
			u.events = append(u.events, m)
			close(u.changed)
			u.changed = make(chan struct{})
		}
		u.mu.Unlock()
	}
}

// stop ends the process: close stdin (the harness exits), and kill it if
// it has not gone within a few seconds. On failure the SDK's HTTP and
// WebSocket trace goes to the test log.
func (u *sdkUser) stop(readerDone <-chan struct{}) {
	_ = u.in.Close()
	select {
	case <-readerDone:
	case <-time.After(5 * time.Second):
		_ = u.cmd.Process.Kill()
		<-readerDone
	}
	_ = u.cmd.Wait()
	if bad := u.fatal(); bad != nil {
		u.t.Errorf("%s: the SDK failed: %s", u.name, bad)
	}
	if u.t.Failed() {
		u.t.Logf("---- %s: SDK trace (stderr) ----\n%s", u.name, u.stderr.String())
		u.mu.Lock()
		for _, e := range u.events {
			u.t.Logf("%s event: %s", u.name, e)
		}
		u.mu.Unlock()
	}
}

// fatal returns the first event that says the SDK choked.
func (u *sdkUser) fatal() msg {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, e := range u.events {
		if fatalEvents[e.str("event")] {
			return e
		}
	}
	return nil
}

// do sends one command and waits for its reply; a failed reply fails the test.
func (u *sdkUser) do(cmd string, args map[string]any, timeout time.Duration) msg {
	u.t.Helper()
	r := u.try(cmd, args, timeout)
	if r["ok"] != true {
		u.t.Fatalf("%s: %s failed: %s", u.name, cmd, r.get("error"))
	}
	return r
}

// try sends one command and returns its reply, ok or not; it fails the test
// only if no reply comes before the deadline.
func (u *sdkUser) try(cmd string, args map[string]any, timeout time.Duration) msg {
	u.t.Helper()
	u.mu.Lock()
	u.nextID++
	id := u.nextID
	ch := make(chan msg, 1)
	u.waiting[id] = ch
	u.mu.Unlock()

	req := map[string]any{}
	for k, v := range args {
		req[k] = v
	}
	req["id"], req["cmd"] = id, cmd
	line, err := json.Marshal(req)
	if err != nil {
		u.t.Fatal(err)
	}
	if _, err := u.in.Write(append(line, '\n')); err != nil {
		u.t.Fatalf("%s: write %s: %v", u.name, cmd, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r
	case <-u.exited:
		u.t.Fatalf("%s: harness exited during %s", u.name, cmd)
	case <-timer.C:
		if bad := u.fatal(); bad != nil {
			u.t.Fatalf("%s: %s never settled; the SDK failed: %s", u.name, cmd, bad)
		}
		u.t.Fatalf("%s: %s: no reply within %v (an SDK promise that never settles usually means a response lacks a field it needs)", u.name, cmd, timeout)
	}
	return nil
}

// waitEvent waits for the first event named name (from the start of the
// process) that satisfies match, and returns it.
func (u *sdkUser) waitEvent(name string, timeout time.Duration, match func(msg) bool) msg {
	u.t.Helper()
	return u.waitFor(name, timeout, func(e msg) bool {
		return e.str("event") == name && (match == nil || match(e))
	})
}

// waitFor waits for the first event that satisfies match; what names the
// wait in failures. match sees every event once, in order, under u.mu: it
// must not call back into u.
func (u *sdkUser) waitFor(what string, timeout time.Duration, match func(msg) bool) msg {
	u.t.Helper()
	name := what
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	exited := false
	next := 0 // events before this index have been matched already
	for {
		u.mu.Lock()
		for ; next < len(u.events); next++ {
			if e := u.events[next]; match(e) {
				u.mu.Unlock()
				return e
			}
		}
		changed := u.changed
		u.mu.Unlock()
		if bad := u.fatal(); bad != nil {
			u.t.Fatalf("%s: waiting for %s: the SDK failed: %s", u.name, name, bad)
		}
		select {
		case <-changed:
		case <-u.exited:
			// Scan once more: the last lines may have arrived with the exit.
			if exited {
				u.t.Fatalf("%s: harness exited while waiting for %s", u.name, name)
			}
			exited = true
		case <-deadline.C:
			u.t.Fatalf("%s: no %s event within %v", u.name, name, timeout)
		}
	}
}

// expectNoEvent fails if an event named name arrives (or has arrived)
// within d: the SDK judges some things on its own timers, so absence can
// only be checked over a span of time.
func (u *sdkUser) expectNoEvent(name string, d time.Duration) {
	u.t.Helper()
	deadline := time.NewTimer(max(d, 0))
	defer deadline.Stop()
	for {
		u.mu.Lock()
		for _, e := range u.events {
			if e.str("event") == name {
				u.mu.Unlock()
				u.t.Fatalf("%s: unexpected %s event: %s", u.name, name, e)
			}
		}
		changed := u.changed
		u.mu.Unlock()
		select {
		case <-changed:
		case <-u.exited:
			u.t.Fatalf("%s: harness exited while checking for no %s", u.name, name)
		case <-deadline.C:
			return
		}
	}
}

// waitCount waits until n events named name that satisfy match have
// arrived, and returns the nth.
func (u *sdkUser) waitCount(name string, n int, timeout time.Duration, match func(msg) bool) msg {
	u.t.Helper()
	return u.waitFor(fmt.Sprintf("%d %s events", n, name), timeout, func(e msg) bool {
		if e.str("event") != name || (match != nil && !match(e)) {
			return false
		}
		n--
		return n == 0
	})
}
