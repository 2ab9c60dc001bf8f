package common

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Paint renders one line of text in a style the way Style.Render does,
// but, for a style that only sets colours and attributes, by wrapping the
// text in the escape codes Render puts around it: no allocation beyond the
// result, where Render looks up every property of the style each call.
// Whether the style is such a style is checked by rendering probes once;
// for any other style, and for text with tabs or line breaks, Paint calls
// Render.
type Paint struct {
	st        lipgloss.Style
	pre, post string
	plain     bool // Render(s) is pre+s+post for one line without tabs
}

// paintProbes are texts whose rendering shows whether a style wraps text
// as it is: spaces (styled apart when underlined or struck through),
// nothing at all, and a line longer than any width limit.
var paintProbes = []string{"x", "", "a b", "wide 山田 ✓ " + strings.Repeat("long text ", 30)}

// NewPaint reduces st to its escape codes where it can.
func NewPaint(st lipgloss.Style) Paint {
	p := Paint{st: st}
	const probe = "a b"
	r := st.Render(probe)
	i := strings.Index(r, probe)
	if i < 0 {
		return p
	}
	p.pre, p.post = r[:i], r[i+len(probe):]
	for _, s := range paintProbes {
		if st.Render(s) != p.pre+s+p.post {
			return p
		}
	}
	p.plain = true
	return p
}

// Render is the style's Render of s.
func (p *Paint) Render(s string) string {
	if !p.plain || strings.ContainsAny(s, "\t\r\n") {
		return p.st.Render(s)
	}
	return p.pre + s + p.post
}

// AppendOn appends Render(s) to b.
func (p *Paint) AppendOn(b []byte, s string) []byte {
	if !p.plain || strings.ContainsAny(s, "\t\r\n") {
		return append(b, p.st.Render(s)...)
	}
	return append(append(append(b, p.pre...), s...), p.post...)
}

// LineWidth is lipgloss.Width: the width of the widest line of s.
func LineWidth(s string) int {
	if !strings.Contains(s, "\n") {
		return Width(s)
	}
	w := 0
	for l := range strings.SplitSeq(s, "\n") {
		w = max(w, Width(l))
	}
	return w
}
