package demo

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"cometterm/chat"
	"cometterm/server"
)

// Seed fills st with the demo workspace: the cast, three groups (one of
// each type) and a few days of history ending before now. It reports
// whether it wrote anything: a store that already holds a completed demo
// seed is left alone. A seed that was interrupted is completed: every step
// tolerates finding its result already stored, and messages carry fixed
// muids that the store deduplicates.
func Seed(ctx context.Context, st server.Store, now time.Time) (seeded bool, err error) {
	me, err := st.User(ctx, IronMan, true)
	switch {
	case err == nil:
		if _, done := me.Metadata[seededKey]; done {
			return false, nil
		}
	case !chat.HasCode(err, chat.ErrUIDNotFound):
		return false, fmt.Errorf("demo seed: look up %s: %w", IronMan, err)
	}
	s := &seeder{ctx: ctx, st: st, now: now, ids: map[string]chat.ID{}}
	s.cast()
	s.history()
	s.finish()
	if s.err != nil {
		return false, s.err
	}
	return true, nil
}

// seeder carries the state of one Seed: the clock and the ids that the
// store gave to the messages of the script, by their script key. Its
// steps keep the first error and skip everything after it, so that the
// script reads as a plain list of events.
type seeder struct {
	ctx  context.Context
	st   server.Store
	now  time.Time
	ids  map[string]chat.ID
	last int64 // the latest timestamp used, to keep the script in order
	err  error
}

// step starts a script step at time at; false means skip it.
func (s *seeder) step(at int64) bool {
	if s.err != nil {
		return false
	}
	// Steps must go forward in time and stay before now, or ids and
	// timestamps would disagree in the history.
	if at < s.last || at >= s.now.Unix() {
		s.err = fmt.Errorf("demo seed: script step at %s is out of order (previous %s, now %s)",
			time.Unix(at, 0).Format(time.DateTime), time.Unix(s.last, 0).Format(time.DateTime),
			s.now.Format(time.DateTime))
		return false
	}
	s.last = at
	return true
}

// check records err unless it is one of the "already there" codes that a
// resumed seed expects.
func (s *seeder) check(err error, what string, resumable ...string) {
	if err == nil || s.err != nil {
		return
	}
	for _, c := range resumable {
		if chat.HasCode(err, c) {
			return
		}
	}
	s.err = fmt.Errorf("demo seed: %s: %w", what, err)
}

func (s *seeder) id(key string) (chat.ID, bool) {
	id, ok := s.ids[key]
	if !ok && s.err == nil {
		s.err = fmt.Errorf("demo seed: script refers to unknown message %q", key)
	}
	return id, ok
}

func (s *seeder) cast() {
	created := s.now.Add(-7 * 24 * time.Hour).Unix()
	for i, p := range cast() {
		u := p.user
		u.CreatedAt, u.UpdatedAt = created, created
		// Seen a while ago, so that "last seen" has something to show
		// before the live demo brings anyone online.
		u.LastActiveAt = s.now.Add(-time.Duration(i+1) * 3 * time.Hour).Unix()
		_, err := s.st.CreateUser(s.ctx, u)
		s.check(err, "create user "+u.UID, chat.ErrUIDAlreadyExists)
	}
}

// group creates a group of the script, hashing its password.
func (s *seeder) group(spec groupSpec, at int64) {
	if !s.step(at) {
		return
	}
	g := spec.group
	g.CreatedAt, g.UpdatedAt = at, at
	// A resumed seed skips the (deliberately slow) password hash.
	_, err := s.st.Group(s.ctx, g.GUID, "")
	if err == nil {
		return
	}
	s.check(err, "look up group "+g.GUID, chat.ErrGUIDNotFound)
	hash := ""
	if spec.password != "" {
		b, err := bcrypt.GenerateFromPassword([]byte(spec.password), bcrypt.DefaultCost)
		if err != nil {
			s.check(err, "hash the password of "+g.GUID)
			return
		}
		hash = string(b)
	}
	_, err = s.st.CreateGroup(s.ctx, g, hash)
	s.check(err, "create group "+g.GUID, chat.ErrGUIDAlreadyExists)
}

// member adds uid to guid as a participant: a join when by is uid, an add
// otherwise.
func (s *seeder) member(guid, uid, by string, at int64) {
	if !s.step(at) {
		return
	}
	_, _, err := s.st.AddMember(s.ctx, guid, uid, chat.ScopeParticipant, by, at)
	s.check(err, fmt.Sprintf("add %s to %s", uid, guid), chat.ErrAlreadyJoined)
}

func (s *seeder) scope(guid, uid string, to chat.Scope, by string, at int64) {
	if !s.step(at) {
		return
	}
	_, _, err := s.st.ChangeScope(s.ctx, guid, uid, to, by, at)
	s.check(err, fmt.Sprintf("make %s %s of %s", uid, to, guid), chat.ErrSameScope)
}

// send stores m under the script key; the key is its muid, so a resumed
// seed gets the message stored the first time back.
func (s *seeder) send(key string, m chat.Message) {
	if !s.step(m.SentAt) {
		return
	}
	if _, dup := s.ids[key]; dup {
		s.err = fmt.Errorf("demo seed: script key %q used twice", key)
		return
	}
	m.MUID = "demo-" + key
	if m.Category == "" {
		m.Category = chat.CategoryMessage
	}
	stored, err := s.st.InsertMessage(s.ctx, m)
	s.check(err, "message "+key)
	s.ids[key] = stored.ID
}

// current reads a scripted message back, for steps that must not repeat.
func (s *seeder) current(key string) (chat.Message, bool) {
	id, ok := s.id(key)
	if !ok {
		return chat.Message{}, false
	}
	m, err := s.st.Message(s.ctx, id, "")
	s.check(err, "read message "+key)
	return m, err == nil
}

func (s *seeder) edit(key, text, by string, at int64) {
	if !s.step(at) {
		return
	}
	m, ok := s.current(key)
	if !ok || m.EditedAt != 0 {
		return
	}
	d := m.Data
	d.Text = text
	_, _, err := s.st.EditMessage(s.ctx, m.ID, d, m.Tags, by, at)
	s.check(err, "edit "+key)
}

func (s *seeder) remove(key, by string, at int64) {
	if !s.step(at) {
		return
	}
	m, ok := s.current(key)
	if !ok || m.DeletedAt != 0 {
		return
	}
	_, _, err := s.st.DeleteMessage(s.ctx, m.ID, by, at)
	s.check(err, "delete "+key)
}

func (s *seeder) react(key, uid, reaction string, at int64) {
	if !s.step(at) {
		return
	}
	if id, ok := s.id(key); ok {
		_, _, err := s.st.AddReaction(s.ctx, id, uid, reaction, at)
		s.check(err, fmt.Sprintf("%s reacts %s to %s", uid, reaction, key))
	}
}

// receipt records uid's delivered or read mark on one message.
func (s *seeder) receipt(uid, key string, typ chat.ReceiptType, at int64) {
	if !s.step(at) {
		return
	}
	if id, ok := s.id(key); ok {
		_, err := s.st.Receipt(s.ctx, uid, id, typ, at)
		s.check(err, fmt.Sprintf("%s %s %s", uid, typ, key))
	}
}

// read marks uid's conversation read up to everything sent by at, as a
// reader at that time would; a resumed seed gets the same marks back.
func (s *seeder) read(uid, conversationID string, at int64) {
	if !s.step(at) {
		return
	}
	last, err := s.st.ListMessages(s.ctx, chat.MessageQuery{
		Asker: uid, ConversationID: conversationID, Affix: "prepend", SentAt: at, Limit: 1,
	})
	if err != nil || len(last) == 0 {
		s.check(err, fmt.Sprintf("%s lists %s", uid, conversationID))
		return
	}
	err = s.st.MarkRead(s.ctx, uid, conversationID, last[len(last)-1].ID, at)
	s.check(err, fmt.Sprintf("%s reads %s", uid, conversationID))
}

// finish writes the completion mark, last of all.
func (s *seeder) finish() {
	if s.err != nil {
		return
	}
	me, err := s.st.User(s.ctx, IronMan, true)
	if err != nil {
		s.check(err, "read "+IronMan)
		return
	}
	meta := make(map[string]any, len(me.Metadata)+1)
	for k, v := range me.Metadata {
		meta[k] = v
	}
	meta[seededKey] = s.now.Unix()
	_, err = s.st.UpdateUser(s.ctx, IronMan, chat.UserPatch{Metadata: meta}, s.now.Unix())
	s.check(err, "mark the seed complete")
}
