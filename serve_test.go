package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the cometterm binary built once for the tests that run it as
// a separate process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cometterm-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cometterm")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	testAppID   = "testapp"
	testAuthKey = "authkey-0123456789abcdef"
	testRESTKey = "restkey-0123456789abcdef"
)

// serveProc is `cometterm serve` running as a child process.
type serveProc struct {
	cmd *exec.Cmd
	url string
	out *bytes.Buffer
}

var urlLine = regexp.MustCompile(`URL\s+(https?://\S+)`)

func startServe(t *testing.T, dataDir string, extra ...string) *serveProc {
	t.Helper()
	args := append([]string{"serve", "--http", "127.0.0.1:0", "--data", dataDir,
		"--app-id", testAppID, "--auth-key", testAuthKey, "--rest-api-key", testRESTKey, "--log", filepath.Join(dataDir, "log")}, extra...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, out: &bytes.Buffer{}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out.WriteString(sc.Text() + "\n")
			if m := urlLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not print its URL")
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

// api calls the REST API with the REST key, bounded in time. A server
// that cannot be reached answers with code 0 (the kill -9 test counts on
// it).
func (p *serveProc) api(t *testing.T, method, path, onBehalfOf string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", testRESTKey)
	req.Header.Set("Content-Type", "application/json")
	if onBehalfOf != "" {
		req.Header.Set("onBehalfOf", onBehalfOf)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestServeSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir)
	for _, uid := range []string{"alice", "bob"} {
		if code, body := p.api(t, "POST", "/v3/users", "", map[string]any{"uid": uid, "name": strings.ToUpper(uid)}); code != 200 {
			t.Fatalf("create %s: %d %v", uid, code, body)
		}
	}

	// Four writers send until the process is killed; every message the
	// server acknowledged with 200 is recorded.
	var mu sync.Mutex
	acked := map[string]string{}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000 && ctx.Err() == nil; i++ {
				text := fmt.Sprintf("w%d-%d", w, i)
				code, body := p.api(t, "POST", "/v3/messages", "alice",
					map[string]any{"receiver": "bob", "receiverType": "user", "category": "message", "type": "text", "data": map[string]any{"text": text}})
				if code != 200 {
					return // the server is gone
				}
				id, _ := body["data"].(map[string]any)["id"].(string)
				mu.Lock()
				acked[id] = text
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	stop()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d messages acknowledged before the kill", len(acked))
	}

	p2 := startServe(t, dir)
	found := map[string]string{}
	var after string
	for range 1000 {
		path := "/v3/messages?limit=1000&affix=append"
		if after != "" {
			path += "&id=" + after
		}
		code, body := p2.api(t, "GET", path, "", nil)
		if code != 200 {
			t.Fatalf("list after restart: %d %v", code, body)
		}
		list, _ := body["data"].([]any)
		if len(list) == 0 {
			break
		}
		for _, it := range list {
			m := it.(map[string]any)
			id, _ := m["id"].(string)
			text, _ := m["data"].(map[string]any)["text"].(string)
			found[id] = text
			after = id
		}
	}
	for id, text := range acked {
		if found[id] != text {
			t.Fatalf("acknowledged message %s %q missing after kill -9 (have %q); %d acked, %d found", id, text, found[id], len(acked), len(found))
		}
	}
	t.Logf("%d acknowledged messages all present after kill -9", len(acked))
}

func TestServeGracefulShutdownAndRestart(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir)
	if code, body := p.api(t, "POST", "/v3/users", "", map[string]any{"uid": "owner1", "name": "Owner"}); code != 200 {
		t.Fatalf("create user: %d %v", code, body)
	}
	if code, body := p.api(t, "POST", "/v3/groups", "", map[string]any{"guid": "g1", "name": "G1", "type": "public", "owner": "owner1"}); code != 200 {
		t.Fatalf("create group: %d %v", code, body)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	p2 := startServe(t, dir)
	code, body := p2.api(t, "GET", "/v3/groups/g1", "", nil)
	if code != 200 || body["data"].(map[string]any)["name"] != "G1" {
		t.Fatalf("group after restart: %d %v", code, body)
	}
}

func TestServeRejectsBadFlags(t *testing.T) {
	out, err := exec.Command(binary, "serve").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--http") {
		t.Fatalf("serve without --http: %v %s", err, out)
	}
	out, err = exec.Command(binary, "serve", "--http", "127.0.0.1:0", "--data", t.TempDir(), "--auth-key", "short").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "auth key") {
		t.Fatalf("short auth key: %v %s", err, out)
	}
}
