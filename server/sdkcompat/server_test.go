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
	"fmt"
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

// comettermBinary is $SDKCOMPAT_COMETTERM_BIN when set (a binary built
// beforehand, e.g. once for all of CI), else cometterm built from this
// working tree.
func comettermBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("SDKCOMPAT_COMETTERM_BIN"); bin != "" {
		return bin
	}
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

// The banner `cometterm serve` prints on stdout once it listens.
var (
	bannerURL  = regexp.MustCompile(`^\s*URL\s+https://127\.0\.0\.1:(\d+)\s`)
	bannerCert = regexp.MustCompile(`^\s*TLS cert\s+(\S.*?)\s*$`)
	bannerApp  = regexp.MustCompile(`^\s*App ID\s+(\S+)\s*$`)
	bannerData = regexp.MustCompile(`^\s*Data\s+`)
)

// banner is what the test reads from the server's banner.
type banner struct {
	port     int
	certFile string
	appID    string
}

// startServer runs `cometterm serve` over TLS with a self-signed
// certificate on a random 127.0.0.1 port and a fresh data dir, with app
// credentials made up for this test. The process is stopped at test end.
func startServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{
		appID:   "sdkcompat" + randomHex(t, 4),
		authKey: randomHex(t, 20),
		restKey: randomHex(t, 20),
		dataDir: t.TempDir(),
	}
	s.start(t, "127.0.0.1:0")
	return s
}

// restart stops the server and starts it again on the same port with the
// same data dir, as an operator would.
func (s *testServer) restart(t *testing.T) {
	t.Helper()
	s.stop()
	s.start(t, fmt.Sprintf("127.0.0.1:%d", s.port))
}

func (s *testServer) start(t *testing.T, addr string) {
	t.Helper()
	bin := comettermBinary(t)
	cmd := exec.Command(bin, "serve",
		"--http", addr,
		"--data", s.dataDir,
		"--tls-self-signed",
		"--app-id", s.appID,
		"--auth-key", s.authKey,
		"--rest-api-key", s.restKey,
		"--log", "-",
		"--log-level", "debug",
	)
	cmd.Env = serverEnv()
	var logBuf, outBuf lockedBuffer
	cmd.Stderr = &logBuf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cometterm serve: %v", err)
	}
	ready := make(chan banner, 1)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		var b banner
		sent := false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			outBuf.Write([]byte(line + "\n"))
			if m := bannerURL.FindStringSubmatch(line); m != nil {
				b.port, _ = strconv.Atoi(m[1])
			}
			if m := bannerCert.FindStringSubmatch(line); m != nil {
				b.certFile = m[1]
			}
			if m := bannerApp.FindStringSubmatch(line); m != nil {
				b.appID = m[1]
			}
			if bannerData.MatchString(line) && !sent {
				ready <- b
				sent = true
			}
		}
	}()
	exited := make(chan error, 1)
	go func() {
		<-readDone
		exited <- cmd.Wait()
	}()
	var stopOnce sync.Once
	s.stop = func() {
		stopOnce.Do(func() {
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case err := <-exited:
				if err != nil && !t.Failed() {
					t.Errorf("cometterm serve did not stop cleanly on interrupt: %v\nlog:\n%s", err, logBuf.String())
				}
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				t.Errorf("cometterm serve did not stop within 15s of an interrupt")
			}
		})
	}
	stop := s.stop
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("---- cometterm serve (%s) stdout ----\n%s", addr, outBuf.String())
			t.Logf("---- cometterm serve (%s) log ----\n%s", addr, logBuf.String())
		}
	})

	var b banner
	select {
	case b = <-ready:
	case err := <-exited:
		t.Fatalf("cometterm serve exited before serving: %v\nstdout:\n%s\nlog:\n%s", err, outBuf.String(), logBuf.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("cometterm serve printed no banner within 60s\nstdout:\n%s\nlog:\n%s", outBuf.String(), logBuf.String())
	}
	if b.port == 0 || b.certFile == "" || b.appID != s.appID {
		t.Fatalf("banner lacks an https URL on 127.0.0.1, the TLS cert or our app id %s:\n%s", s.appID, outBuf.String())
	}
	if s.caFile != "" && (b.port != s.port || b.certFile != s.caFile) {
		t.Fatalf("restarted server moved: port %d, cert %s; was %d, %s", b.port, b.certFile, s.port, s.caFile)
	}
	s.port, s.caFile = b.port, b.certFile
	s.http = httpsClient(t, s.caFile)
	waitReady(t, s)
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
