package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cometterm/chat"
	"cometterm/store"
)

const killChildEnv = "STORE_KILL9_CHILD_DB"

// TestMain lets this test binary double as the process that gets killed.
func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		os.Exit(killChild(path))
	}
	os.Exit(m.Run())
}

// killChild stores a message, reports its id and waits to be killed.
func killChild(path string) int {
	db, err := store.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx := context.Background()
	for _, uid := range []string{"alice", "bob"} {
		if _, err := db.CreateUser(ctx, chat.User{UID: uid, Name: uid, CreatedAt: t0}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	m, err := db.InsertMessage(ctx, text("alice", "bob", chat.ReceiverUser, "acknowledged", t0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("committed %d\n", m.ID)
	select {} // the parent kills us here, without a Close
}

func TestCommittedMessageSurvivesKill9(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	must(t, err)
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
	}()
	var got string
	select {
	case got = <-line:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child never committed")
	}
	must(t, cmd.Process.Kill()) // SIGKILL
	_ = cmd.Wait()
	id, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(got, "committed ")), 10, 64)
	if err != nil {
		t.Fatalf("child said %q", got)
	}

	db, err := store.Open(path)
	must(t, err)
	defer db.Close()
	m, err := db.Message(context.Background(), chat.ID(id), "bob")
	must(t, err)
	if m.Data.Text != "acknowledged" {
		t.Fatalf("after kill -9: %+v", m)
	}
	c, err := db.Conversation(context.Background(), "bob", "alice_user_bob")
	must(t, err)
	if c.UnreadMessageCount != 1 {
		t.Fatalf("unread after kill -9: %d", c.UnreadMessageCount)
	}
}
