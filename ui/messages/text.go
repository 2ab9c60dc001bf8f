package messages

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"cometterm/ui/common"
)

// spanKind says how a run of message text is styled.
type spanKind uint8

const (
	spanPlain spanKind = iota
	spanMention
	spanLink
	spanEdited
	spanDim
	spanDeleted
)

// span is a styled run [start, end) of the display string; url is the
// hyperlink target of a link span.
type span struct {
	start, end int
	kind       spanKind
	url        string
}

// styledText is text as shown (mentions resolved) plus its styled runs.
// Its room is reused from text to text: a renderer draws every message
// its pane shows.
type styledText struct {
	display []byte
	spans   []span
}

// reset empties t for the next text, keeping its room.
func (t *styledText) reset() {
	t.display = t.display[:0]
	t.spans = t.spans[:0]
}

func (t *styledText) add(s string, k spanKind, url string) {
	if s == "" {
		return
	}
	start := len(t.display)
	t.display = append(t.display, s...)
	t.spans = append(t.spans, span{start: start, end: len(t.display), kind: k, url: url})
}

// view is the text as shown, without a copy: it is valid only until t
// changes, so nothing may keep it.
func (t *styledText) view() string { return common.View(t.display) }

// String is a copy of the text as shown, to keep.
func (t *styledText) String() string { return string(t.display) }

var (
	mentionRe = regexp.MustCompile(`<@uid:([^>\s]+)>`)
	linkRe    = regexp.MustCompile(`https?://[^\s<>"]+`)
)

// sanitize drops escape sequences and control characters from text that
// came from other users, so a message can never drive the terminal.
func sanitize(s string) string {
	if plainText(s) {
		return s // nothing to drop
	}
	s = ansi.Strip(s)
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r == '\n':
			b.WriteRune(r)
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainText reports whether s is printable ASCII and line breaks only.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c > 0x7e {
			return false
		}
	}
	return true
}

func isControl(r rune) bool {
	return r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
}

// addRich appends user text, turning <@uid:X> into @Name mentions and URLs
// into links.
func (t *styledText) addRich(s string, name func(uid string) string) {
	s = sanitize(s)
	for s != "" {
		// The patterns need these; most messages have neither.
		var mi, li []int
		if strings.Contains(s, "<@uid:") {
			mi = mentionRe.FindStringSubmatchIndex(s)
		}
		if strings.Contains(s, "http") {
			li = linkRe.FindStringIndex(s)
		}
		switch {
		case mi == nil && li == nil:
			t.add(s, spanPlain, "")
			return
		case li == nil || (mi != nil && mi[0] < li[0]):
			t.add(s[:mi[0]], spanPlain, "")
			t.add("@"+name(s[mi[2]:mi[3]]), spanMention, "")
			s = s[mi[1]:]
		default:
			url := strings.TrimRight(s[li[0]:li[1]], ".,;:!?)]}'")
			t.add(s[:li[0]], spanPlain, "")
			t.add(url, spanLink, url)
			s = s[li[0]+len(url):]
		}
	}
}

// wrap breaks the text into lines of at most width cells (grapheme-aware)
// and styles each line on its own, so no style or hyperlink spans a line
// break. Every line is padded with spaces to exactly width cells, has
// first (the first line) or rest (the others) in front, and is appended
// to out. Each line is put together in buf, then shared (common.Shared):
// the sessions of a group draw most lines alike.
func (t *styledText) wrap(out []string, width int, st *palette, first, rest string, buf *[]byte) []string {
	display := t.view() // read here only: every line is copied out of buf
	if width < 1 {
		width = 1
	}
	var one [1]string
	var wrapped []string
	switch {
	case len(display) <= width && plainText(display) && !strings.Contains(display, "\n"):
		one[0] = display // fits: ansi.Wrap gives it back as it is
		wrapped = one[:]
	case plainText(display):
		wrapped = strings.Split(wrapASCII(display, width), "\n")
	default:
		wrapped = strings.Split(ansi.Wrap(display, width, ""), "\n")
	}
	cursor := 0
	for k, line := range wrapped {
		prefix := rest
		if k == 0 {
			prefix = first
		}
		b := append((*buf)[:0], prefix...)
		if at := strings.Index(display[cursor:], line); at < 0 {
			b = append(b, line...) // not expected: wrap keeps lines as substrings
		} else {
			start := cursor + at
			end := start + len(line)
			cursor = end
			b = t.styleRange(b, display, start, end, st)
		}
		b = append(b, common.Pad(width-common.Width(line))...)
		out = append(out, common.Shared(b))
		*buf = b
	}
	return out
}

// styleRange appends display[start:end] with the styles of its spans to b.
func (t *styledText) styleRange(b []byte, display string, start, end int, st *palette) []byte {
	for _, sp := range t.spans {
		a, z := max(sp.start, start), min(sp.end, end)
		if a >= z {
			continue
		}
		part := display[a:z]
		switch sp.kind {
		case spanPlain:
			b = append(b, part...)
		case spanMention:
			b = st.mention.appendOn(b, part)
		case spanLink:
			b = append(b, ansi.SetHyperlink(sp.url)...)
			b = st.link.appendOn(b, part)
			b = append(b, ansi.ResetHyperlink()...)
		case spanEdited:
			b = st.edited.appendOn(b, part)
		case spanDim:
			b = st.dim.appendOn(b, part)
		case spanDeleted:
			b = st.deleted.appendOn(b, part)
		}
	}
	return b
}

// pad right-pads a styled line with spaces to width cells.
func pad(s string, width int) string {
	if w := common.Width(s); w < width {
		return s + common.Pad(width-w)
	}
	return s
}

// wrapASCII is ansi.Wrap(s, limit, "") for s of printable ASCII and line
// breaks (see plainText), where every character is one cell and no escape
// sequence can occur: the same steps without the escape parser, the
// grapheme segmentation and the rune-by-rune buffers. FuzzWrapASCII holds
// it to ansi.Wrap.
func wrapASCII(s string, limit int) string {
	if limit < 1 {
		return s
	}
	buf := make([]byte, 0, len(s)+len(s)/limit+1)
	var wordBuf, spaceBuf [64]byte
	word, space := wordBuf[:0], spaceBuf[:0]
	var curWidth, spaceWidth int // word is always as wide as it is long
	addSpace := func() {
		curWidth += spaceWidth
		buf = append(buf, space...)
		space, spaceWidth = space[:0], 0
	}
	addWord := func() {
		if len(word) == 0 {
			return
		}
		addSpace()
		curWidth += len(word)
		buf = append(buf, word...)
		word = word[:0]
	}
	addNewline := func() {
		buf = append(buf, '\n')
		curWidth = 0
		space, spaceWidth = space[:0], 0
	}
	endSpaces := func() {
		if curWidth+spaceWidth > limit {
			curWidth = 0
		} else {
			buf = append(buf, space...) // preserve whitespace
		}
		space, spaceWidth = space[:0], 0
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			if len(word) == 0 {
				endSpaces()
			}
			addWord()
			addNewline()
		case ' ':
			addWord()
			space = append(space, c)
			spaceWidth++
		case '-':
			addSpace()
			if curWidth+len(word) >= limit {
				word = append(word, c) // it does not fit: part of the word
			} else {
				addWord()
				buf = append(buf, c)
				curWidth++
			}
		default:
			if curWidth == limit {
				addNewline()
			}
			word = append(word, c)
			if len(word) == limit {
				addWord() // a word as long as the line is cut
			}
			if curWidth+len(word)+spaceWidth > limit {
				addNewline()
			}
		}
	}
	if len(word) == 0 {
		endSpaces()
	}
	addWord()
	return string(buf)
}
