package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/hex"
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

// The receipt fixtures in testdata were recorded with the store at schema
// version 3 (as of commit c1827d3), when a receipt or mark still wrote a
// receipt row for every message it covered:
//   - receipts_v3.sql.gz: the rows receiptScenario left in a version 3
//     database, dumped as INSERT statements;
//   - receipts_v3.log.gz: receiptScenario's log (every receipt's answer,
//     and receiptViews now and then);
//   - receipts_v3.views.gz: receiptViews after it;
//   - receipts_v3_after.log.gz: receiptAfter's log and receiptViews after it.
//
// A later schema must answer and show the same, both when it migrates that
// database and when it runs the scenario from scratch. Set
// STORE_UPDATE_RECEIPT_FIXTURES=1 to record them again (only ever with the
// store they are meant to pin).

// rcUsers take part in the scenario; rc0 owns the group.
var rcUsers = []string{"rc0", "rc1", "rc2", "rc3", "rc4", "rc5", "rc6", "rc7", "rc8", "rc9"}

// rcRun plays a random but fixed stream of operations on a group and a
// 1:1 conversation: messages and replies, receipts for the newest and for
// older messages, REST marks, marking unread, members joining, leaving and
// coming back. It logs every receipt's answer and, now and then, the views.
type rcRun struct {
	t   testing.TB
	db  *store.DB
	rng *rand.Rand
	log strings.Builder
	at  int64
}

func (r *rcRun) members() []string {
	list, _, err := r.db.ListMembers(context.Background(), "rg", chat.MemberQuery{Page: chat.Page{PerPage: 100, Page: 1}})
	must(r.t, err)
	var out []string
	for _, m := range list {
		out = append(out, m.UID)
	}
	slices.Sort(out)
	return out
}

func (r *rcRun) messages(cid string) []chat.Message {
	list, err := r.db.ListMessages(context.Background(), chat.MessageQuery{ConversationID: cid, Affix: "append", Limit: 1000})
	must(r.t, err)
	return list
}

// recent lists the newest n messages of a conversation, oldest first.
func (r *rcRun) recent(cid string, n int) []chat.Message {
	list, err := r.db.ListMessages(context.Background(), chat.MessageQuery{ConversationID: cid, Limit: n})
	must(r.t, err)
	return list
}

// pick chooses a message of a conversation: mostly the newest, else a
// recent one, else any.
func (r *rcRun) pick(cid string) chat.Message {
	switch n := r.rng.IntN(10); {
	case n < 5:
		return r.recent(cid, 1)[0]
	case n < 8:
		ms := r.recent(cid, 12)
		return ms[max(0, len(ms)-1-r.rng.IntN(12))]
	default:
		ms := r.messages(cid)
		return ms[r.rng.IntN(len(ms))]
	}
}

func (r *rcRun) ops(n int) {
	ctx := context.Background()
	const cid, direct = "group_rg", "rc1_user_rc2"
	for i := range n {
		r.at++
		ms := r.members()
		who := ms[r.rng.IntN(len(ms))]
		typ := chat.ReceiptRead
		if r.rng.IntN(3) == 0 {
			typ = chat.ReceiptDelivered
		}
		switch op := r.rng.IntN(100); {
		case op < 28:
			m := text(who, "rg", chat.ReceiverGroup, fmt.Sprintf("op %d", i), r.at)
			if r.rng.IntN(5) == 0 {
				top := r.messages(cid)
				if p := top[r.rng.IntN(len(top))]; p.ParentID == 0 && p.Category != chat.CategoryAction {
					m.ParentID = p.ID
				}
			}
			mustSend(r.t, r.db, m)
		case op < 66:
			m := r.pick(cid)
			res, err := r.db.Receipt(ctx, who, m.ID, typ, r.at)
			must(r.t, err)
			fmt.Fprintf(&r.log, "%d %s %s %d: new=%v all=%v members=%d\n", i, who, typ, m.ID, res.New, res.All, res.Members)
		case op < 74:
			upTo := chat.ID(0)
			if r.rng.IntN(2) == 0 {
				upTo = r.pick(cid).ID
			}
			if typ == chat.ReceiptRead {
				must(r.t, r.db.MarkRead(ctx, who, cid, upTo, r.at))
			} else {
				must(r.t, r.db.MarkDelivered(ctx, who, cid, upTo, r.at))
			}
			fmt.Fprintf(&r.log, "%d %s mark %s %d\n", i, who, typ, upTo)
		case op < 80:
			m := r.pick(cid)
			must(r.t, r.db.MarkUnread(ctx, who, cid, m.ID))
			fmt.Fprintf(&r.log, "%d %s unread from %d\n", i, who, m.ID)
		case op < 86:
			// Every member acknowledges the same message, in some order.
			m := r.pick(cid)
			for _, k := range r.rng.Perm(len(ms)) {
				res, err := r.db.Receipt(ctx, ms[k], m.ID, typ, r.at)
				must(r.t, err)
				fmt.Fprintf(&r.log, "%d %s %s %d: new=%v all=%v members=%d\n", i, ms[k], typ, m.ID, res.New, res.All, res.Members)
			}
		case op < 91:
			var out []string
			for _, u := range rcUsers {
				if !slices.Contains(ms, u) {
					out = append(out, u)
				}
			}
			if len(out) > 0 {
				u := out[r.rng.IntN(len(out))]
				_, _, err := r.db.AddMember(ctx, "rg", u, chat.ScopeParticipant, u, r.at)
				must(r.t, err)
				fmt.Fprintf(&r.log, "%d %s joins\n", i, u)
			}
		case op < 95:
			if who != "rc0" && len(ms) > 3 {
				_, err := r.db.RemoveMember(ctx, "rg", who, chat.RemovalLeft, who, r.at)
				must(r.t, err)
				fmt.Fprintf(&r.log, "%d %s leaves\n", i, who)
			}
		default:
			from, to := "rc1", "rc2"
			if r.rng.IntN(2) == 0 {
				from, to = to, from
			}
			if r.rng.IntN(2) == 0 {
				mustSend(r.t, r.db, text(from, to, chat.ReceiverUser, fmt.Sprintf("op %d", i), r.at))
				break
			}
			m := r.pick(direct)
			res, err := r.db.Receipt(ctx, to, m.ID, typ, r.at)
			must(r.t, err)
			fmt.Fprintf(&r.log, "%d %s %s %d: new=%v\n", i, to, typ, m.ID, res.New)
		}
		if i%60 == 59 {
			r.log.WriteString(receiptViews(r.t, r.db, 30))
		}
	}
}

func newRcRun(t testing.TB, db *store.DB, seed uint64) *rcRun {
	return &rcRun{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 7))}
}

// receiptScenario builds the group and the 1:1 conversation and plays the
// first part; receiptAfter plays the second on the same database.
func receiptScenario(t testing.TB, db *store.DB) string {
	t.Helper()
	for _, u := range rcUsers {
		mustUser(t, db, u, u)
	}
	mustGroup(t, db, "rg", "rc0", chat.GroupPublic, "rc1", "rc2", "rc3", "rc4", "rc5")
	mustSend(t, db, text("rc1", "rc2", chat.ReceiverUser, "hello", t0))
	r := newRcRun(t, db, 1)
	r.at = 100
	r.ops(420)
	return r.log.String()
}

func receiptAfter(t testing.TB, db *store.DB) string {
	t.Helper()
	r := newRcRun(t, db, 2)
	r.at = 1000
	r.ops(300)
	r.log.WriteString(receiptViews(t, db, 0))
	return r.log.String()
}

// receiptViews prints every member's own receipt on every message of the
// group and of the 1:1 conversation (with the peer's marks there), message
// info of the newest infos messages of each (all for 0), and each member's
// unread count.
func receiptViews(t testing.TB, db *store.DB, infos int) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	mark := func(r *chat.MyReceipt) string {
		if r == nil {
			return "-"
		}
		return fmt.Sprintf("%d,%d", r.DeliveredAt, r.ReadAt)
	}
	list, _, err := db.ListMembers(ctx, "rg", chat.MemberQuery{Page: chat.Page{PerPage: 100, Page: 1}})
	must(t, err)
	for _, m := range list {
		ms, err := db.ListMessages(ctx, chat.MessageQuery{Asker: m.UID, ConversationID: "group_rg", Affix: "append", Limit: 1000})
		must(t, err)
		c, err := db.Conversation(ctx, m.UID, "group_rg")
		must(t, err)
		fmt.Fprintf(&b, "%s unread=%d read=%d:", m.UID, c.UnreadMessageCount, c.LastReadMessageID)
		for _, msg := range ms {
			fmt.Fprintf(&b, " %d=%s", msg.ID, mark(msg.MyReceipt))
		}
		b.WriteString("\n")
	}
	for _, u := range []string{"rc1", "rc2"} {
		ms, err := db.ListMessages(ctx, chat.MessageQuery{Asker: u, ConversationID: "rc1_user_rc2", Affix: "append", Limit: 1000})
		must(t, err)
		fmt.Fprintf(&b, "%s direct:", u)
		for _, msg := range ms {
			fmt.Fprintf(&b, " %d=%s/%d,%d", msg.ID, mark(msg.MyReceipt), msg.DeliveredAt, msg.ReadAt)
		}
		b.WriteString("\n")
	}
	for _, cid := range []string{"group_rg", "rc1_user_rc2"} {
		ms, err := db.ListMessages(ctx, chat.MessageQuery{ConversationID: cid, Affix: "append", Limit: 1000})
		must(t, err)
		if infos > 0 {
			ms = ms[max(0, len(ms)-infos):]
		}
		for _, msg := range ms {
			info, err := db.MessageReceipts(ctx, msg.ID)
			must(t, err)
			fmt.Fprintf(&b, "info %d:", msg.ID)
			for _, r := range info {
				fmt.Fprintf(&b, " %s=%d,%d", r.User.UID, r.DeliveredAt, r.ReadAt)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

const updateReceiptFixtures = "STORE_UPDATE_RECEIPT_FIXTURES"

// wantText compares got with a fixture, or records it when asked to.
func wantText(t *testing.T, got, name string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv(updateReceiptFixtures) != "" {
		must(t, os.WriteFile(path, gzipped(t, []byte(got)), 0o644))
		return
	}
	want := readTestdata(t, name)
	if got == want {
		return
	}
	failAtFirstDifference(t, name+" differs", got, want)
}

// dumpRows prints the rows of the scenario's tables as INSERT statements.
func dumpRows(t *testing.T, path string) []byte {
	t.Helper()
	return dumpTables(t, path, "users", "groups", "members", "messages", "conversations", "group_conversations", "receipts")
}

// dumpTables prints the rows of tables as INSERT statements, gzipped.
func dumpTables(t *testing.T, path string, tables ...string) []byte {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	must(t, err)
	defer db.Close()
	var b bytes.Buffer
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			lits := make([]string, len(vals))
			for i, v := range vals {
				switch v := v.(type) {
				case nil:
					lits[i] = "NULL"
				case int64:
					lits[i] = fmt.Sprint(v)
				case string:
					lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
				case []byte:
					lits[i] = "X'" + hex.EncodeToString(v) + "'"
				default:
					t.Fatalf("%s: value %T", table, v)
				}
			}
			fmt.Fprintf(&b, "INSERT INTO \"%s\" VALUES(%s);\n", table, strings.Join(lits, ","))
		}
		must(t, rows.Err())
		rows.Close()
	}
	return gzipped(t, b.Bytes())
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, err := zw.Write(b)
	must(t, err)
	must(t, zw.Close())
	return z.Bytes()
}

// The current store answers the scenario's receipts and shows its marks
// as version 3 did.
func TestReceiptScenarioMatchesV3(t *testing.T) {
	if raceDetector {
		t.Skip("a long replay on one goroutine")
	}
	db, path := openDB(t)
	wantText(t, receiptScenario(t, db), "receipts_v3.log.gz")
	wantText(t, receiptViews(t, db, 0), "receipts_v3.views.gz")
	if os.Getenv(updateReceiptFixtures) != "" {
		must(t, db.Close())
		must(t, os.WriteFile(filepath.Join("testdata", "receipts_v3.sql.gz"), dumpRows(t, path), 0o644))
		var err error
		db, err = store.Open(path)
		must(t, err)
		t.Cleanup(func() { db.Close() })
	}
	wantText(t, receiptAfter(t, db), "receipts_v3_after.log.gz")
}

// A database that version 3 left behind (a receipt row for every covered
// message) shows the same marks after the migration and goes on as
// version 3 would have.
func TestMigrateReceiptsFromV3(t *testing.T) {
	if os.Getenv(updateReceiptFixtures) != "" {
		t.Skip("recording the fixtures")
	}
	if raceDetector {
		t.Skip("a long replay on one goroutine")
	}
	path := filepath.Join(t.TempDir(), "chat.db")
	must(t, store.CreateAtVersion(path, 3, readTestdata(t, "receipts_v3.sql.gz")))
	db, err := store.Open(path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	wantText(t, receiptViews(t, db, 0), "receipts_v3.views.gz")
	wantText(t, receiptAfter(t, db), "receipts_v3_after.log.gz")
}
