package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cometterm/bench/internal/benchbuild"
)

// server is `cometterm serve` running as a child process.
type server struct {
	cmd     *exec.Cmd
	url     string
	sshAddr string
	dataDir string
	pprof   string // the server's profiler address, if asked for
	exited  chan error
	http    *http.Client
	restKey string
	keepLog string // where to copy the server log on Close, if anywhere
}

var (
	urlLine = regexp.MustCompile(`URL\s+(https?://\S+)`)
	sshLine = regexp.MustCompile(`SSH\s+ssh -p (\d+) \S+@(\S+)`)
)

// startServer builds the binary from the module root and starts serve
// with HTTP and keyless SSH on free loopback ports.
func startServer(ctx context.Context, c config, log *slog.Logger) (*server, error) {
	log.Info("building server", "binary", c.binary)
	bin, err := benchbuild.Binary(ctx, c.binary)
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "bench-ssh-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--http", "127.0.0.1:0", "--ssh", "127.0.0.1:0", "--ssh-open",
		"--ssh-max-sessions", strconv.Itoa(c.sessions+10), "--data", dataDir,
		"--app-id", c.appID, "--auth-key", c.authKey, "--rest-api-key", c.restK,
		"--log", filepath.Join(dataDir, "server.log"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}
	cmd.Stderr = os.Stderr
	cmd.Env = os.Environ()
	if c.serverMemLimit != "" {
		cmd.Env = append(cmd.Env, "GOMEMLIMIT="+c.serverMemLimit)
	}
	if c.serverGOGC != "" {
		cmd.Env = append(cmd.Env, "GOGC="+c.serverGOGC)
	}
	var pprofAddr string
	if c.serverProfile != "" || c.serverHeap != "" || c.serverGoroutines != "" || c.serverBlock != "" || c.serverTrace != "" || c.serverHeapEnd != "" || c.serverMemStats != "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			os.RemoveAll(dataDir)
			return nil, err
		}
		pprofAddr = ln.Addr().String()
		ln.Close()
		cmd.Env = append(cmd.Env, "COMETTERM_PPROF="+pprofAddr)
		if c.serverBlock != "" {
			cmd.Env = append(cmd.Env, "COMETTERM_PPROF_BLOCK=1")
		}
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("start server: %w", err)
	}
	s := &server{cmd: cmd, dataDir: dataDir, pprof: pprofAddr, exited: make(chan error, 1), restKey: c.restK, keepLog: c.serverLog}
	type banner struct{ url, ssh string }
	found := make(chan banner, 1)
	go func() {
		var b banner
		sc := bufio.NewScanner(stdout)
		for sc.Scan() { // drains stdout until the process exits
			if m := urlLine.FindStringSubmatch(sc.Text()); m != nil {
				b.url = m[1]
			}
			if m := sshLine.FindStringSubmatch(sc.Text()); m != nil {
				b.ssh = net.JoinHostPort(m[2], m[1])
			}
			if b.url != "" && b.ssh != "" {
				found <- b
				b = banner{url: "-", ssh: "-"} // report once
			}
		}
		s.exited <- cmd.Wait()
	}()
	select {
	case b := <-found:
		s.url, s.sshAddr = b.url, b.ssh
	case err := <-s.exited:
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("server exited before its banner: %v", err)
	case <-time.After(60 * time.Second):
		s.Close()
		return nil, errors.New("server printed no banner within 60s")
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	s.http = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	log.Info("server started", "url", s.url, "ssh", s.sshAddr, "pid", cmd.Process.Pid, "data", dataDir)
	return s, nil
}

// Close stops the server politely (SIGINT), then hard after 15s, and
// removes its data.
func (s *server) Close() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	if s.http != nil {
		s.http.CloseIdleConnections()
	}
	if s.keepLog != "" {
		if b, err := os.ReadFile(filepath.Join(s.dataDir, "server.log")); err == nil {
			_ = os.WriteFile(s.keepLog, b, 0o644)
		}
	}
	os.RemoveAll(s.dataDir)
}

// api calls the REST API with the REST key.
func (s *server) api(ctx context.Context, method, path, onBehalfOf string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("apikey", s.restKey)
	req.Header.Set("Content-Type", "application/json")
	if onBehalfOf != "" {
		req.Header.Set("onBehalfOf", onBehalfOf)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s %s: %d: %w", method, path, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return out, fmt.Errorf("%s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out, nil
}

// cpuProfile fetches a CPU profile of the server over d into file.
func (s *server) cpuProfile(ctx context.Context, d time.Duration, file string) error {
	return s.profile(ctx, fmt.Sprintf("profile?seconds=%d", max(1, int(d.Seconds()))), d, file)
}

// profile fetches /debug/pprof/<what> into file.
func (s *server) profile(ctx context.Context, what string, d time.Duration, file string) error {
	url := fmt.Sprintf("http://%s/debug/pprof/%s", s.pprof, what)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: d + 30*time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server profile: %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rssKB is the server's resident set size (VmRSS) in KiB.
func (s *server) rssKB() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, errors.New("no VmRSS line")
}

// cpuTime is the server's user+system CPU time so far.
func (s *server) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, nil
}

// raiseFileLimit lifts the soft RLIMIT_NOFILE to the hard limit; the
// server child inherits it.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return 0, err
		}
	}
	return lim.Cur, nil
}
