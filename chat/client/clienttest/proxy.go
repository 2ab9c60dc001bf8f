package clienttest

import (
	"net"
	"sync"
	"testing"
)

// Proxy is a TCP proxy on 127.0.0.1 in front of a server. Paused, it
// swallows every byte in both directions (a network that silently stops
// delivering, as when a laptop changes Wi-Fi); connections that lived
// through a pause are cut on Resume because their streams are broken.
type Proxy struct {
	URL  string // http://127.0.0.1:PORT
	Addr string

	target string
	ln     net.Listener
	wg     sync.WaitGroup

	mu      sync.Mutex
	paused  bool
	conns   map[*proxyConn]struct{}
	stopped bool
}

type proxyConn struct {
	client, server net.Conn
	broken         bool // saw a pause
}

// NewProxy starts a proxy to target ("127.0.0.1:PORT"); it stops at
// cleanup.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("clienttest: proxy listen: %v", err)
	}
	p := &Proxy{target: target, ln: ln, Addr: ln.Addr().String(), conns: map[*proxyConn]struct{}{}}
	p.URL = "http://" + p.Addr
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		pc := &proxyConn{client: c, server: s}
		p.mu.Lock()
		if p.stopped {
			p.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		pc.broken = p.paused
		p.conns[pc] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(pc, c, s)
		go p.pipe(pc, s, c)
	}
}

// pipe copies src to dst, dropping what arrives while paused.
func (p *Proxy) pipe(pc *proxyConn, src, dst net.Conn) {
	defer p.wg.Done()
	defer p.drop(pc)
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			paused := p.paused
			if paused {
				pc.broken = true
			}
			p.mu.Unlock()
			if !paused {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) drop(pc *proxyConn) {
	pc.client.Close()
	pc.server.Close()
	p.mu.Lock()
	delete(p.conns, pc)
	p.mu.Unlock()
}

// Pause starts swallowing traffic on every connection, old and new.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = true
	for pc := range p.conns {
		pc.broken = true
	}
}

// Resume forwards again and cuts the connections a pause broke.
func (p *Proxy) Resume() {
	p.mu.Lock()
	p.paused = false
	var broken []*proxyConn
	for pc := range p.conns {
		if pc.broken {
			broken = append(broken, pc)
		}
	}
	p.mu.Unlock()
	for _, pc := range broken {
		pc.client.Close()
		pc.server.Close()
	}
}

// Close stops the proxy and cuts every connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return
	}
	p.stopped = true
	all := make([]*proxyConn, 0, len(p.conns))
	for pc := range p.conns {
		all = append(all, pc)
	}
	p.mu.Unlock()
	p.ln.Close()
	for _, pc := range all {
		pc.client.Close()
		pc.server.Close()
	}
	p.wg.Wait()
}
