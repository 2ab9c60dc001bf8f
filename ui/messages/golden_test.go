package messages

import (
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
