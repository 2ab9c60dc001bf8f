package messages

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// many builds n one-line messages with ids from first, alternating
// senders, one every 30 s from 00:00 of the test day.
func many(first chat.ID, n int) []chat.Message {
	out := make([]chat.Message, n)
	for i := range out {
		id := first + chat.ID(i)
		from := "superhero2"
		if id%2 == 0 {
			from = "superhero3"
		}
		out[i] = text(id, from, at(0, 0)+int64(id-1000)*30, fmt.Sprintf("msg %d.", id))
	}
	return out
}

func screen(m *Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

// lineOf is the screen line showing "msg <id>.", or -1.
func lineOf(m *Model, id chat.ID) int {
	for i, l := range screen(m) {
		if strings.Contains(l, fmt.Sprintf("msg %d.", id)) {
			return i
		}
	}
	return -1
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends a key and runs the Cmd it returns, if any.
func press(m *Model, k string) tea.Msg {
	_, cmd := m.Update(keyPress(k))
	if cmd == nil {
		return nil
	}
	return cmd()
}

func TestAppendWhilePinnedStaysPinned(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	if got := lineOf(m, 1049); got != 9 {
		t.Fatalf("newest on line %d, want the last line (9)", got)
	}
	m.Upsert(many(1050, 1)[0])
	if !m.Pinned() || lineOf(m, 1050) != 9 || lineOf(m, 1049) != 8 {
		t.Fatalf("after append: pinned=%v new on %d\n%s", m.Pinned(), lineOf(m, 1050), m.View())
	}
}

func TestAppendWhileScrolledUpKeepsPositionAndHints(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	press(m, "pgup")
	before := screen(m)
	if m.Pinned() {
		t.Fatal("still pinned after page up")
	}
	m.Upsert(many(1050, 1)[0])
	m.Upsert(many(1051, 1)[0])
	after := screen(m)
	for i := range 9 {
		if before[i] != after[i] {
			t.Fatalf("line %d moved:\n%q\n%q", i, before[i], after[i])
		}
	}
	if !strings.Contains(after[9], "2 new messages ↓") {
		t.Fatalf("no hint on the last line: %q", after[9])
	}
	press(m, "end")
	if !m.Pinned() || lineOf(m, 1051) != 9 || strings.Contains(m.View(), "new message") {
		t.Fatalf("end did not pin to the newest:\n%s", m.View())
	}
}

func TestOwnMessageRepins(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	press(m, "pgup")
	m.Upsert(text(1050, "superhero1", at(12, 0), "msg 1050."))
	if !m.Pinned() || lineOf(m, 1050) != 9 {
		t.Fatalf("my message did not bring the view down:\n%s", m.View())
	}
}

func TestScrollingDownToTheEndRepins(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	press(m, "pgup")
	press(m, "pgup")
	m.Upsert(many(1050, 1)[0])
	press(m, "pgdown")
	press(m, "pgdown")
	press(m, "pgdown")
	if !m.Pinned() || lineOf(m, 1050) != 9 {
		t.Fatalf("not pinned at the end:\n%s", m.View())
	}
}

// The oldest visible message keeps its screen line when an older page
// arrives, even though its "Today" separator goes away (the page is from
// the same day).
func TestPrependKeepsTopMessageOnItsLine(t *testing.T) {
	m := newPane(80, 10, many(1100, 50), true)
	var load tea.Msg
	for range 10 {
		if load = press(m, "pgup"); load != nil {
			break
		}
	}
	lo, ok := load.(common.LoadOlder)
	if !ok || lo.Before != 1100 || lo.ConversationID != conv {
		t.Fatalf("reaching the top sent %#v, want LoadOlder before 1100", load)
	}
	line := lineOf(m, 1100)
	if line != 1 || !strings.Contains(screen(m)[0], "loading older messages…") {
		t.Fatalf("top not reached: msg 1100 on %d\n%s", line, m.View())
	}
	m.Prepend(many(1050, 50), true)
	if got := lineOf(m, 1100); got != line {
		t.Fatalf("msg 1100 moved from line %d to %d\n%s", line, got, m.View())
	}
	if lineOf(m, 1099) != 0 {
		t.Fatalf("the older page is not above:\n%s", m.View())
	}
}

func TestPrependWhileScrolledKeepsEveryLine(t *testing.T) {
	m := newPane(80, 10, many(1100, 50), true)
	press(m, "pgup")
	press(m, "pgup")
	before := m.View()
	m.Prepend(many(1050, 50), true)
	if after := m.View(); after != before {
		t.Fatalf("view moved:\n%s\n---\n%s", before, after)
	}
}

func TestLoadOlderOnlyOnceWhileInFlight(t *testing.T) {
	m := newPane(80, 10, many(1000, 5), true)
	if got := press(m, "up"); got == nil {
		t.Fatal("reaching the top did not ask for older messages")
	}
	for _, k := range []string{"up", "pgup", "home", "up"} {
		if got := press(m, k); got != nil {
			t.Fatalf("%s sent %#v while a page is in flight", k, got)
		}
	}
	if _, cmd := m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp}); cmd != nil {
		t.Fatal("wheel sent a second request")
	}
	// An empty last page ends paging for good.
	m.Prepend(nil, false)
	if got := press(m, "home"); got != nil {
		t.Fatalf("asked again with no more history: %#v", got)
	}
}

func TestLoadOlderNoCascadeAfterPage(t *testing.T) {
	m := newPane(80, 10, many(1100, 50), true)
	m.SetFocused(true)
	var n int
	for range 60 {
		if press(m, "up") != nil {
			n++
			if n == 1 {
				m.Prepend(many(1050, 50), true) // arrives at once
			}
		}
	}
	// 60 steps up: the first page is reached after 49, the second
	// needs 50 more, so exactly one request.
	if n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	// A failed request (SetLoading false) lets the next reach ask again.
	m2 := newPane(80, 10, many(1000, 5), true)
	press(m2, "home")
	m2.SetLoading(false)
	if press(m2, "home") == nil {
		t.Fatal("no retry after a failed request")
	}
}

func TestResizeKeepsAnchor(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	press(m, "pgup")
	press(m, "pgup")
	if lineOf(m, 1022) != 0 {
		t.Fatalf("setup: msg 1022 is not on top:\n%s", m.View())
	}
	m.SetSize(50, 12)
	// Narrow rows put the header above the text: the message is still the
	// first on screen.
	if got := lineOf(m, 1022); got != 1 || !strings.Contains(screen(m)[0], "Spiderman") {
		t.Fatalf("msg 1022 on line %d after resize:\n%s", got, m.View())
	}
	if w := ansi.StringWidth(screen(m)[0]); w != 50 {
		t.Fatalf("lines are %d wide after resize, want 50 (cache not dropped)", w)
	}
	p := newPane(80, 10, many(1000, 50), false)
	p.SetSize(40, 10)
	if !p.Pinned() || lineOf(p, 1049) != 9 || !strings.Contains(screen(p)[8], "Captain America") {
		t.Fatalf("pinned view lost the newest on resize:\n%s", p.View())
	}
}

func TestShortConversationSitsAtTheBottom(t *testing.T) {
	m := newPane(80, 10, many(1001, 2), false) // a date separator and two lines
	if got := lineOf(m, 1002); got != 9 {
		t.Fatalf("the newest message is on line %d, want the last line (9):\n%s", got, strings.Join(screen(m), "\n"))
	}
	if got := lineOf(m, 1001); got != 8 {
		t.Fatalf("the older message is on line %d, want 8", got)
	}
	if strings.TrimSpace(screen(m)[0]) != "" {
		t.Fatalf("the space above a short conversation is not empty: %q", screen(m)[0])
	}
	// A new message pushes the others up by one line.
	m.Upsert(many(1003, 1)[0])
	if a, b := lineOf(m, 1002), lineOf(m, 1003); a != 8 || b != 9 {
		t.Fatalf("after an append: lines %d and %d, want 8 and 9", a, b)
	}
}

func TestShortThreadFollowsItsParent(t *testing.T) {
	m := newPane(80, 10, nil, false)
	m.SetThread(chat.Message{ID: 900, ConversationID: conv})
	m.SetMessages(many(1001, 2), false)
	if got := lineOf(m, 1001); got > 1 {
		t.Fatalf("the first reply is on line %d; replies should start at the top:\n%s", got, strings.Join(screen(m), "\n"))
	}
}

func TestPinnedPaneKeepsABoundedWindow(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	for _, msg := range many(1050, 2000) {
		m.Upsert(msg)
	}
	keep := m.keepPinned()
	if n := m.st.len(); n > keep+trimSlack(keep) || n < keep {
		t.Fatalf("%d messages loaded after 2050 arrived pinned, want %d to %d", n, keep, keep+trimSlack(keep))
	}
	if lineOf(m, 3049) != 9 || !m.Pinned() {
		t.Fatalf("newest not on the last line:\n%s", m.View())
	}
	// What was dropped comes back as a page when scrolled to.
	oldest := m.st.items[0].msg.ID
	var load tea.Msg
	for range 200 {
		if load = press(m, "pgup"); load != nil {
			break
		}
	}
	if lo, ok := load.(common.LoadOlder); !ok || lo.Before != oldest {
		t.Fatalf("reaching the top sent %#v, want LoadOlder before %d", load, oldest)
	}
	// Scrolled up, nothing is dropped any more.
	n := m.st.len()
	for _, msg := range many(3050, 200) {
		m.Upsert(msg)
	}
	if m.st.len() != n+200 {
		t.Fatalf("scrolled-up pane dropped messages: %d, want %d", m.st.len(), n+200)
	}
}

func TestPinnedWindowFollowsThePaneHeight(t *testing.T) {
	fill := func(h int) *Model {
		m := newPane(80, h, many(1000, 50), false)
		for _, msg := range many(1050, 2000) {
			m.Upsert(msg)
		}
		return m
	}
	short, tall := fill(25), fill(90)
	if k := short.keepPinned(); k != 100 {
		t.Fatalf("a 25-line pane keeps %d, want 100", k)
	}
	if n := short.st.len(); n < 100 || n > 150 {
		t.Fatalf("a 25-line pane holds %d messages, want 100 to 150", n)
	}
	if n := tall.st.len(); n < 360 {
		t.Fatalf("a 90-line pane holds %d messages, want at least 360", n)
	}
	if k := newPane(80, 3, nil, false).keepPinned(); k != minKept {
		t.Fatalf("a 3-line pane keeps %d, want the floor %d", k, minKept)
	}

	// Scrolling the short pane back to its top asks for what was dropped,
	// page after page, each before the oldest then loaded.
	m := short
	for page := range 3 {
		oldest := m.st.items[0].msg.ID
		var load tea.Msg
		for range 500 {
			if load = press(m, "pgup"); load != nil {
				break
			}
		}
		lo, ok := load.(common.LoadOlder)
		if !ok || lo.Before != oldest || lo.ConversationID != conv {
			t.Fatalf("page %d: reaching the top sent %#v, want LoadOlder before %d", page, load, oldest)
		}
		if again := press(m, "pgup"); again != nil {
			t.Fatalf("page %d: asked again while a page is in flight: %#v", page, again)
		}
		top := m.st.items[0].msg.ID
		m.Prepend(many(top-30, 30), true)
		if m.st.items[0].msg.ID != top-30 || m.Pinned() {
			t.Fatalf("page %d: oldest %d pinned %v after the page, want %d and scrolled", page, m.st.items[0].msg.ID, m.Pinned(), top-30)
		}
	}
}

func TestOverflowingWhenHalfThePaneIsNew(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	m.View()
	for i, msg := range many(1050, 5) {
		if m.Overflowing() {
			t.Fatalf("overflowing after %d new messages in a 10-line pane", i)
		}
		m.Upsert(msg)
	}
	if !m.Overflowing() {
		t.Fatal("5 new messages in a 10-line pane not reported")
	}
	m.View()
	if m.Overflowing() {
		t.Fatal("still overflowing after being drawn")
	}
	press(m, "home") // scrolled up: new messages are counted as unseen instead
	for _, msg := range many(1055, 10) {
		m.Upsert(msg)
	}
	if m.Overflowing() {
		t.Fatal("a scrolled-up pane reports overflow")
	}
}

// TestTrimmedEntriesAreReused: entries a pinned pane drops make room for
// new messages, and a reused entry draws its new message, not the old
// one's cached lines.
func TestTrimmedEntriesAreReused(t *testing.T) {
	m := newPane(80, 10, many(1000, 50), false)
	first := map[*entry]bool{}
	for i, e := range m.st.items {
		m.lines(i) // cache the lines each first entry draws
		first[e] = true
	}
	for i, msg := range many(1050, 2000) {
		m.Upsert(msg)
		if i%97 == 0 {
			m.View()
		}
	}
	reused := 0
	for i, e := range m.st.items {
		if first[e] {
			reused++
		}
		want := m.r.render(&e.msg, m.contentWidth(), m.rowFor(i), leadCell)
		if got := m.lines(i); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("entry %d (message %d) draws\n%s\nwant\n%s", i, e.msg.ID, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if reused == 0 {
		t.Fatal("no dropped entry was reused for a new message")
	}
	if lineOf(m, 3049) != 9 {
		t.Fatalf("newest not on the last line:\n%s", m.View())
	}
}
