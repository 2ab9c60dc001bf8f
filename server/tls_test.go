package server_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"cometterm/server"
)

func TestSelfSignedTLS(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	certFile, keyFile, err := server.SelfSignedCert(dir, []string{"chat.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(certFile)
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	// A second start reuses the pair, so trust given to it lasts.
	c2, k2, err := server.SelfSignedCert(dir, []string{"chat.example.test"})
	if err != nil || c2 != certFile || k2 != keyFile {
		t.Fatalf("second call: %s %s %v", c2, k2, err)
	}
	if again, _ := os.ReadFile(certFile); !bytes.Equal(first, again) {
		t.Fatal("certificate regenerated without need")
	}

	cfg, err := server.LoadTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.TLS = cfg
	ts.StartTLS()
	defer ts.Close()

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(first) {
		t.Fatal("cert is not PEM")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	req, _ := http.NewRequest("GET", ts.URL+"/v3/users", nil) // ts.URL is https://127.0.0.1:port
	req.Header.Set("apikey", testRESTKey)
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("https with the generated cert as root: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}

	// A host the certificate does not name makes a new one.
	if _, _, err := server.SelfSignedCert(dir, []string{"other.example.test"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(certFile); bytes.Equal(first, again) {
		t.Fatal("certificate not renewed for a new host")
	}
	if _, err := server.LoadTLS(certFile, "/nonexistent"); err == nil {
		t.Fatal("LoadTLS accepted a missing key")
	}
}
