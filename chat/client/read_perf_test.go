package client

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// BenchmarkReadFrame reads 700-byte frames from a local socket as the
// reader does, and as it did before with a cancellable context per read
// (the socket library then registers a callback on the context for each
// frame).
func BenchmarkReadFrame(b *testing.B) {
	frame := []byte(`{"type":"message","body":"` + strings.Repeat("x", 670) + `"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			if err := ws.Write(context.Background(), websocket.MessageText, frame); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	for _, mode := range []string{"background", "cancellable"} {
		b.Run(mode, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer ws.CloseNow()
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				if mode == "background" {
					_, err = readFrame(ws, &buf)
				} else {
					buf.Reset()
					var r interface{ Read([]byte) (int, error) }
					if _, r, err = ws.Reader(ctx); err == nil {
						_, err = buf.ReadFrom(r)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
