package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cometterm/chat"
	"cometterm/store"
)

// The member fixtures in testdata were recorded with the store at schema
// version 4, when a group's membersCount was counted from its members rows
// on every read:
//   - members_v4.sql.gz: the rows memberScenario left in a version 4
//     database, dumped as INSERT statements;
//   - members_v4.log.gz: memberScenario's log (every call's answer and the
//     counts after it);
//   - members_v4.views: memberViews after it;
//   - members_v4_after.log.gz: memberAfter's log.
//
// A later schema must answer the same, both when it migrates that database
// and when it runs the scenario from scratch, and every count must equal
// the members rows after every call. Set STORE_UPDATE_MEMBER_FIXTURES=1
// to record them again (only ever with the store they are meant to pin).
const updateMemberFixtures = "STORE_UPDATE_MEMBER_FIXTURES"

var (
	mcUsers  = []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "u11"}
	mcGroups = []string{"ga", "gb", "gc"}
)

// mcRun plays a random but fixed stream of membership changes on a few
// groups: joins, adds, leaves, kicks, bans of members and non-members,
// unbans, scope changes, owner transfers, posts, groups deleted and made
// again, users deactivated, deleted and made again. After every call it
// checks each group's count, as every read shows it, against the members
// rows counted in SQL.
type mcRun struct {
	t   testing.TB
	db  *store.DB
	raw *sql.DB // the same file, read around the store
	rng *rand.Rand
	log strings.Builder
	at  int64
}

func newMCRun(t testing.TB, db *store.DB, path string, seed uint64) *mcRun {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	t.Cleanup(func() { raw.Close() })
	return &mcRun{t: t, db: db, raw: raw, rng: rand.New(rand.NewPCG(seed, 4)), at: t0}
}

func (r *mcRun) pick(list []string) string { return list[r.rng.IntN(len(list))] }

// counted returns the members rows of guid, or nil and false when the
// group does not exist.
func (r *mcRun) counted(guid string) ([]string, bool) {
	r.t.Helper()
	var exists bool
	must(r.t, r.raw.QueryRow(`SELECT EXISTS (SELECT 1 FROM groups WHERE guid = ?)`, guid).Scan(&exists))
	if !exists {
		return nil, false
	}
	rows, err := r.raw.Query(`SELECT uid FROM members WHERE guid = ? ORDER BY uid`, guid)
	must(r.t, err)
	defer rows.Close()
	uids := []string{}
	for rows.Next() {
		var uid string
		must(r.t, rows.Scan(&uid))
		uids = append(uids, uid)
	}
	must(r.t, rows.Err())
	return uids, true
}

// missing returns a key of table (mcGroups or mcUsers) that has no row,
// to bring back what was deleted; or, when all are there, key.
func (r *mcRun) missing(table, col, key string) string {
	r.t.Helper()
	keys := mcUsers
	if table == "groups" {
		keys = mcGroups
	}
	for _, k := range keys {
		var exists bool
		must(r.t, r.raw.QueryRow(`SELECT EXISTS (SELECT 1 FROM `+table+` WHERE `+col+` = ?)`, k).Scan(&exists))
		if !exists {
			return k
		}
	}
	return key
}

// oneOf returns, three times in four, a uid of guid's rows in table
// (members or bans), so that most leaves, kicks and unbans find someone;
// otherwise, or when there is nobody, uid.
func (r *mcRun) oneOf(table, guid, uid string) string {
	r.t.Helper()
	if r.rng.IntN(4) == 0 {
		return uid
	}
	rows, err := r.raw.Query(`SELECT uid FROM `+table+` WHERE guid = ? ORDER BY uid`, guid)
	must(r.t, err)
	defer rows.Close()
	var uids []string
	for rows.Next() {
		var u string
		must(r.t, rows.Scan(&u))
		uids = append(uids, u)
	}
	must(r.t, rows.Err())
	if len(uids) == 0 {
		return uid
	}
	return r.pick(uids)
}

// check compares every read of every group with the rows.
func (r *mcRun) check(step string) {
	r.t.Helper()
	ctx := context.Background()
	fail := func(format string, args ...any) {
		r.t.Helper()
		r.t.Fatalf("after %s: %s", step, fmt.Sprintf(format, args...))
	}
	listed, _, err := r.db.ListGroups(ctx, chat.GroupQuery{Page: chat.Page{PerPage: 100, Page: 1}})
	must(r.t, err)
	byGUID := map[string]chat.Group{}
	for _, g := range listed {
		byGUID[g.GUID] = g
	}
	for _, guid := range mcGroups {
		want, exists := r.counted(guid)
		for _, asker := range []string{"", r.pick(mcUsers)} {
			g, err := r.db.Group(ctx, guid, asker)
			switch {
			case !exists && !chat.HasCode(err, chat.ErrGUIDNotFound):
				fail("group %s is gone but reads as %+v, %v", guid, g, err)
			case exists && err != nil:
				fail("group %s: %v", guid, err)
			case exists && g.MembersCount != len(want):
				fail("group %s as %q counts %d members, rows %d", guid, asker, g.MembersCount, len(want))
			}
		}
		uids, err := r.db.MemberUIDs(ctx, guid)
		switch {
		case !exists && !chat.HasCode(err, chat.ErrGUIDNotFound):
			fail("member uids of gone group %s: %v %v", guid, uids, err)
		case exists && (err != nil || !slices.Equal(uids, want)):
			fail("member uids of %s: %v %v, rows %v", guid, uids, err, want)
		}
		if !exists {
			if _, ok := byGUID[guid]; ok {
				fail("gone group %s is listed", guid)
			}
			continue
		}
		if g, ok := byGUID[guid]; !ok || g.MembersCount != len(want) {
			fail("group %s listed with %d members (listed %v), rows %d", guid, g.MembersCount, ok, len(want))
		}
		_, total, err := r.db.ListMembers(ctx, guid, chat.MemberQuery{Page: chat.Page{PerPage: 100, Page: 1}})
		if err != nil || total != len(want) {
			fail("members of %s: total %d, %v; rows %d", guid, total, err, len(want))
		}
	}
}

// counts prints each group's count for the log.
func (r *mcRun) counts() string {
	r.t.Helper()
	var parts []string
	for _, guid := range mcGroups {
		g, err := r.db.Group(context.Background(), guid, "")
		if err != nil {
			parts = append(parts, guid+"=-")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%d", guid, g.MembersCount))
	}
	return strings.Join(parts, " ")
}

// outcome prints a call's answer: ok, or the CometChat code of a refusal.
func (r *mcRun) outcome(err error) string {
	r.t.Helper()
	if err == nil {
		return "ok"
	}
	var ce *chat.Error
	if !errors.As(err, &ce) {
		r.t.Fatalf("unexpected error: %v", err)
	}
	return ce.Code
}

// wantEntityCount checks the group a stored message names (the action's
// "for" group, a post's receiver) against the rows right after the call.
func (r *mcRun) wantEntityCount(step string, m chat.Message, e *chat.Entity) {
	r.t.Helper()
	if m.ID == 0 {
		return
	}
	want, _ := r.counted(m.Receiver)
	if e == nil || e.Group == nil || e.Group.MembersCount != len(want) {
		r.t.Fatalf("after %s: message %d names its group with %+v, rows %d", step, m.ID, e, len(want))
	}
}

// step makes one random call, logs it and checks every count.
func (r *mcRun) step(i int) {
	r.t.Helper()
	ctx := context.Background()
	r.at++
	at := r.at
	guid, uid, by := r.pick(mcGroups), r.pick(mcUsers), r.pick(mcUsers)
	if r.rng.IntN(8) == 0 {
		by = "" // the system
	}
	var op string
	var err error
	var action chat.Message
	var ent *chat.Entity
	switch n := r.rng.IntN(100); {
	case n < 22:
		op = fmt.Sprintf("join %s %s", guid, uid)
		_, action, err = r.db.AddMember(ctx, guid, uid, chat.ScopeParticipant, uid, at)
	case n < 36:
		scope := []chat.Scope{chat.ScopeParticipant, chat.ScopeModerator, chat.ScopeAdmin}[r.rng.IntN(3)]
		op = fmt.Sprintf("add %s %s as %s by %q", guid, uid, scope, by)
		_, action, err = r.db.AddMember(ctx, guid, uid, scope, by, at)
	case n < 46:
		uid = r.oneOf("members", guid, uid)
		op = fmt.Sprintf("leave %s %s", guid, uid)
		action, err = r.db.RemoveMember(ctx, guid, uid, chat.RemovalLeft, uid, at)
	case n < 54:
		uid = r.oneOf("members", guid, uid)
		op = fmt.Sprintf("kick %s %s by %q", guid, uid, by)
		action, err = r.db.RemoveMember(ctx, guid, uid, chat.RemovalKicked, by, at)
	case n < 62:
		op = fmt.Sprintf("ban %s %s by %q", guid, uid, by)
		action, err = r.db.RemoveMember(ctx, guid, uid, chat.RemovalBanned, by, at)
	case n < 70:
		uid = r.oneOf("bans", guid, uid)
		op = fmt.Sprintf("unban %s %s by %q", guid, uid, by)
		action, err = r.db.Unban(ctx, guid, uid, by, at)
	case n < 74:
		op = fmt.Sprintf("scope %s %s", guid, uid)
		_, action, err = r.db.ChangeScope(ctx, guid, uid, chat.ScopeModerator, by, at)
	case n < 77:
		op = fmt.Sprintf("owner %s %s", guid, uid)
		_, err = r.db.TransferOwner(ctx, guid, uid, by, at)
	case n < 85:
		op = fmt.Sprintf("post %s from %s", guid, uid)
		action, err = r.db.InsertMessage(ctx, text(uid, guid, chat.ReceiverGroup, "hello", at))
		ent = action.Data.Entities.Receiver
	case n < 86:
		op = "delete group " + guid
		err = r.db.DeleteGroup(ctx, guid)
	case n < 92:
		owner := uid
		if r.rng.IntN(4) == 0 {
			owner = ""
		}
		guid = r.missing("groups", "guid", guid)
		op = fmt.Sprintf("create group %s owned by %q", guid, owner)
		_, err = r.db.CreateGroup(ctx, chat.Group{GUID: guid, Name: guid, Type: chat.GroupPublic, Owner: owner, CreatedAt: at}, "")
	case n < 93:
		op = "delete user " + uid
		err = r.db.DeleteUser(ctx, uid)
	case n < 96:
		uid = r.missing("users", "uid", uid)
		op = "create user " + uid
		_, err = r.db.CreateUser(ctx, chat.User{UID: uid, Name: uid, CreatedAt: at})
	default:
		off := r.rng.IntN(2) == 0
		op = fmt.Sprintf("deactivated %s %v", uid, off)
		_, err = r.db.SetDeactivated(ctx, []string{uid}, off, at)
	}
	res := r.outcome(err)
	if err == nil && ent == nil {
		ent = action.Data.Entities.For
	}
	if err == nil {
		r.wantEntityCount(op, action, ent)
	}
	r.check(op)
	fmt.Fprintf(&r.log, "%d %s: %s; %s\n", i, op, res, r.counts())
}

// setup makes the users and the groups, each with a few members.
func (r *mcRun) setup() {
	r.t.Helper()
	for _, u := range mcUsers {
		mustUser(r.t, r.db, u, u)
	}
	mustGroup(r.t, r.db, "ga", "u0", chat.GroupPublic, "u1", "u2", "u3")
	mustGroup(r.t, r.db, "gb", "u4", chat.GroupPrivate, "u5")
	mustGroup(r.t, r.db, "gc", "u6", chat.GroupPublic)
	r.check("setup")
}

// memberScenario runs setup and 600 steps; memberAfter 300 more with
// another stream.
func memberScenario(t testing.TB, db *store.DB, path string) string {
	r := newMCRun(t, db, path, 1)
	r.setup()
	for i := range 600 {
		r.step(i)
	}
	return r.log.String()
}

func memberAfter(t testing.TB, db *store.DB, path string) string {
	r := newMCRun(t, db, path, 2)
	r.at = t0 + 10_000
	for i := range 300 {
		r.step(i)
	}
	return r.log.String()
}

// memberViews prints every group as nobody and as each user sees it.
func memberViews(t testing.TB, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, guid := range mcGroups {
		for _, asker := range append([]string{""}, mcUsers...) {
			g, err := db.Group(ctx, guid, asker)
			if err != nil {
				fmt.Fprintf(&b, "%s/%s: %v\n", guid, asker, chat.CodeOf(err))
				continue
			}
			fmt.Fprintf(&b, "%s/%s: members=%d owner=%s scope=%q joined=%v banned=%v\n",
				guid, asker, g.MembersCount, g.Owner, g.Scope, g.HasJoined, g.IsBanned)
		}
		uids, err := db.MemberUIDs(ctx, guid)
		fmt.Fprintf(&b, "%s uids: %v %v\n", guid, uids, chat.CodeOf(err))
	}
	return b.String()
}

// The current store answers the scenario as version 4 did, and every
// count it shows is the number of members rows.
func TestMembersCountScenarioMatchesV4(t *testing.T) {
	db, path := openDB(t)
	wantMemberFixture(t, memberScenario(t, db, path), "members_v4.log.gz")
	wantMemberFixture(t, memberViews(t, db), "members_v4.views")
	if os.Getenv(updateMemberFixtures) != "" {
		must(t, db.Close())
		must(t, os.WriteFile(filepath.Join("testdata", "members_v4.sql.gz"),
			dumpTables(t, path, "users", "groups", "members", "bans", "messages", "conversations", "group_conversations"), 0o644))
		var err error
		db, err = store.Open(path)
		must(t, err)
		t.Cleanup(func() { db.Close() })
	}
	wantMemberFixture(t, memberAfter(t, db, path), "members_v4_after.log.gz")
}

// A database that version 4 left behind shows the same groups after the
// migration and goes on as version 4 would have.
func TestMigrateMembersCountFromV4(t *testing.T) {
	if os.Getenv(updateMemberFixtures) != "" {
		t.Skip("recording the fixtures")
	}
	path := filepath.Join(t.TempDir(), "chat.db")
	must(t, store.CreateAtVersion(path, 4, readTestdata(t, "members_v4.sql.gz")))
	db, err := store.Open(path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	wantMemberFixture(t, memberViews(t, db), "members_v4.views")
	r := newMCRun(t, db, path, 0)
	r.check("migration")
	wantMemberFixture(t, memberAfter(t, db, path), "members_v4_after.log.gz")
}

// wantMemberFixture compares got with a fixture, or records it when asked
// to; names ending in .gz are stored compressed.
func wantMemberFixture(t *testing.T, got, name string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv(updateMemberFixtures) != "" {
		raw := []byte(got)
		if strings.HasSuffix(name, ".gz") {
			raw = gzipped(t, raw)
		}
		must(t, os.WriteFile(path, raw, 0o644))
		return
	}
	want := readTestdata(t, name)
	if got == want {
		return
	}
	failAtFirstDifference(t, name+" differs", got, want)
}
