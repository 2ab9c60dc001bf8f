//go:build unix

package ui

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/convlist"
)

// oldMayDiffer is mayDiffer as it was, one code point at a time.
func oldMayDiffer(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x900:
		case r == 0x200D, r >= 0xFE00 && r <= 0xFE0F, r == 0x20E3,
			r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F,
			r >= 0x900 && r <= 0xDFF, r >= 0x1100 && r <= 0x11FF,
			r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
			return true
		}
	}
	return false
}

func FuzzMayDiffer(f *testing.F) {
	for _, s := range []string{"", "plain", "│ ▌ ─ ✓ …", "a\u200db", "1\ufe0f\u20e3", "👍🏽", "क्ष", "한글", "\xe2\x80", "\xe2\xe0\xa4\x80", "\xe2\x80\x8d", "\xe2\x83\xa3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mayDiffer(s), oldMayDiffer(s); got != want {
			t.Fatalf("mayDiffer(%q) = %v, want %v", s, got, want)
		}
	})
}

// naiveBlock is block without any memory: every line fitted afresh.
func naiveBlock(w, h int, parts ...string) []string {
	var out []string
	for _, p := range parts {
		for line := range strings.SplitSeq(p, "\n") {
			if len(out) == h {
				return out
			}
			out = append(out, common.FitLine(line, w, ""))
		}
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}

// naiveDiffers is whether mayDiffer holds for a part that block looks
// at: those that start before the block is full.
func naiveDiffers(h int, parts ...string) bool {
	n := 0
	for _, p := range parts {
		if n >= h {
			break
		}
		if mayDiffer(p) {
			return true
		}
		n += strings.Count(p, "\n") + 1
	}
	return false
}

// FuzzLineFitter fits the same and changed parts frame after frame and
// compares every block with one fitted afresh. The parts of a slot change
// as a scrolled pane or a reordered list does: lines come and go at
// either end, move, or change in place.
func FuzzLineFitter(f *testing.F) {
	f.Add("header\n\x1b[1mbold\x1b[m line", "a line that is far too long for the block", 10, 3)
	f.Add("│ ▌ ─ ✓", "日本語 🕷️ 👨‍👩‍👧‍👦", 6, 4)
	f.Add("", "\x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\", 0, 2)
	f.Add("one\ntwo\nthree", "क्ष\n❤️\nplain", 5, 8)
	f.Fuzz(func(t *testing.T, a, b string, w, h int) {
		if w < 0 || w > 200 || h < 0 || h > 50 {
			return
		}
		var fit lineFitter
		var buf []string // reused frame after frame, as frame does
		ab, ba := a+"\n"+b, b+"\n"+a
		frames := [][]string{{a, b}, {a, b}, {b, a}, {a, a + "x"}, {a}, {a, b}, {a, b},
			{ab, b}, {b + "\n" + ab, a}, {ab + "\n" + ba, ba}, {"x\n" + ab, ab + "\ny"}, {ba, ab}, {a + "x\n" + b, a}, {ab, ab}}
		// Frames whose parts (some) come as lines: one after another too.
		asLines := map[int]bool{1: true, 2: true, 5: true, 9: true, 10: true, 12: true}
		for frame, parts := range frames {
			fit.nextFrame()
			if frame == 5 {
				w++ // the same parts at another width
			}
			var got []string
			switch {
			case frame%4 == 3:
				got = fit.block(w, h, parts...)
			case asLines[frame]:
				// Some parts come as lines, as the pane and the list do
				// for ViewRows; their slots are the same as the strings'.
				lines := make([][]string, len(parts))
				for i, p := range parts {
					if i == 0 || frame%2 == 1 {
						lines[i] = strings.Split(p, "\n")
					}
				}
				var differs bool
				got, differs = fit.blockOf(buf[:0], slotMain, w, h, parts, lines)
				buf = got
				if want := naiveDiffers(h, parts...); differs != want {
					t.Fatalf("frame %d: blockOf(%d, %d, %q) differs %v, want %v", frame, w, h, parts, differs, want)
				}
			default:
				var differs bool
				got, differs = fit.blockDiffers(buf[:0], slotMain, w, h, parts...)
				buf = got
				if want := naiveDiffers(h, parts...); differs != want {
					t.Fatalf("frame %d: blockDiffers(%d, %d, %q) differs %v, want %v", frame, w, h, parts, differs, want)
				}
			}
			if want := naiveBlock(w, h, parts...); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("frame %d: block(%d, %d, %q) = %q, want %q", frame, w, h, parts, got, want)
			}
			if got, want := fit.fit(a, w), common.FitLine(a, w, ""); got != want {
				t.Fatalf("fit(%q, %d) = %q, want %q", a, w, got, want)
			}
		}
	})
}

// busySteps are the things that happen to a session, in an order that
// exercises every cache a frame is drawn from.
func busySteps() []struct {
	name string
	msg  tea.Msg
} {
	type step = struct {
		name string
		msg  tea.Msg
	}
	in := func(id chat.ID) tea.Msg {
		return eventMsg{ev: chat.MessageReceived{Message: busyMessage(id, busyNow.Unix())}}
	}
	hero := busyMember(7)
	dm := chat.Message{ID: 900, ConversationID: chat.UserConversationID("superhero1", "hero2"), Sender: "hero2",
		Receiver: "superhero1", ReceiverType: chat.ReceiverUser, Category: chat.CategoryMessage, Type: chat.TypeText,
		SentAt: busyNow.Unix(), Data: chat.MessageData{Text: "psst, over here"}}
	mine := busyMessage(905, busyNow.Unix())
	mine.Sender = "superhero1"
	mine.Data.Entities.Sender = nil
	steps := []step{
		{"a message", in(901)},
		{"another message", in(902)},
		{"typing in the group", eventMsg{ev: chat.TypingStarted{Typing: chat.Typing{Sender: hero, Receiver: "bench", ReceiverType: chat.ReceiverGroup}}}},
		{"a message from the typer", in(907)},
		{"typing ended", eventMsg{ev: chat.TypingEnded{Typing: chat.Typing{Sender: hero, Receiver: "bench", ReceiverType: chat.ReceiverGroup}}}},
		{"a direct message elsewhere (unread, reorder)", eventMsg{ev: chat.MessageReceived{Message: dm}}},
		{"presence online", eventMsg{ev: chat.PresenceChanged{User: busyMember(2), Online: true, At: busyNow.Unix()}}},
		{"presence offline", eventMsg{ev: chat.PresenceChanged{User: busyMember(4), Online: false, At: busyNow.Unix()}}},
		{"my message", eventMsg{ev: chat.MessageReceived{Message: mine}}},
		{"delivered", eventMsg{ev: chat.ReceiptReceived{Receipt: chat.Receipt{MessageID: 905, Type: chat.ReceiptDelivered,
			Sender: "hero3", Receiver: "bench", ReceiverType: chat.ReceiverGroup, At: busyNow.Unix()}}}},
		{"read", eventMsg{ev: chat.ReceiptReceived{Receipt: chat.Receipt{MessageID: 905, Type: chat.ReceiptRead,
			Sender: "hero3", Receiver: "bench", ReceiverType: chat.ReceiverGroup, At: busyNow.Unix()}}}},
		{"a burst", eventBatchMsg{evs: []chat.Event{
			chat.MessageReceived{Message: busyMessage(910, busyNow.Unix())},
			chat.MessageReceived{Message: busyMessage(911, busyNow.Unix())},
			chat.MessageReceived{Message: busyMessage(912, busyNow.Unix())}}}},
		{"focus to the pane", tea.KeyPressMsg{Code: tea.KeyTab}},
		{"select up", tea.KeyPressMsg{Code: tea.KeyUp}},
		{"select up again", tea.KeyPressMsg{Code: tea.KeyUp}},
		{"a message while scrolled", in(913)},
		{"focus to the list", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		{"list cursor down", tea.KeyPressMsg{Code: tea.KeyDown}},
		{"a message while the list has focus", in(914)},
		{"focus back", tea.KeyPressMsg{Code: tea.KeyTab}},
		{"members panel", tea.KeyPressMsg{Code: tea.KeyF3}},
		{"a message with the panel", in(915)},
		{"inspector", tea.KeyPressMsg{Code: tea.KeyF4}},
		{"a message with the inspector", in(916)},
		{"inspector closed", tea.KeyPressMsg{Code: tea.KeyF4}},
		{"panel closed", tea.KeyPressMsg{Code: tea.KeyF3}},
		{"narrower", tea.WindowSizeMsg{Width: 80, Height: 24}},
		{"a message when narrow", in(917)},
		{"light background", tea.BackgroundColorMsg{Color: lightColor{}}},
		{"a message in the light", in(918)},
		{"emoji and wide text", eventMsg{ev: chat.MessageReceived{Message: func() chat.Message {
			m := busyMessage(919, busyNow.Unix())
			m.Data.Text = "family 👨‍👩‍👧‍👦 山田 ❤️ ok"
			return m
		}()}}},
		{"a message under it", in(921)},
		{"grapheme widths", tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeSet}},
		{"wider", tea.WindowSizeMsg{Width: busyW, Height: busyH}},
		{"typing a key", tea.KeyPressMsg{Code: 'h', Text: "h"}},
		{"typing another", tea.KeyPressMsg{Code: 'i', Text: "i"}},
		{"a message while typing", in(920)},
	}
	for i := range 12 {
		steps = append(steps, step{"message " + strconv.Itoa(i), in(chat.ID(930 + i))})
	}
	dmConv := chat.Conversation{ConversationID: dm.ConversationID, ConversationType: chat.ReceiverUser, WithUser: &hero}
	steps = append(steps,
		step{"opening the direct chat", convlist.OpenMsg{Conversation: dmConv}},
		step{"a message in the group, now elsewhere", in(950)},
		step{"presence of the open peer", eventMsg{ev: chat.PresenceChanged{User: busyMember(2), Online: false, At: busyNow.Unix()}}},
		step{"a direct message in the open chat", eventMsg{ev: chat.MessageReceived{Message: func() chat.Message {
			m := dm
			m.ID = 951
			return m
		}()}}},
		step{"focus to the pane again", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		step{"focus to the list again", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		step{"filtering the list", tea.KeyPressMsg{Code: '/', Text: "/"}},
		step{"typing a filter", tea.KeyPressMsg{Code: 'b', Text: "b"}},
		step{"a message while filtering", in(952)},
		step{"more of the filter", tea.KeyPressMsg{Code: 'e', Text: "e"}},
		step{"the filter's cursor left", tea.KeyPressMsg{Code: tea.KeyLeft}},
		step{"leaving the filter with enter", tea.KeyPressMsg{Code: tea.KeyEnter}},
		step{"a message with the filter set", in(953)},
		step{"focus off the list, the filter left set", tea.KeyPressMsg{Code: tea.KeyTab}},
		step{"another message with the filter set", in(954)},
	)
	return steps
}

// lightColor is a light terminal background.
type lightColor struct{}

func (lightColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

// A session that draws a frame after every step ends up with the same
// frame as one that draws only at the end (and where events held for a
// frame ask for one): every cache is dropped when what it holds changes.
func TestFramesMatchAFreshSession(t *testing.T) {
	steps := busySteps()
	live, _ := busyModel(t)
	for i, s := range steps {
		live.Update(s.msg)
		frame := live.View().Content
		if i%6 != 5 && i != len(steps)-1 {
			continue
		}
		fresh, _ := busyModel(t)
		for _, s := range steps[:i+1] {
			fresh.Update(s.msg)
			for len(fresh.st.held) > 0 {
				fresh.View()
				fresh.Update(heldEventsMsg{})
			}
		}
		if want := fresh.View().Content; frame != want {
			gl, wl := strings.Split(frame, "\n"), strings.Split(want, "\n")
			for k := range min(len(gl), len(wl)) {
				if gl[k] != wl[k] {
					t.Fatalf("after %q (step %d) line %d differs from a fresh session's:\n got %q\nwant %q\n\n%s", s.name, i, k, gl[k], wl[k], ansi.Strip(frame))
				}
			}
			t.Fatalf("after %q (step %d) the frame differs from a fresh session's: %d lines, want %d", s.name, i, len(gl), len(wl))
		}
		for k, l := range strings.Split(frame, "\n") {
			if !utf8.ValidString(l) {
				t.Fatalf("line %d is not UTF-8", k)
			}
		}
	}
}

// An unchanged frame is the same string, and the parts under it are not
// fitted again.
func TestUnchangedFrameIsTheLastOne(t *testing.T) {
	m, next := busyModel(t)
	a := m.View().Content
	b := m.View().Content
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("an unchanged frame was drawn again")
	}
	m.Update(next())
	if c := m.View().Content; c == a {
		t.Fatal("a new message left the frame as it was")
	}
}
