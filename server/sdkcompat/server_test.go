package sdkcompat_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The cometterm binary, built once per test run from the module root.
var (
	buildOnce sync.Once
	binPath   string
	binDir    string
	buildErr  error
	buildOut  []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func comettermBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "sdkcompat-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "cometterm")
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, "cometterm")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build cometterm: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// servingURL matches what `cometterm serve` logs once it listens (slog text
// handler on stderr with --log -).
var servingURL = regexp.MustCompile(`msg=serving url=https://127\.0\.0\.1:(\d+)`)

// startServer runs `cometterm serve` over TLS with a self-signed
// certificate on a random 127.0.0.1 port and a fresh data dir, with app
// credentials made up for this test. The process is killed at test end.
func startServer(t *testing.T) *testServer {
	t.Helper()
	bin := comettermBinary(t)
	dataDir := t.TempDir()
	s := &testServer{
		appID:   "sdkcompat" + randomHex(t, 4),
		authKey: randomHex(t, 20),
		restKey: randomHex(t, 20),
	}
	cmd := exec.Command(bin, "serve",
		"--http", "127.0.0.1:0",
		"--data", dataDir,
		"--tls-self-signed",
		"--app-id", s.appID,
		"--auth-key", s.authKey,
		"--rest-api-key", s.restKey,
		"--log", "-",
		"--log-level", "debug",
	)
	cmd.Env = serverEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout lockedBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cometterm serve: %v", err)
	}
	var logBuf lockedBuffer
	port := make(chan int, 1)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			logBuf.Write(append(sc.Bytes(), '\n'))
			if m := servingURL.FindSubmatch(sc.Bytes()); m != nil && !sent {
				p, _ := strconv.Atoi(string(m[1]))
				port <- p
				sent = true
			}
		}
	}()
	exited := make(chan error, 1)
	go func() {
		<-readDone
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("---- cometterm serve stdout ----\n%s", stdout.String())
			t.Logf("---- cometterm serve log ----\n%s", logBuf.String())
		}
	})

	select {
	case s.port = <-port:
	case err := <-exited:
		t.Fatalf("cometterm serve exited before serving: %v\nstdout:\n%s\nlog:\n%s", err, stdout.String(), logBuf.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("cometterm serve did not report serving within 60s\nlog:\n%s", logBuf.String())
	}

	// The certificate the server made for itself, in its data dir.
	s.caFile = findCert(t, dataDir)
	s.http = httpsClient(t, s.caFile)
	waitReady(t, s)
	return s
}

// serverEnv keeps COMETTERM_* settings of the developer's shell away from
// the test server.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if len(kv) >= 10 && kv[:10] == "COMETTERM_" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// findCert returns the one PEM file holding a certificate in dir.
func findCert(t *testing.T, dir string) string {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if blk, _ := pem.Decode(b); blk != nil && blk.Type == "CERTIFICATE" {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 1 {
		t.Fatalf("want exactly one certificate in the data dir %s, found %v", dir, found)
	}
	return found[0]
}

// waitReady polls the REST API until it answers over verified TLS.
func waitReady(t *testing.T, s *testServer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, "GET", s.baseURL()+"/v3/users", nil)
		req.Header.Set("apikey", s.restKey)
		resp, err := s.http.Do(req)
		if err == nil {
			resp.Body.Close()
			cancel()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = &statusError{resp.StatusCode}
		} else {
			cancel()
		}
		if time.Now().After(deadline) {
			t.Fatalf("server at %s not ready: %v", s.baseURL(), err)
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not synchronisation
	}
}

type statusError struct{ code int }

func (e *statusError) Error() string { return "HTTP " + strconv.Itoa(e.code) }

// unrelatedCA is a freshly made CA certificate that signed nothing the
// server presents.
func unrelatedCA(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sdkcompat unrelated CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
