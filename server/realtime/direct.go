package realtime

import (
	"context"
	"net"
	"net/http"
)

// connKey is the context key under which ConnContext keeps a request's
// connection.
type connKey struct{}

// ConnContext is for http.Server.ConnContext: it lets the hub see the
// connection under an upgrade request. A socket whose connection can tell
// how many bytes it takes without blocking (an in-process connection) is
// written to directly by whoever fans frames out, when there is room,
// instead of through its writer goroutine.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// writeSpacer is a connection that knows how many bytes a Write would
// take now without blocking.
type writeSpacer interface{ WriteSpace() int }

// spaceOf returns how to ask r's connection for room, or nil when it
// cannot tell (a TCP socket).
func spaceOf(r *http.Request) func() int {
	if s, ok := r.Context().Value(connKey{}).(writeSpacer); ok {
		return s.WriteSpace
	}
	return nil
}
