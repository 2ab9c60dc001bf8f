package messages

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func TestGoldenWide(t *testing.T) {
	m := newPane(100, 30, showcase(), false)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenNarrow(t *testing.T) {
	m := newPane(40, 44, showcase(), false)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

// The styled goldens pin colours, OSC 8 links and the selection bar.
func TestGoldenWideStyled(t *testing.T) {
	m := newPane(100, 20, showcase(), false)
	m.SetFocused(true)
	golden.RequireEqual(t, []byte(m.View()))
}

func TestGoldenMenu(t *testing.T) {
	m := newPane(60, 16, showcase(), false)
	menuFor(t, m, 1013)
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenPicker(t *testing.T) {
	m := newPane(60, 12, showcase(), false)
	menuFor(t, m, 1004)
	press(m, "r")
	press(m, "right")
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenNewMessagesHint(t *testing.T) {
	m := newPane(60, 8, showcase(), false)
	press(m, "pgup")
	m.Upsert(text(1016, "superhero3", at(10, 25), "are we there yet"))
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

// Every frame is exactly width × height cells at any size, whatever the
// mix of wide characters, so the root can lay it out blindly.
func TestFrameIsExactlySized(t *testing.T) {
	for w := 12; w <= 120; w += 7 {
		for _, h := range []int{1, 5, 30} {
			m := newPane(w, h, showcase(), false)
			m.SetFocused(true)
			for step := range 4 {
				lines := strings.Split(m.View(), "\n")
				if len(lines) != h {
					t.Fatalf("%dx%d: %d lines", w, h, len(lines))
				}
				for i, l := range lines {
					if got := ansi.StringWidth(l); got != w {
						t.Fatalf("%dx%d step %d line %d is %d wide: %q", w, h, step, i, got, ansi.Strip(l))
					}
				}
				press(m, []string{"pgup", "up", "enter", "r"}[step])
			}
		}
	}
}
