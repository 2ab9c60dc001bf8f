package messages

import (
	"strconv"
	"testing"

	"cometterm/chat"
)

// benchRows are messages as a busy group sends them: short lines, lines
// that wrap, a mention and a link, from senders who rarely repeat.
func benchRows() []chat.Message {
	var ms []chat.Message
	for i := range 8 {
		body := "load T" + strconv.Itoa(1_000_000+i)
		switch i % 4 {
		case 1:
			body = "Q" + strconv.Itoa(i) + " hello there, this is a somewhat longer message that wraps onto a second line of the pane"
		case 2:
			body = "ping <@uid:superhero3> about https://example.com/plan?x=" + strconv.Itoa(i)
		}
		ms = append(ms, text(chat.ID(2000+i), "superhero"+strconv.Itoa(2+i%4), at(10, 20), body))
	}
	return ms
}

// BenchmarkRender draws one message at a 99-cell pane, as the pane does
// for each new message.
func BenchmarkRender(b *testing.B) {
	r := NewRenderer(testCommon())
	r.SetNames(names)
	for _, c := range []struct {
		name string
		msgs []chat.Message
	}{{"short", benchRows()[:1]}, {"wrapped", benchRows()[1:2]}, {"mention+link", benchRows()[2:3]}, {"showcase", showcase()}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m := &c.msgs[i%len(c.msgs)]
				i++
				r.Render(m, 99, Row{Thread: true})
			}
		})
	}
}
