package sshd

import (
	"bytes"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// colourConverter converts the colours of a session's frames to its
// terminal's profile, writing what colorprofile.Writer writes for the text
// the TUI draws (UTF-8 text and 7-bit escape sequences). The writer decodes
// every grapheme and styles every SGR sequence anew; a frame is mostly
// text between a theme's few styles, so the text is copied in runs and
// each distinct SGR sequence is converted once per session.
type colourConverter struct {
	profile colorprofile.Profile
	sgr     map[string]string // SGR sequence → as converted
	one     colorprofile.Writer
	scratch bytes.Buffer
}

func newColourConverter(p colorprofile.Profile) *colourConverter {
	c := &colourConverter{profile: p}
	c.one = colorprofile.Writer{Forward: &c.scratch, Profile: p}
	return c
}

// maxSGRs bounds the conversions kept: a theme has a few dozen styles.
const maxSGRs = 512

// write appends s, converted, to dst.
func (c *colourConverter) write(dst *bytes.Buffer, s string) {
	switch {
	case c.profile == colorprofile.TrueColor:
		dst.WriteString(s)
		return
	case c.profile <= colorprofile.NoTTY:
		dst.WriteString(ansi.Strip(s))
		return
	}
	for len(s) > 0 {
		i := strings.IndexByte(s, ansi.ESC)
		if i < 0 {
			dst.WriteString(s)
			return
		}
		dst.WriteString(s[:i])
		s = s[i:]
		n := csiLen(s)
		if n == 0 { // not a control sequence: copied as it is
			dst.WriteByte(ansi.ESC)
			s = s[1:]
			continue
		}
		seq := s[:n]
		s = s[n:]
		if !isSGR(seq) {
			dst.WriteString(seq)
			continue
		}
		dst.WriteString(c.convertSGR(seq))
	}
}

func (c *colourConverter) convertSGR(seq string) string {
	if out, ok := c.sgr[seq]; ok {
		return out
	}
	c.scratch.Reset()
	_, _ = c.one.WriteString(seq)
	out := c.scratch.String()
	if c.sgr == nil || len(c.sgr) >= maxSGRs {
		c.sgr = make(map[string]string)
	}
	c.sgr[seq] = out
	return out
}

// csiLen is the length of the control sequence (ESC [ parameters,
// intermediates, final byte) s starts with, 0 if it starts with none.
func csiLen(s string) int {
	if len(s) < 3 || s[0] != ansi.ESC || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 0x20 && b <= 0x3f: // parameters and intermediates
		case b >= 0x40 && b <= 0x7e:
			return i + 1
		default:
			return 0
		}
	}
	return 0
}
