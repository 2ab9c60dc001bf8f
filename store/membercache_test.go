package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"cometterm/chat"
)

// MemberUIDs answers from its cache while membership changes under it:
// every answer is the group as it was at some moment during the call.
// One goroutine changes the group (joins, leaves, kicks, bans, users and
// the group itself deleted and made again) and records the rows after
// each change; others ask for the members all along. An answer given
// after change lo had returned and before change hi began must be the
// rows after one of lo…hi. Run it with -race.
func TestMemberUIDsCacheFollowsChanges(t *testing.T) {
	db, path := openDB(t)
	raw, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	t.Cleanup(func() { raw.Close() })
	ctx := context.Background()
	var users []string
	for i := range 16 {
		users = append(users, fmt.Sprintf("u%02d", i))
		mustUser(t, db, users[i], users[i])
	}
	mustGroup(t, db, "g", "u00", chat.GroupPublic, "u01", "u02")
	mustGroup(t, db, "other", "u03", chat.GroupPublic, "u01")

	// rows is the group as SQL has it: its sorted uids, or "gone".
	rows := func() string {
		var exists bool
		must(t, raw.QueryRow(`SELECT EXISTS (SELECT 1 FROM groups WHERE guid = 'g')`).Scan(&exists))
		if !exists {
			return "gone"
		}
		var list string
		must(t, raw.QueryRow(`SELECT coalesce(group_concat(uid, ' '), '') FROM (SELECT uid FROM members WHERE guid = 'g' ORDER BY uid)`).Scan(&list))
		return "[" + list + "]"
	}
	answer := func(uids []string, err error) string {
		if chat.HasCode(err, chat.ErrGUIDNotFound) {
			return "gone"
		}
		if err != nil {
			return "error " + err.Error()
		}
		return "[" + strings.Join(uids, " ") + "]"
	}

	const changes = 400
	states := make([]string, changes+1) // states[k]: the rows after change k
	states[0] = rows()
	var done, started atomic.Int64 // the last change that returned, that began

	type seen struct {
		lo, hi int64
		got    string
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var observed []seen
	stop := make(chan struct{})
	for range 3 {
		wg.Go(func() {
			var mine []seen
			for {
				select {
				case <-stop:
					mu.Lock()
					observed = append(observed, mine...)
					mu.Unlock()
					return
				default:
				}
				lo := done.Load()
				got := answer(db.MemberUIDs(ctx, "g"))
				mine = append(mine, seen{lo, started.Load(), got})
			}
		})
	}

	rng := rand.New(rand.NewPCG(7, 7))
	for k := int64(1); k <= changes; k++ {
		uid := users[rng.IntN(len(users))]
		at := t0 + k
		started.Store(k)
		var err error
		switch n := rng.IntN(100); {
		case n < 35:
			_, _, err = db.AddMember(ctx, "g", uid, chat.ScopeParticipant, uid, at)
		case n < 55:
			_, err = db.RemoveMember(ctx, "g", uid, chat.RemovalLeft, uid, at)
		case n < 65:
			_, err = db.RemoveMember(ctx, "g", uid, chat.RemovalKicked, "", at)
		case n < 72:
			_, err = db.RemoveMember(ctx, "g", uid, chat.RemovalBanned, "", at)
		case n < 80:
			_, err = db.Unban(ctx, "g", uid, "", at)
		case n < 84:
			_, _, err = db.AddMember(ctx, "other", uid, chat.ScopeParticipant, uid, at)
		case n < 88:
			err = db.DeleteUser(ctx, uid)
		case n < 93:
			_, err = db.CreateUser(ctx, chat.User{UID: uid, Name: uid, CreatedAt: at})
		case n < 96:
			err = db.DeleteGroup(ctx, "g")
		default:
			_, err = db.CreateGroup(ctx, chat.Group{GUID: "g", Name: "g", Type: chat.GroupPublic, Owner: uid, CreatedAt: at}, "")
		}
		if err != nil && chat.CodeOf(err) == "" {
			t.Fatalf("change %d: %v", k, err)
		}
		states[k] = rows()
		if got := answer(db.MemberUIDs(ctx, "g")); got != states[k] {
			t.Fatalf("right after change %d: %s, rows %s", k, got, states[k])
		}
		done.Store(k)
	}
	close(stop)
	wg.Wait()

	for _, o := range observed {
		ok := false
		for j := o.lo; j <= o.hi && !ok; j++ {
			ok = states[j] == o.got
		}
		if !ok {
			t.Fatalf("answer %s between changes %d and %d, which left %v", o.got, o.lo, o.hi, states[o.lo:o.hi+1])
		}
	}
	if len(observed) < changes {
		t.Fatalf("only %d answers during %d changes", len(observed), changes)
	}
	t.Logf("%d answers checked", len(observed))
}

// Fan-outs of a group share one cached list of its members; appending to
// it (as the hub does for a kicked member who must see the action) copies
// it rather than writing into the cache.
func TestMemberUIDsShareOneList(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	for _, u := range []string{"u0", "u1", "u2"} {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "g", "u0", chat.GroupPublic, "u1", "u2")
	a, err := db.MemberUIDs(ctx, "g")
	must(t, err)
	b, err := db.MemberUIDs(ctx, "g")
	must(t, err)
	if len(a) != 3 || &a[0] != &b[0] {
		t.Fatalf("two lookups gave two lists: %v, %v", a, b)
	}
	if n := testing.AllocsPerRun(20, func() {
		if _, err := db.MemberUIDs(ctx, "g"); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("a cached lookup allocated %v times", n)
	}
	grown := append(b, "kicked")
	c, err := db.MemberUIDs(ctx, "g")
	must(t, err)
	if strings.Join(c, ",") != "u0,u1,u2" || &grown[0] == &c[0] {
		t.Fatalf("appending wrote into the cached list: %v (grown %v)", c, grown)
	}
}
