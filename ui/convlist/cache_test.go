package convlist

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// uncachedView draws the list the way it was drawn before rows were
// cached: every row pair rendered afresh and the block fitted line by line.
func uncachedView(m *Model) string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	t := m.c.Theme
	lines := []string{referenceTitleLine(m)}
	if len(m.shown) == 0 {
		msg := "No conversations yet: press n to start one"
		if m.filter.ti.Value() != "" {
			msg = "Nothing matches"
		}
		for _, l := range strings.Split(lipgloss.Wrap(msg, max(1, m.width-2), " "), "\n") {
			lines = append(lines, " "+t.Dim.Render(l))
		}
	}
	end := min(len(m.shown), m.offset+m.visiblePairs())
	for i := m.offset; i < end; i++ {
		c := &m.all[m.shown[i]]
		top, bottom := referenceRowPair(m, c, i == m.cursor, RelativeTime(m.c.Now(), activity(c), m.c.Loc))
		lines = append(lines, top, bottom)
	}
	return common.FitBlock(lines, m.width, m.height, "")
}

// referenceRowPair is rowPair as it was before rows were cached and
// styles reduced to escape codes: every part through lipgloss and ansi.
func referenceRowPair(m *Model, c *chat.Conversation, selected bool, age string) (string, string) {
	t := m.c.Theme
	bar := " "
	if selected {
		st := t.Dim
		if m.focused {
			st = t.ItemSelected
		}
		bar = st.Render(cursorBar)
	}

	mark, markStyle := referenceMark(m, c)
	markCell := markStyle.Render(mark) + strings.Repeat(" ", max(0, 2-lipgloss.Width(mark)))

	right := t.Dim.Render(age)
	if n := int(c.UnreadMessageCount); n > 0 {
		label := strconv.Itoa(n)
		if n > 99 {
			label = "99+"
		}
		right += " " + t.Badge.Render(label)
	}
	nameStyle := t.Item
	switch {
	case selected && m.focused, c.ConversationID == m.active:
		nameStyle = t.ItemSelected
	case c.UnreadMessageCount > 0:
		nameStyle = t.ItemUnread
	}
	nameW := m.width - 4 - lipgloss.Width(right) - 1
	name := ansi.Truncate(c.Title(), max(0, nameW), ellipsis)
	pad := max(0, nameW-lipgloss.Width(name))
	top := bar + markCell + " " + nameStyle.Render(name) + strings.Repeat(" ", pad+1) + right

	prevStyle := t.Dim
	if c.UnreadMessageCount > 0 {
		prevStyle = t.Item
	}
	receipt := ""
	if lm := c.LastMessage; lm != nil && lm.Sender == m.c.Me.UID && !lm.IsAction() && !lm.IsDeleted() {
		receipt = " " + referenceReceiptMark(m, lm)
	}
	prevW := m.width - 4 - lipgloss.Width(receipt)
	preview := ansi.Truncate(Preview(c.LastMessage, m.c.Me.UID), max(0, prevW), ellipsis)
	bottom := bar + "   " + prevStyle.Render(preview) + receipt
	return top, bottom
}

func referenceMark(m *Model, c *chat.Conversation) (string, lipgloss.Style) {
	t := m.c.Theme
	switch {
	case c.WithUser != nil && c.WithUser.Online():
		return markOnline, t.Online
	case c.WithUser != nil:
		return markOffline, t.Offline
	case c.WithGroup != nil:
		switch c.WithGroup.Type {
		case chat.GroupPassword:
			return markPassword, t.Dim
		case chat.GroupPrivate:
			return markPrivate, t.Dim
		}
		return markPublic, t.Dim
	}
	return " ", t.Dim
}

func referenceReceiptMark(m *Model, msg *chat.Message) string {
	t := m.c.Theme
	switch {
	case msg.ReadAt != 0:
		return t.ReceiptRead.Render("✓✓")
	case msg.DeliveredAt != 0:
		return t.Receipt.Render("✓✓")
	}
	return t.Receipt.Render("✓")
}

func referenceTitleLine(m *Model) string {
	t := m.c.Theme
	if m.filtering || m.filter.ti.Value() != "" {
		return " " + m.filter.ti.View()
	}
	title := t.Title.Render(" Conversations")
	hint := t.Dim.Render("/ ")
	gap := m.width - lipgloss.Width(title) - lipgloss.Width(hint)
	if gap < 1 {
		return title
	}
	return title + strings.Repeat(" ", gap) + hint
}

// clock is a settable Now.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// cachedList is the fixture list with a clock the test moves.
func cachedList(t *testing.T, w, h int) (*Model, *clock) {
	t.Helper()
	clk := &clock{now: now}
	c := testCommon()
	c.Now = clk.Now
	m := New(c)
	m.SetSize(w, h)
	m.SetConversations(fixtures())
	m.SetFocused(true)
	return m, clk
}

func checkFresh(t *testing.T, m *Model, after string) {
	t.Helper()
	got, want := m.View(), uncachedView(m)
	if got != want {
		t.Fatalf("after %s the cached list differs from a fresh draw:\ngot:\n%s\nwant:\n%s", after, plain(got), plain(want))
	}
}

// Every change that should redraw a row does: the list drawn from its
// caches equals one drawn afresh after each.
func TestRowCacheMatchesFreshDraw(t *testing.T) {
	m, clk := cachedList(t, 40, 16)
	checkFresh(t, m, "the first draw")
	wolv := user("superhero4", "Wolverine", false)
	cap := user("superhero2", "Captain America", true)
	spidey := user("superhero3", "Spiderman", true)
	steps := []struct {
		name string
		do   func()
	}{
		{"moving the cursor down", func() { m.Update(press("down")) }},
		{"moving the cursor down again", func() { m.Update(press("down")) }},
		{"losing focus", func() { m.SetFocused(false) }},
		{"regaining focus", func() { m.SetFocused(true) }},
		{"opening a conversation", func() { m.SetActive(chat.GroupConversationID("shield")) }},
		{"a new message that reorders", func() {
			m.ApplyMessage(*text(30, wolv, "superhero1", chat.ReceiverUser, "bub", now.Unix()), true)
		}},
		{"a new message in the top conversation", func() {
			m.ApplyMessage(*text(31, wolv, "superhero1", chat.ReceiverUser, "again", now.Unix()), true)
		}},
		{"a group message from someone else", func() {
			m.ApplyMessage(*text(32, spidey, "avengers", chat.ReceiverGroup, "in the group", now.Unix()), true)
		}},
		{"an unread count read", func() { m.SetUnread(chat.GroupConversationID("avengers"), 0) }},
		{"an unread count set", func() { m.SetUnread(chat.GroupConversationID("stark"), 7) }},
		{"presence online", func() { m.SetPresence("superhero4", true, now.Unix()) }},
		{"presence offline", func() { m.SetPresence("superhero2", false, now.Unix()) }},
		{"my message", func() {
			m.ApplyMessage(*text(33, user("superhero1", "Iron Man", true), "superhero2", chat.ReceiverUser, "mine", now.Unix()), false)
		}},
		{"a delivery receipt", func() { m.ApplyReceipt(chat.Receipt{MessageID: 33, Type: chat.ReceiptDelivered, At: now.Unix()}) }},
		{"a read receipt", func() { m.ApplyReceipt(chat.Receipt{MessageID: 33, Type: chat.ReceiptRead, At: now.Unix()}) }},
		{"an edit of the latest message", func() {
			e := *text(32, spidey, "avengers", chat.ReceiverGroup, "edited text", now.Unix())
			e.EditedAt = now.Unix()
			m.ApplyEdit(e)
		}},
		{"a deletion of the latest message", func() {
			e := *text(32, spidey, "avengers", chat.ReceiverGroup, "", now.Unix())
			e.DeletedAt = now.Unix()
			m.ApplyEdit(e)
		}},
		{"a conversation replaced", func() {
			c, _ := m.Get(chat.GroupConversationID("stark"))
			g := *c.WithGroup
			g.Name = "Stark Industries"
			c.WithGroup = &g
			m.Upsert(c)
		}},
		{"a conversation added", func() {
			g := chat.Group{GUID: "new", Name: "Newcomers", Type: chat.GroupPublic}
			m.Upsert(chat.Conversation{ConversationID: "group_new", ConversationType: chat.ReceiverGroup, WithGroup: &g, UpdatedAt: now.Unix() + 1})
		}},
		{"a conversation removed", func() { m.Remove(chat.GroupConversationID("shield")) }},
		{"30 seconds passing", func() { clk.now = clk.now.Add(30 * time.Second) }},
		{"40 more seconds passing", func() { clk.now = clk.now.Add(40 * time.Second) }},
		{"an hour passing", func() { clk.now = clk.now.Add(time.Hour) }},
		{"a narrower list", func() { m.SetSize(30, 16) }},
		{"a shorter list", func() { m.SetSize(30, 7) }},
		{"scrolling", func() { m.Scroll(4) }},
		{"a taller list", func() { m.SetSize(40, 30) }},
		{"a light theme", func() { m.c.Theme = common.NewTheme(false, false); m.SetTheme() }},
		{"no colour", func() { m.c.Theme = common.NewTheme(true, true); m.SetTheme() }},
		{"a filter", func() {
			m.Update(press("/"))
			m.Update(press("c"))
		}},
		{"no filter", func() { m.Update(press("esc")) }},
		{"all conversations replaced", func() {
			cs := fixtures()
			cs[0].UnreadMessageCount = 9
			m.SetConversations(cs)
		}},
		{"a message in a fresh list", func() {
			m.ApplyMessage(*text(40, cap, "superhero1", chat.ReceiverUser, "hello", clk.now.Unix()), true)
		}},
		{"nothing at all", func() {}},
		{"all conversations gone", func() { m.SetConversations(nil) }},
	}
	for _, s := range steps {
		s.do()
		checkFresh(t, m, s.name)
	}
}

// A random walk over the same changes, checked after every step.
func TestRowCacheRandomWalk(t *testing.T) {
	m, clk := cachedList(t, 36, 13)
	rng := rand.New(rand.NewPCG(1, 2))
	people := []*chat.User{user("superhero2", "Captain America", true), user("superhero3", "Spiderman", true),
		user("superhero4", "Wolverine", false), user("yamada", "山田太郎", false), user("superhero1", "Iron Man", true)}
	groups := []string{"avengers", "shield", "stark", "launch"}
	id := chat.ID(100)
	for step := range 3000 {
		var what string
		switch rng.IntN(12) {
		case 0, 1, 2:
			id++
			from := people[rng.IntN(len(people))]
			at := clk.now.Unix() - int64(rng.IntN(3))*3600
			var msg *chat.Message
			if rng.IntN(2) == 0 {
				msg = text(id, from, groups[rng.IntN(len(groups))], chat.ReceiverGroup, "msg "+strconv.Itoa(int(id)), at)
			} else if from.UID != "superhero1" {
				msg = text(id, from, "superhero1", chat.ReceiverUser, "dm "+strconv.Itoa(int(id)), at)
			} else {
				msg = text(id, from, people[rng.IntN(4)].UID, chat.ReceiverUser, "mine "+strconv.Itoa(int(id)), at)
			}
			m.ApplyMessage(*msg, rng.IntN(2) == 0)
			what = "a message"
		case 3:
			m.Update(press([]string{"down", "k", "j", "g", "G"}[rng.IntN(5)]))
			what = "a key"
		case 4:
			m.SetFocused(rng.IntN(2) == 0)
			what = "focus"
		case 5:
			p := people[rng.IntN(len(people))]
			m.SetPresence(p.UID, rng.IntN(2) == 0, clk.now.Unix())
			what = "presence"
		case 6:
			m.SetUnread(chat.GroupConversationID(groups[rng.IntN(len(groups))]), rng.IntN(120))
			what = "unread"
		case 7:
			m.ApplyReceipt(chat.Receipt{MessageID: id - chat.ID(rng.IntN(3)), Type: chat.ReceiptRead, At: clk.now.Unix()})
			what = "a receipt"
		case 8:
			clk.now = clk.now.Add(time.Duration(rng.IntN(90))*time.Second + time.Duration(rng.IntN(1e9)))
			// The whole view is kept within a wall-clock minute (as it
			// always was); what is checked here is the rows under it.
			m.ver++
			what = "time"
		case 9:
			m.SetSize(20+rng.IntN(30), 5+rng.IntN(20))
			what = "a resize"
		case 10:
			m.SetActive(chat.GroupConversationID(groups[rng.IntN(len(groups))]))
			what = "an open"
		case 11:
			if rng.IntN(20) == 0 {
				m.c.Theme = common.NewTheme(rng.IntN(2) == 0, false)
				m.SetTheme()
			}
			what = "a theme"
		}
		checkFresh(t, m, "step "+strconv.Itoa(step)+": "+what)
		if !slices.IsSortedFunc(m.all, func(a, b chat.Conversation) int { return order(&a, &b) }) {
			t.Fatalf("step %d: the list is out of order", step)
		}
	}
}

// settle gives exactly the order a full sort gives, including when the
// rest of the list was out of order or two conversations tie.
func TestSettleMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 2000 {
		n := 1 + rng.IntN(12)
		cs := make([]chat.Conversation, n)
		for k := range cs {
			cs[k] = chat.Conversation{ConversationID: "c" + strconv.Itoa(rng.IntN(n+2)), UpdatedAt: int64(rng.IntN(6))}
		}
		m := New(testCommon())
		m.SetSize(30, 10)
		m.all = slices.Clone(cs)
		if rng.IntN(2) == 0 {
			slices.SortStableFunc(m.all, func(a, b chat.Conversation) int { return order(&a, &b) })
		}
		m.applyFilter()
		want := slices.Clone(m.all)
		i := rng.IntN(n)
		at := int64(rng.IntN(8))
		m.all[i].UpdatedAt, want[i].UpdatedAt = at, at
		slices.SortStableFunc(want, func(a, b chat.Conversation) int { return order(&a, &b) })
		m.settle(i, "")
		if !slices.EqualFunc(m.all, want, func(a, b chat.Conversation) bool {
			return a.ConversationID == b.ConversationID && a.UpdatedAt == b.UpdatedAt
		}) {
			t.Fatalf("round %d: settle gave %v, sort %v", round, ids(m.all), ids(want))
		}
	}
}

func ids(cs []chat.Conversation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ConversationID+"@"+strconv.FormatInt(c.UpdatedAt, 10))
	}
	return out
}

// A row keeps its age label while the clock stays within a second:
// RelativeTime reads the clock only by the whole second, at every
// threshold and across a year's end in a zone with an odd offset.
func TestRelativeTimeCountsWholeSeconds(t *testing.T) {
	odd := time.FixedZone("odd", 5*3600+45*60+17)
	newYear := time.Date(2027, 1, 1, 0, 0, 0, 0, odd).Unix()
	rng := rand.New(rand.NewPCG(3, 4))
	at := now.Unix()
	for _, loc := range []*time.Location{time.UTC, odd} {
		for _, base := range []int64{at, newYear - 8*24*3600} {
			for _, d := range []int64{-2, -1, 0, 1, 59, 60, 61, 3599, 3600, 3601, 86399, 86400, 604799, 604800, 604801,
				newYear - base - 1, newYear - base, newYear - base + 1} {
				for range 4 {
					frac := time.Duration(rng.IntN(1e9))
					clock := time.Unix(base+d, 0).Add(frac)
					got, want := RelativeTime(clock, base, loc), RelativeTime(time.Unix(clock.Unix(), 0), base, loc)
					if got != want {
						t.Fatalf("%s, %ds and %v after: %q, but %q at the whole second", loc, d, frac, got, want)
					}
				}
			}
		}
	}
}
