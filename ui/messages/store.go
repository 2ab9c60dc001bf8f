package messages

import (
	"cmp"
	"slices"
	"time"

	"cometterm/chat"
)

// entry is one loaded message and its cached rendering. The cache is valid
// while ver and gen match what it was drawn with: ver moves when the
// message or its neighbourhood changes, gen when width or theme does.
type entry struct {
	msg   chat.Message
	ver   uint32
	lines []string
	cver  uint32
	cgen  uint32
}

// keep is m as the pane keeps it. The pane draws a conversation, which is
// every message's receiver, so the receiver entity each message carries (a
// whole group or user, decoded anew for every message) is dropped; of the
// sender entity the pane reads only the name, so messages from the same
// sender under the same name share one small entity.
func (s *store) keep(m chat.Message) chat.Message {
	e := &m.Data.Entities
	e.Receiver = nil
	if e.Sender == nil || e.Sender.User == nil {
		return m
	}
	k := senderKey{e.Sender.User.UID, e.Sender.User.Name}
	shared, ok := s.senders[k]
	if !ok {
		if s.senders == nil || len(s.senders) >= maxSenders {
			s.senders = make(map[senderKey]*chat.Entity)
		}
		shared = chat.UserEntity(chat.User{UID: k.uid, Name: k.name})
		s.senders[k] = shared
	}
	e.Sender = shared
	return m
}

type senderKey struct{ uid, name string }

// maxSenders bounds the shared sender entities a pane keeps.
const maxSenders = 4096

// store keeps messages sorted by id (CometChat ids grow with time), so a
// message is found by binary search and never by a map that has to be
// rebuilt when older pages arrive.
type store struct {
	items   []*entry
	senders map[senderKey]*chat.Entity // see keep
	// spare are entries a trim dropped, for new messages to reuse: a pane
	// pinned to a busy conversation drops old messages as fast as new
	// ones come, and no entry is referred to outside items.
	spare []*entry
}

// maxSpare bounds the entries kept for reuse.
const maxSpare = 256

// drop forgets the first n entries, keeping them for reuse.
func (s *store) drop(n int) {
	for _, e := range s.items[:n] {
		if len(s.spare) < maxSpare {
			*e = entry{}
			s.spare = append(s.spare, e)
		}
	}
	rest := len(s.items) - n
	if cap(s.items) > 4*max(rest, 64) {
		// Room left from a long history: give it back.
		s.items = append(s.items[:0:0], s.items[n:]...)
		return
	}
	// A pinned pane drops a few old messages every few new ones: moving
	// the rest down keeps the room the next ones go in.
	copy(s.items, s.items[n:])
	clear(s.items[rest:])
	s.items = s.items[:rest]
}

// newEntry is an entry for m, reused when one is spare.
func (s *store) newEntry(m chat.Message) *entry {
	if n := len(s.spare); n > 0 {
		e := s.spare[n-1]
		s.spare[n-1] = nil
		s.spare = s.spare[:n-1]
		e.msg = m
		return e
	}
	return &entry{msg: m}
}

func (s *store) len() int { return len(s.items) }

// find returns the index of id, or where it would be inserted.
func (s *store) find(id chat.ID) (int, bool) {
	if n := len(s.items); n == 0 || s.items[n-1].msg.ID < id {
		return n, false // a new message: the usual case, no search
	}
	return slices.BinarySearchFunc(s.items, id, func(e *entry, id chat.ID) int {
		switch {
		case e.msg.ID < id:
			return -1
		case e.msg.ID > id:
			return 1
		}
		return 0
	})
}

func (s *store) get(id chat.ID) *entry {
	if i, ok := s.find(id); ok {
		return s.items[i]
	}
	return nil
}

// touch invalidates the rendering of the message at i.
func (s *store) touch(i int) {
	if i >= 0 && i < len(s.items) {
		s.items[i].ver++
	}
}

// reset replaces everything with msgs (any order, duplicates dropped).
func (s *store) reset(msgs []chat.Message) {
	s.items = make([]*entry, 0, len(msgs))
	s.senders = nil
	s.merge(msgs)
}

// merge inserts msgs before the current items when they are all older
// (the usual case for a history page) and one by one otherwise. It returns
// how many entries were added before the index that was first before.
func (s *store) merge(msgs []chat.Message) (before int) {
	sorted := slices.Clone(msgs)
	slices.SortFunc(sorted, func(a, b chat.Message) int { return cmp.Compare(a.ID, b.ID) })
	sorted = slices.CompactFunc(sorted, func(a, b chat.Message) bool { return a.ID == b.ID })
	if len(s.items) == 0 || (len(sorted) > 0 && sorted[len(sorted)-1].ID < s.items[0].msg.ID) {
		fresh := make([]*entry, 0, len(sorted)+len(s.items))
		for _, m := range sorted {
			fresh = append(fresh, &entry{msg: s.keep(m)})
		}
		n := len(fresh)
		s.items = append(fresh, s.items...)
		s.touch(n)
		return n
	}
	first := chat.ID(0)
	if len(s.items) > 0 {
		first = s.items[0].msg.ID
	}
	for _, m := range sorted {
		i, ok := s.find(m.ID)
		if ok {
			continue
		}
		s.insertAt(i, m)
		if m.ID < first {
			before++
		}
	}
	return before
}

// insertAt places m at i and invalidates its successor, whose header or
// date separator may now differ.
func (s *store) insertAt(i int, m chat.Message) {
	s.items = slices.Insert(s.items, i, s.newEntry(s.keep(m)))
	s.touch(i + 1)
}

// sameDay reports whether two Unix times fall on the same local day.
func sameDay(a, b int64, loc *time.Location) bool {
	ta, tb := time.Unix(a, 0).In(loc), time.Unix(b, 0).In(loc)
	ya, ma, da := ta.Date()
	yb, mb, db := tb.Date()
	return ya == yb && ma == mb && da == db
}

// DayLabel names a day relative to now: "Today", "Yesterday", "Mon 2 Nov",
// with the year when it is not this year.
func DayLabel(at int64, now time.Time, loc *time.Location) string {
	t := time.Unix(at, 0).In(loc)
	now = now.In(loc)
	switch {
	case sameDay(at, now.Unix(), loc):
		return "Today"
	case sameDay(at, now.AddDate(0, 0, -1).Unix(), loc):
		return "Yesterday"
	case t.Year() == now.Year():
		return t.Format("Mon 2 Jan")
	}
	return t.Format("Mon 2 Jan 2006")
}
