package realtime

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/server/token"
	"cometterm/store"
)

// BenchmarkPublishGroup measures PublishMessage to a group whose n members
// each have one real socket in this process, until every frame has been
// read by its client. frames/s is what the clients received.
//
// The group, the sockets and their readers are set up once per size and
// kept across the b.N rounds.
func BenchmarkPublishGroup(b *testing.B) {
	for _, n := range []int{100, 1000} {
		var once sync.Once
		var env *publishBench
		b.Run(fmt.Sprintf("conns=%d", n), func(b *testing.B) {
			once.Do(func() { env = newPublishBench(b, n) })
			env.run(b)
		})
		if env != nil {
			env.close()
		}
	}
}

// publishBench is a group of n members, each with one socket whose reader
// counts frames.
type publishBench struct {
	n       int
	db      *store.DB
	hub     *Hub
	srv     *httptest.Server
	msg     chat.Message
	total   atomic.Int64
	tokens  chan struct{}
	conns   []*websocket.Conn
	readers sync.WaitGroup
	dir     string
}

// window is how many messages the publisher may run ahead of the
// readers: well inside every socket's queue.
const window = 32

func newPublishBench(b *testing.B, n int) *publishBench {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "realtime-bench-")
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().Unix()
	if _, err := db.CreateUser(ctx, chat.User{UID: "owner", Name: "Owner", CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.CreateGroup(ctx, chat.Group{GUID: "g", Name: "g", Type: chat.GroupPublic, Owner: "owner", CreatedAt: now}, ""); err != nil {
		b.Fatal(err)
	}
	uids := make([]string, n)
	for i := range uids {
		uids[i] = fmt.Sprintf("u%05d", i)
		if _, err := db.CreateUser(ctx, chat.User{UID: uids[i], Name: uids[i], CreatedAt: now}); err != nil {
			b.Fatal(err)
		}
		if _, _, err := db.AddMember(ctx, "g", uids[i], chat.ScopeParticipant, "owner", now); err != nil {
			b.Fatal(err)
		}
	}
	m, err := db.InsertMessage(ctx, chat.Message{Sender: "owner", Receiver: "g", ReceiverType: chat.ReceiverGroup,
		Category: chat.CategoryMessage, Type: chat.TypeText, Data: chat.MessageData{Text: "hello everyone"}, SentAt: now})
	if err != nil {
		b.Fatal(err)
	}

	pb := &publishBench{n: n, db: db, msg: m, dir: dir, tokens: make(chan struct{}, 1<<16)}
	pb.hub = New(db, Options{AppID: testApp, JWTSecret: testSecret})
	pb.srv = httptest.NewServer(pb.hub)
	url := "ws" + strings.TrimPrefix(pb.srv.URL, "http")
	for _, uid := range uids {
		ws, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		pb.conns = append(pb.conns, ws)
		auth := fmt.Sprintf(`{"appId":%q,"type":"auth","sender":%q,"body":{"auth":%q,"deviceId":"d"}}`, testApp, uid, mintFor(b, uid))
		if err := ws.Write(ctx, websocket.MessageText, []byte(auth)); err != nil {
			b.Fatal(err)
		}
		if _, reply, err := ws.Read(ctx); err != nil || !strings.Contains(string(reply), `"code":"200"`) {
			b.Fatalf("auth: %s %v", reply, err)
		}
		// Each n frames read anywhere is one token.
		pb.readers.Go(func() {
			for {
				if _, _, err := ws.Read(ctx); err != nil {
					return
				}
				if pb.total.Add(1)%int64(n) == 0 {
					pb.tokens <- struct{}{}
				}
			}
		})
	}
	return pb
}

func (pb *publishBench) run(b *testing.B) {
	before := pb.total.Load()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if i >= window {
			<-pb.tokens
		}
		pb.hub.PublishMessage(pb.msg, "bench")
	}
	for range min(b.N, window) {
		<-pb.tokens
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got, want := pb.total.Load()-before, int64(b.N)*int64(pb.n); got != want {
		b.Fatalf("clients read %d frames, want %d", got, want)
	}
	b.ReportMetric(float64(b.N)*float64(pb.n)/elapsed.Seconds(), "frames/s")
}

func (pb *publishBench) close() {
	for _, ws := range pb.conns {
		ws.CloseNow()
	}
	pb.readers.Wait()
	pb.hub.Close()
	pb.srv.Close()
	pb.db.Close()
	os.RemoveAll(pb.dir)
}

func mintFor(b *testing.B, uid string) string {
	b.Helper()
	s, err := token.Mint(testSecret, testApp, uid, "", time.Now(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
