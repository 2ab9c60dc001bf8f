package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// t0 is the fixed clock the tests start from.
const t0 = int64(1_700_000_000)

func openDB(t testing.TB) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chat.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func newDB(t testing.TB) *store.DB {
	t.Helper()
	db, _ := openDB(t)
	return db
}

func mustUser(t testing.TB, db *store.DB, uid, name string) chat.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), chat.User{UID: uid, Name: name, CreatedAt: t0})
	if err != nil {
		t.Fatalf("create user %s: %v", uid, err)
	}
	return u
}

// groupG is a store with users alice, bob, carol (and any others given,
// each named as itself) and the public group g of alice, bob and carol.
func groupG(t testing.TB, others ...string) *store.DB {
	t.Helper()
	db := newDB(t)
	for _, u := range append([]string{"alice", "bob", "carol"}, others...) {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "alice", chat.GroupPublic, "bob", "carol")
	return db
}

func mustGroup(t testing.TB, db *store.DB, guid, owner string, typ chat.GroupType, members ...string) chat.Group {
	t.Helper()
	ctx := context.Background()
	g, err := db.CreateGroup(ctx, chat.Group{GUID: guid, Name: "Group " + guid, Type: typ, Owner: owner, CreatedAt: t0}, "")
	if err != nil {
		t.Fatalf("create group %s: %v", guid, err)
	}
	for _, uid := range members {
		if _, _, err := db.AddMember(ctx, guid, uid, chat.ScopeParticipant, owner, t0); err != nil {
			t.Fatalf("add %s to %s: %v", uid, guid, err)
		}
	}
	return g
}

func text(from, to string, rt chat.ReceiverType, body string, at int64) chat.Message {
	return chat.Message{
		Sender: from, Receiver: to, ReceiverType: rt,
		Category: chat.CategoryMessage, Type: chat.TypeText,
		Data: chat.MessageData{Text: body}, SentAt: at,
	}
}

func mustSend(t testing.TB, db *store.DB, m chat.Message) chat.Message {
	t.Helper()
	out, err := db.InsertMessage(context.Background(), m)
	if err != nil {
		t.Fatalf("insert message %+v: %v", m, err)
	}
	return out
}

// wantCode fails unless err carries the CometChat code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !chat.HasCode(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// failAtFirstDifference fails the test with the first line where got and
// want (texts that differ) part.
func failAtFirstDifference(t testing.TB, what, got, want string) {
	t.Helper()
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s at line %d:\n got %s\nwant %s", what, i+1, g, w)
		}
	}
}
