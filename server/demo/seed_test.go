package demo

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"cometterm/chat"
	"cometterm/store"
)

// seedTime is a fixed "now" just after midnight, the hardest case for the
// script's order: today's steps reach back into yesterday evening, where
// yesterday's own steps are (Seed fails on any step out of order).
var seedTime = time.Date(2026, 3, 14, 0, 0, 30, 0, time.FixedZone("UTC-7", -7*3600))

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSeed checks one seeded store from every side; a seed is slow under
// the race detector, so the read-only checks share it.
func TestSeed(t *testing.T) {
	db := seeded(t)
	t.Run("users are clearly demo", func(t *testing.T) { checkUsersAreClearlyDemo(t, db) })
	t.Run("groups and members", func(t *testing.T) { checkGroupsAndMembers(t, db) })
	t.Run("history", func(t *testing.T) { checkHistory(t, db) })
	t.Run("receipts and unread", func(t *testing.T) { checkReceiptsAndUnread(t, db) })
	t.Run("twice is a no-op", func(t *testing.T) { checkTwiceIsANoOp(t, db) })
}

func seeded(t *testing.T) *store.DB {
	t.Helper()
	db := openStore(t)
	ok, err := Seed(context.Background(), db, seedTime)
	if err != nil || !ok {
		t.Fatalf("Seed = %v, %v; want true, nil", ok, err)
	}
	return db
}

// history lists a conversation as uid sees it, oldest first.
func history(t *testing.T, db *store.DB, uid, conv string) []chat.Message {
	t.Helper()
	ms, err := db.ListMessages(context.Background(), chat.MessageQuery{Asker: uid, ConversationID: conv, Limit: 1000})
	if err != nil {
		t.Fatalf("list %s: %v", conv, err)
	}
	return ms
}

func find(t *testing.T, ms []chat.Message, pred func(chat.Message) bool, what string) chat.Message {
	t.Helper()
	for _, m := range ms {
		if pred(m) {
			return m
		}
	}
	t.Fatalf("no %s among %d messages", what, len(ms))
	return chat.Message{}
}

func textIs(s string) func(chat.Message) bool {
	return func(m chat.Message) bool { return m.Data.Text == s }
}

func checkUsersAreClearlyDemo(t *testing.T, db *store.DB) {
	ctx := context.Background()
	want := map[string]struct{ name, role string }{
		IronMan: {"Iron Man", "avenger"}, CaptainAmerica: {"Captain America", "avenger"},
		Spiderman: {"Spiderman", "avenger"}, Wolverine: {"Wolverine", "xmen"}, Cyclops: {"Cyclops", "xmen"},
	}
	for uid, w := range want {
		u, err := db.User(ctx, uid, false)
		if err != nil {
			t.Fatalf("user %s: %v", uid, err)
		}
		if u.Name != w.name || u.Role != w.role {
			t.Errorf("%s = %q/%q, want %q/%q", uid, u.Name, u.Role, w.name, w.role)
		}
		if !strings.Contains(u.StatusMessage, "demo") || u.Metadata["demo"] != true || !slices.Contains(u.Tags, "demo") {
			t.Errorf("%s does not say it is a demo user: %q %v %v", uid, u.StatusMessage, u.Metadata, u.Tags)
		}
		if !strings.HasPrefix(u.Avatar, "https://") {
			t.Errorf("%s avatar %q", uid, u.Avatar)
		}
	}
}

func checkGroupsAndMembers(t *testing.T, db *store.DB) {
	ctx := context.Background()
	types := map[string]chat.GroupType{Avengers: chat.GroupPublic, ShieldOps: chat.GroupPassword, StarkLab: chat.GroupPrivate}
	joined := map[string]bool{Avengers: true, ShieldOps: false, StarkLab: true}
	for guid, typ := range types {
		g, err := db.Group(ctx, guid, IronMan)
		if err != nil {
			t.Fatalf("group %s: %v", guid, err)
		}
		if g.Type != typ || g.HasJoined != joined[guid] {
			t.Errorf("%s: type %s joined %v, want %s %v", guid, g.Type, g.HasJoined, typ, joined[guid])
		}
	}
	hash, err := db.GroupPasswordHash(ctx, ShieldOps)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(ShieldOpsPassword)) != nil {
		t.Errorf("shield-ops password hash does not match %q (err %v)", ShieldOpsPassword, err)
	}
	scopes := map[string]chat.Scope{
		IronMan: chat.ScopeAdmin, CaptainAmerica: chat.ScopeAdmin, Spiderman: chat.ScopeModerator,
		Wolverine: chat.ScopeParticipant, Cyclops: chat.ScopeParticipant,
	}
	members, total, err := db.ListMembers(ctx, Avengers, chat.MemberQuery{})
	if err != nil || total != len(scopes) {
		t.Fatalf("avengers members: %d, %v; want %d", total, err, len(scopes))
	}
	for _, m := range members {
		if m.Scope != scopes[m.UID] {
			t.Errorf("avengers: %s is %s, want %s", m.UID, m.Scope, scopes[m.UID])
		}
	}
}

func checkHistory(t *testing.T, db *store.DB) {
	hq := history(t, db, IronMan, chat.GroupConversationID(Avengers))

	for _, m := range hq {
		if m.SentAt >= seedTime.Unix() {
			t.Errorf("message %d sent at %d, not before now", m.ID, m.SentAt)
		}
	}
	actions := map[string]int{}
	for _, m := range hq {
		if m.IsAction() {
			actions[m.Data.Action]++
		}
	}
	for action, n := range map[string]int{chat.ActionJoined: 3, chat.ActionAdded: 1, chat.ActionScopeChanged: 2, chat.ActionEdited: 1, chat.ActionDeleted: 1} {
		if actions[action] != n {
			t.Errorf("%d %q actions in avengers, want %d (all: %v)", actions[action], action, n, actions)
		}
	}
	promo := find(t, hq, func(m chat.Message) bool {
		return m.Data.Action == chat.ActionScopeChanged && m.Data.Entities.On != nil && m.Data.Entities.On.User.UID == Spiderman
	}, "scope change of Spiderman")
	if x := promo.Data.Extras; x == nil || x.Scope == nil || x.Scope.New != chat.ScopeModerator || x.Scope.Old != chat.ScopeParticipant {
		t.Errorf("Spiderman's scope change extras = %+v", promo.Data.Extras)
	}

	briefing := find(t, hq, textIs("Morning team. Briefing at eleven."), "briefing")
	if briefing.ReplyCount != 3 {
		t.Errorf("briefing has %d replies, want 3", briefing.ReplyCount)
	}
	replies, err := db.ListMessages(context.Background(), chat.MessageQuery{Asker: IronMan, ParentID: briefing.ID})
	if err != nil || len(replies) != 3 {
		t.Errorf("thread of the briefing: %d replies, %v", len(replies), err)
	}
	var thumbs chat.ReactionCount
	for _, r := range briefing.Data.Reactions {
		if r.Reaction == "👍" {
			thumbs = r
		}
	}
	if thumbs.Count != 3 || !thumbs.ReactedByMe {
		t.Errorf("👍 on the briefing = %+v, want 3 with mine", thumbs)
	}

	edited := find(t, hq, textIs("Launch window confirmed for 0930."), "edited launch window")
	if edited.EditedAt == 0 || edited.EditedBy != IronMan {
		t.Errorf("launch window not marked edited: %+v", edited)
	}
	deleted := find(t, hq, func(m chat.Message) bool { return m.Sender == Spiderman && m.DeletedAt != 0 }, "deleted message")
	if deleted.DeletedBy != Spiderman {
		t.Errorf("deleted by %q", deleted.DeletedBy)
	}
	loc := find(t, hq, func(m chat.Message) bool { return m.Category == chat.CategoryCustom }, "custom message")
	if loc.Type != "location" || loc.Data.CustomData["latitude"] == nil || loc.Data.CustomData["longitude"] == nil {
		t.Errorf("custom message = %s %v", loc.Type, loc.Data.CustomData)
	}

	lab := history(t, db, IronMan, chat.GroupConversationID(StarkLab))
	img := find(t, lab, func(m chat.Message) bool { return m.Type == chat.TypeImage }, "image")
	if len(img.Data.Attachments) != 1 || !strings.HasPrefix(img.Data.Attachments[0].URL, "https://") {
		t.Errorf("image attachments = %+v", img.Data.Attachments)
	}
	find(t, lab, func(m chat.Message) bool {
		return m.Data.Action == chat.ActionAdded && m.Data.Entities.On != nil && m.Data.Entities.On.User.UID == Spiderman
	}, "Spiderman added to the lab")
}

func checkReceiptsAndUnread(t *testing.T, db *store.DB) {
	ctx := context.Background()
	unread := map[string]int{
		chat.UserConversationID(IronMan, CaptainAmerica): 2,
		chat.UserConversationID(IronMan, Cyclops):        1,
		chat.GroupConversationID(Avengers):               3,
		chat.UserConversationID(IronMan, Wolverine):      0,
		chat.UserConversationID(IronMan, Spiderman):      0,
		chat.GroupConversationID(StarkLab):               0,
	}
	for conv, n := range unread {
		c, err := db.Conversation(ctx, IronMan, conv)
		if err != nil {
			t.Fatalf("conversation %s: %v", conv, err)
		}
		if int(c.UnreadMessageCount) != n {
			t.Errorf("%s: %d unread, want %d", conv, c.UnreadMessageCount, n)
		}
	}
	hq, err := db.Conversation(ctx, IronMan, chat.GroupConversationID(Avengers))
	if err != nil || hq.UnreadMentionsCount != 1 {
		t.Errorf("avengers unread mentions = %d, %v; want 1", hq.UnreadMentionsCount, err)
	}
	if _, err := db.Conversation(ctx, IronMan, chat.GroupConversationID(ShieldOps)); err == nil {
		t.Errorf("Iron Man sees Shield Ops before joining it")
	}

	cap := history(t, db, IronMan, chat.UserConversationID(IronMan, CaptainAmerica))
	late := find(t, cap, textIs("Running late, save me a seat."), "Iron Man's last message to Cap")
	rs, err := db.MessageReceipts(ctx, late.ID)
	if err != nil || len(rs) != 1 || rs[0].User.UID != CaptainAmerica || rs[0].ReadAt == 0 {
		t.Errorf("receipts of %q = %+v, %v; want read by Cap", late.Data.Text, rs, err)
	}

	// Read by the whole group; delivered to Logan but not read.
	for _, c := range []struct {
		conv      string
		text      string
		delivered int
		read      int
	}{
		{chat.GroupConversationID(Avengers), "Launch window confirmed for 0930.", 4, 4},
		{chat.UserConversationID(IronMan, Wolverine), "Bring it back by Friday.", 1, 0},
	} {
		m := find(t, history(t, db, IronMan, c.conv), textIs(c.text), "message "+c.text)
		rs, err := db.MessageReceipts(ctx, m.ID)
		if err != nil {
			t.Fatalf("receipts of %d: %v", m.ID, err)
		}
		delivered, read := 0, 0
		for _, r := range rs {
			if r.DeliveredAt != 0 {
				delivered++
			}
			if r.ReadAt != 0 {
				read++
			}
		}
		if delivered != c.delivered || read != c.read {
			t.Errorf("message %q: delivered to %d, read by %d; want %d, %d", c.text, delivered, read, c.delivered, c.read)
		}
	}
}

func checkTwiceIsANoOp(t *testing.T, db *store.DB) {
	ctx := context.Background()
	before := len(history(t, db, IronMan, chat.GroupConversationID(Avengers)))
	ok, err := Seed(ctx, db, seedTime.Add(time.Hour))
	if err != nil || ok {
		t.Fatalf("second Seed = %v, %v; want false, nil", ok, err)
	}
	if after := len(history(t, db, IronMan, chat.GroupConversationID(Avengers))); after != before {
		t.Errorf("second Seed changed avengers: %d → %d messages", before, after)
	}
}

// An interrupted seed (no completion mark) is finished without repeating
// what was already stored.
func TestSeedResumes(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	convs := []string{
		chat.GroupConversationID(Avengers), chat.GroupConversationID(StarkLab),
		chat.UserConversationID(IronMan, CaptainAmerica), chat.UserConversationID(IronMan, Wolverine),
	}
	count := map[string]int{}
	for _, c := range convs {
		count[c] = len(history(t, db, IronMan, c))
	}
	me, err := db.User(ctx, IronMan, false)
	if err != nil {
		t.Fatal(err)
	}
	delete(me.Metadata, seededKey)
	if _, err := db.UpdateUser(ctx, IronMan, chat.UserPatch{Metadata: me.Metadata}, seedTime.Unix()); err != nil {
		t.Fatal(err)
	}
	ok, err := Seed(ctx, db, seedTime.Add(time.Minute))
	if err != nil || !ok {
		t.Fatalf("resumed Seed = %v, %v; want true, nil", ok, err)
	}
	for _, c := range convs {
		if n := len(history(t, db, IronMan, c)); n != count[c] {
			t.Errorf("resume changed %s: %d → %d messages", c, count[c], n)
		}
	}
	c, err := db.Conversation(ctx, IronMan, chat.GroupConversationID(Avengers))
	if err != nil || c.UnreadMessageCount != 3 {
		t.Errorf("avengers unread after resume = %d, %v; want 3", c.UnreadMessageCount, err)
	}
}
