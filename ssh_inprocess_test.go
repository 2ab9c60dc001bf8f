package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/server/memconn"
)

// connCounter counts the connections the node's HTTP server takes, by
// network ("tcp" or "memory").
type connCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *connCounter) state(conn net.Conn, s http.ConnState) {
	if s != http.StateNew {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[conn.LocalAddr().Network()]++
}

func (c *connCounter) get(network string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[network]
}

// TestSSHSessionClientInProcess runs the node and the SSH front door in
// this process and shows where an SSH session's chat client connects:
// through the in-memory listener by default (no TCP connection reaches
// the node for it), over TCP with OverTCP. Either way it talks with a
// WebSocket client on TCP through the same server, both ways.
func TestSSHSessionClientInProcess(t *testing.T) {
	for _, overTCP := range []bool{false, true} {
		t.Run(fmt.Sprintf("overTCP=%v", overTCP), func(t *testing.T) {
			counts := &connCounter{n: map[string]int{}}
			dir := t.TempDir()
			log := slog.New(slog.DiscardHandler)
			n, err := startNode(context.Background(), nodeSpec{
				DataDir: dir, HTTPAddr: "127.0.0.1:0",
				AppID: testAppID, AuthKey: testAuthKey, RESTKey: testRESTKey,
				Logger: log, connState: counts.state,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				n.Close(ctx)
			})
			front, err := startSSH(n, sshSpec{Addr: "127.0.0.1:0", DataDir: dir, OverTCP: overTCP}, log)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				front.Close(ctx)
			})

			p := &serveProc{url: n.URL}
			for _, u := range []string{"alice", "carol"} {
				p.mustAPI(t, "POST", "/v3/users", "", map[string]any{"uid": u, "name": strings.ToUpper(u[:1]) + u[1:]})
			}
			http.DefaultClient.CloseIdleConnections()
			tcpBefore := counts.get("tcp")

			f := &chatFixture{p: p, addr: front.Addr, nonce: fmt.Sprintf("%04d", time.Now().UnixNano()%10000)}
			alice := f.ssh(t, "alice") // waits until her client is connected
			tcp, mem := counts.get("tcp")-tcpBefore, counts.get(memconn.Network)
			t.Logf("alice's login and socket: %d TCP, %d in-memory connections", tcp, mem)
			if overTCP {
				if tcp == 0 || mem != 0 {
					t.Fatalf("over TCP, alice's client made %d TCP and %d in-memory connections", tcp, mem)
				}
			} else if tcp != 0 || mem == 0 {
				t.Fatalf("in-process, alice's client made %d TCP and %d in-memory connections", tcp, mem)
			}

			carol := loginWS(t, p, "carol")
			carol.waitConnected()
			f.carol = carol
			hello := "hello alice " + f.nonce
			f.send(t, "alice", chat.ReceiverUser, hello)
			alice.waitText(hello)

			alice.open("Carol")
			reply := "hi carol " + f.nonce
			alice.keys(reply + "\r")
			carol.waitEvent("alice's reply", 15*time.Second, isText("alice", "carol", chat.ReceiverUser, reply))
			if !overTCP && counts.get(memconn.Network) == 0 {
				t.Fatal("no in-memory connection")
			}
		})
	}
}
