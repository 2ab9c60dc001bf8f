package memconn

import (
	"io"
	"net"
	"testing"
)

// frameSize is about one chat message frame on the socket.
const frameSize = 300

// conns returns both ends of a connection of the named kind.
func conns(b *testing.B, kind string) (net.Conn, net.Conn) {
	b.Helper()
	if kind == "memory" {
		c1, c2 := Pipe(0)
		b.Cleanup(func() { c1.Close(); c2.Close() })
		return c1, c2
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	c1, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	c2 := <-accepted
	if c2 == nil {
		b.Fatal("accept failed")
	}
	b.Cleanup(func() { c1.Close(); c2.Close() })
	return c1, c2
}

// BenchmarkWriteRead300 writes a 300-byte frame on one end and reads it
// on the other, in one goroutine: the cost of moving the bytes.
func BenchmarkWriteRead300(b *testing.B) {
	for _, kind := range []string{"memory", "tcp"} {
		b.Run(kind, func(b *testing.B) {
			w, r := conns(b, kind)
			out, in := make([]byte, frameSize), make([]byte, frameSize)
			b.SetBytes(frameSize)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.Write(out); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(r, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPingPong300 sends a 300-byte frame to a goroutine that
// echoes it back: one round trip, with the reader waking for each frame
// as a socket's reader does.
func BenchmarkPingPong300(b *testing.B) {
	for _, kind := range []string{"memory", "tcp"} {
		b.Run(kind, func(b *testing.B) {
			c1, c2 := conns(b, kind)
			go func() {
				buf := make([]byte, frameSize)
				for {
					if _, err := io.ReadFull(c2, buf); err != nil {
						return
					}
					if _, err := c2.Write(buf); err != nil {
						return
					}
				}
			}()
			out, in := make([]byte, frameSize), make([]byte, frameSize)
			b.SetBytes(2 * frameSize)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c1.Write(out); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c1, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
