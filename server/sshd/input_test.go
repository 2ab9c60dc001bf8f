package sshd

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
	"go.uber.org/goleak"
)

// terminalInput is what terminals send: keys in their common encodings,
// pastes, mouse reports and replies to the queries the TUI makes.
var terminalInput = []struct{ name, in string }{
	{"ascii", "hello, World 42!"},
	{"utf8", "héllo wörld ñ"},
	{"emoji", "👍 😀"},
	{"emoji with skin tone", "👍🏽"},
	{"family emoji", "👨‍👩‍👧"},
	{"flag", "🇫🇷"},
	{"cjk", "日本語の文字"},
	{"combining accent", "e\u0301"},
	{"enter tab backspace", "\r\t\x7f"},
	{"ctrl keys", "\x01\x03\x04\x0b\x15\x17\x1a\x00\x1c\x1f"},
	{"ctrl+h", "\x08"},
	{"arrows csi", "\x1b[A\x1b[B\x1b[C\x1b[D"},
	{"arrows ss3", "\x1bOA\x1bOB\x1bOC\x1bOD"},
	{"up", "\x1b[A"},
	{"ss3 up", "\x1bOA"},
	{"ctrl+up", "\x1b[1;5A"},
	{"shift+alt+right", "\x1b[1;4C"},
	{"ctrl+shift+end", "\x1b[1;6F"},
	{"f1-f4 ss3", "\x1bOP\x1bOQ\x1bOR\x1bOS"},
	{"f1 ss3", "\x1bOP"},
	{"f5-f12", "\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~"},
	{"f5", "\x1b[15~"},
	{"ctrl+f5", "\x1b[15;5~"},
	{"home end csi", "\x1b[H\x1b[F"},
	{"home end tilde", "\x1b[1~\x1b[4~"},
	{"home end vt220", "\x1b[7~\x1b[8~"},
	{"pgup pgdn delete insert", "\x1b[5~\x1b[6~\x1b[3~\x1b[2~"},
	{"delete", "\x1b[3~"},
	{"shift+delete", "\x1b[3;2~"},
	{"shift+tab", "\x1b[Z"},
	{"alt+letter", "\x1bx"},
	{"alt+shift+letter", "\x1bX"},
	{"alt+letters", "\x1ba\x1bb"},
	{"alt+enter", "\x1b\r"},
	{"alt+backspace", "\x1b\x7f"},
	{"alt+up", "\x1b\x1b[A"},
	{"alt+utf8", "\x1bé"},
	{"lone esc", "\x1b"},
	{"esc esc", "\x1b\x1b"},
	{"esc then text", "\x1bhello"},
	{"urxvt shift+up", "\x1b[a"},
	{"urxvt ctrl+up", "\x1bOa"},
	{"urxvt shift+delete", "\x1b[3$"},
	{"urxvt ctrl+pgup", "\x1b[5^"},
	{"modify other keys ctrl+enter", "\x1b[27;5;13~"},
	{"modify other keys shift+tab", "\x1b[27;2;9~"},
	{"modify other keys ctrl+backspace", "\x1b[27;5;127~"},
	{"paste", "\x1b[200~hello\x1b[201~"},
	{"paste with newlines", "\x1b[200~line one\rline two\nline three\r\n\x1b[201~"},
	{"paste with tab and utf8", "\x1b[200~a\tb 日本 👍🏽\x1b[201~"},
	{"paste with escape", "\x1b[200~a\x1b[Ab\x1b[201~"},
	{"paste between keys", "x\x1b[200~pasted\x1b[201~y"},
	{"empty paste", "\x1b[200~\x1b[201~"},
	{"paste with invalid utf8", "\x1b[200~a\xffb\xc3\x1b[201~"},
	{"paste with replacement character", "\x1b[200~a\ufffdb\x1b[201~"},
	{"paste with mouse", "\x1b[200~a\x1b[<0;1;1Mb\x1b[201~"},
	{"sgr mouse click", "\x1b[<0;10;5M\x1b[<0;10;5m"},
	{"sgr mouse right click", "\x1b[<2;1;1M"},
	{"sgr mouse wheel", "\x1b[<64;20;3M\x1b[<65;20;3M"},
	{"sgr mouse motion", "\x1b[<35;7;8M"},
	{"sgr mouse ctrl+click", "\x1b[<16;3;4M"},
	{"x10 mouse", "\x1b[M !!"},
	{"focus", "\x1b[I\x1b[O"},
	{"osc 11 st", "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\"},
	{"osc 11 bel", "\x1b]11;rgb:ffff/ffff/ffff\x07"},
	{"osc 10", "\x1b]10;rgb:0000/0000/0000\x1b\\"},
	{"cursor position", "\x1b[12;40R"},
	{"cursor position row 1", "\x1b[1;5R"},
	{"mode report 2027", "\x1b[?2027;2$y"},
	{"mode report 2026", "\x1b[?2026;1$y"},
	{"kitty flags", "\x1b[?1u"},
	{"kitty a", "\x1b[97u"},
	{"kitty ctrl+a", "\x1b[97;5u"},
	{"kitty shift+a with text", "\x1b[97:65;2;65u"},
	{"kitty enter", "\x1b[13u"},
	{"kitty escape", "\x1b[27u"},
	{"kitty release", "\x1b[97;1:3u"},
	{"kitty ctrl+shift+up", "\x1b[1;6A"},
	{"primary device attributes", "\x1b[?62;22c"},
	{"typing then reply", "ab\x1b]11;rgb:0000/0000/0000\x07cd"},
	{"reply then keys", "\x1b[?2027;0$y\x1b[?0u\x1b[A"},
	{"bytes 8-bit csi", "\x9bA"},
	{"invalid utf8", "a\xffb"},
	{"cancelled osc", "\x1b]11;rgb\x18x"},
}

// chunkReader returns one chunk a read, then io.EOF.
type chunkReader struct{ chunks [][]byte }

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunks[0])
	if r.chunks[0] = r.chunks[0][n:]; len(r.chunks[0]) == 0 {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

// ours decodes chunks as readInput does when they come quickly, one a
// read, and then the escape timeout expires.
func ours(chunks [][]byte) []uv.Event {
	var d inputDecoder
	var evs []uv.Event
	emit := func(ev uv.Event) { evs = append(evs, ev) }
	for _, c := range chunks {
		d.pending = append(d.pending, c...)
		d.decode(false, emit)
	}
	d.decode(true, emit)
	if len(d.pending) > 0 {
		panic(fmt.Sprintf("%q left after the escape timeout", d.pending))
	}
	return evs
}

// theirs decodes chunks with uv's own terminal reader (with its key
// table), one chunk a read, the escape timeout expiring at the end (when
// the reader meets EOF) and not before.
func theirs(t testing.TB, chunks [][]byte) []uv.Event {
	t.Helper()
	own := make([][]byte, len(chunks))
	for i, c := range chunks {
		own[i] = append([]byte(nil), c...)
	}
	r := uv.NewTerminalReader(&chunkReader{chunks: own}, "xterm-256color")
	r.EscTimeout = time.Hour
	evc := make(chan uv.Event, 4096)
	if err := r.StreamEvents(context.Background(), evc); err != nil {
		t.Fatal(err)
	}
	close(evc)
	var evs []uv.Event
	for ev := range evc {
		evs = append(evs, ev)
	}
	return evs
}

func splitAt(s string, cuts ...int) [][]byte {
	var chunks [][]byte
	prev := 0
	for _, c := range cuts {
		chunks = append(chunks, []byte(s[prev:c]))
		prev = c
	}
	return append(chunks, []byte(s[prev:]))
}

func bytewise(s string) [][]byte {
	var chunks [][]byte
	for i := range len(s) {
		chunks = append(chunks, []byte{s[i]})
	}
	return chunks
}

func showEvents(evs []uv.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "%T%+v ", ev, ev)
	}
	return b.String()
}

// decoded is what uv's reader makes of in when it comes in one read
// behind a key, where the reader decodes it without its key table (the
// key is left out).
func decoded(t *testing.T, in string) []uv.Event {
	return theirs(t, splitAt("x"+in))[1:]
}

// differences are the inputs on which uv's reader answers otherwise,
// when they come in some reads, and why; ours answers as the decoder
// does (decoded) however the input comes.
var differences = map[string]string{
	"alt+up": "a read ending after ESC ESC [ gives alt+[ and A; ours waits, as after ESC [",
	"paste with escape": "an arrow in a read of its own is looked up in the key table, paste or not, " +
		"and delivered as a key, outside the paste",
	"x10 mouse": "a report whose last bytes come in a later read is an unknown sequence and keys",
	"osc 11 st": "a colour reply cut between the ESC and the \\ of its terminator is dropped " +
		"and \\ typed; the TUI's background detection would miss it",
	"osc 10": "as osc 11 st",
	"cursor position row 1": "CSI 1;5R is both ctrl+F3 and a cursor position report on row 1: " +
		"the decoder delivers both, the key table (used when the sequence is a read of its own) only the key",
}

// TestSessionInputMatchesTerminalReader feeds each input to ours and to
// uv's reader whole, a byte a read, and cut in two at every byte, and
// compares the events.
func TestSessionInputMatchesTerminalReader(t *testing.T) {
	differed := map[string]bool{}
	for _, c := range terminalInput {
		ways := map[string][][]byte{"whole": splitAt(c.in), "bytewise": bytewise(c.in)}
		for i := 1; i < len(c.in); i++ {
			ways[fmt.Sprintf("cut at %d", i)] = splitAt(c.in, i)
		}
		for way, chunks := range ways {
			got, want := ours(chunks), theirs(t, chunks)
			if reflect.DeepEqual(got, want) {
				continue
			}
			if _, ok := differences[c.name]; !ok {
				t.Errorf("%s %q, %s:\n ours   %s\n theirs %s", c.name, c.in, way, showEvents(got), showEvents(want))
				continue
			}
			differed[c.name] = true
			if want := decoded(t, c.in); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q, %s:\n ours    %s\n decoded %s", c.name, c.in, way, showEvents(got), showEvents(want))
			}
		}
	}
	for name, why := range differences {
		if !differed[name] {
			t.Errorf("%s: uv's reader no longer differs (%s)", name, why)
		}
	}
}

// keySequences are the sequences of uv's key table of 3 bytes or more
// (shorter ones never reach the table), built from the families it is
// made of: xterm's modified keys, SS3 keypad keys, CSI ~ keys,
// modifyOtherKeys, URxvt's keys, and each plain key with alt (ESC first).
func keySequences() []string {
	tilde := []string{"1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13", "14", "15",
		"17", "18", "19", "20", "21", "23", "24", "25", "26", "28", "29", "31", "32", "33", "34"}
	var plain []string
	for _, f := range "ABCDEFHPQRS" {
		plain = append(plain, "\x1b["+string(f), "\x1bO"+string(f))
	}
	for _, f := range "MXjklmnopqrstuvwxy" {
		plain = append(plain, "\x1bO"+string(f))
	}
	for _, f := range "abcd" {
		plain = append(plain, "\x1b["+string(f), "\x1bO"+string(f))
	}
	plain = append(plain, "\x1b[Z")
	for _, k := range tilde {
		plain = append(plain, "\x1b["+k+"~", "\x1b["+k+"$", "\x1b["+k+"^", "\x1b["+k+"@")
	}
	seqs := append([]string(nil), plain...)
	for _, s := range plain {
		seqs = append(seqs, "\x1b"+s)
	}
	for c := 0; c < 0x20; c++ {
		seqs = append(seqs, "\x1b"+string(rune(c))) // alt+ctrl keys: too short, kept as a check
	}
	for m := 2; m <= 16; m++ {
		mod := fmt.Sprint(m)
		for _, f := range "ABCDEFHPQRS" {
			seqs = append(seqs, "\x1b[1;"+mod+string(f))
		}
		for _, f := range "MXjklmnopqrstuvwxy" {
			seqs = append(seqs, "\x1bO"+mod+string(f))
		}
		for _, k := range tilde {
			seqs = append(seqs, "\x1b["+k+";"+mod+"~")
		}
		for _, c := range []int{8, 9, 13, 27, 127} {
			seqs = append(seqs, fmt.Sprintf("\x1b[27;%s;%d~", mod, c))
		}
	}
	return seqs
}

// TestSessionInputMatchesTheKeyTable decodes every sequence of uv's key
// table without it, alone in a read (where uv's reader looks it up) and
// behind a key (where uv's reader decodes it, and looks up only what the
// decoder does not know).
func TestSessionInputMatchesTheKeyTable(t *testing.T) {
	cpr := regexp.MustCompile(`^\x1b\[1;\d+R$`)
	for _, seq := range keySequences() {
		for _, in := range []string{seq, "x" + seq} {
			got, want := ours(splitAt(in)), theirs(t, splitAt(in))
			if cpr.MatchString(in) {
				// F3 with modifiers or a cursor position report on row 1
				// (see differences): the table says the key, the decoder
				// both.
				want = decoded(t, in)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q:\n ours   %s\n theirs %s", in, showEvents(got), showEvents(want))
			}
		}
	}
}

// cutsCluster tells whether a chunk ends between two runes of one
// grapheme cluster (an emoji and its skin tone, a letter and its
// accent). A cluster is decoded as one key only when it comes in one
// read: its runes are decoded one read at a time, as uv's reader does.
// Waiting for the rest of every cluster that could go on would hold back
// every key typed.
func cutsCluster(in []byte, chunks [][]byte) bool {
	// inside[i]: a read ending before in[i] ends it past the first rune
	// of a cluster that goes on.
	inside := make([]bool, len(in)+1)
	state, pos := -1, 0
	for rest := in; len(rest) > 0; {
		var c []byte
		c, rest, _, state = uniseg.Step(rest, state)
		_, first := utf8.DecodeRune(c)
		for i := pos + first; i < pos+len(c); i++ {
			inside[i] = true
		}
		pos += len(c)
	}
	at := 0
	for _, c := range chunks {
		if at += len(c); inside[at] {
			return true
		}
	}
	return false
}

// cutInto cuts in into chunks of the lengths cuts gives, in turn.
func cutInto(in, cuts []byte) [][]byte {
	var chunks [][]byte
	for i := 0; len(in) > 0; i++ {
		n := len(in)
		if len(cuts) > 0 {
			n = min(int(cuts[i%len(cuts)])%8+1, len(in))
		}
		chunks = append(chunks, in[:n])
		in = in[n:]
	}
	return chunks
}

// FuzzSessionInput checks that any bytes, cut into reads of 1 to 8 bytes,
// give the events they give in one read, the escape timeout expiring at
// the end (when nothing may be left: ours panics if it is). Left out: input
// longer than maxPending, decoded as it stands wherever the bound is
// passed, and cuts inside a grapheme cluster (see cutsCluster).
func FuzzSessionInput(f *testing.F) {
	for _, c := range terminalInput {
		f.Add([]byte(c.in), []byte{0}) // a byte a read
		f.Add([]byte(c.in), []byte{2, 0, 5})
	}
	// Inputs whose reads a byte at a time were once decoded otherwise.
	for _, in := range []string{"\x1b[1$A", "\x1b\x9b1$A", "\x9d0\x1b\\", "\x9bM0000", "\x1b\x1b\xc3\xa9"} {
		f.Add([]byte(in), []byte{0})
	}
	cancelledType() // learned once per process: not new coverage for whichever input comes first
	f.Fuzz(func(t *testing.T, in, cuts []byte) {
		chunks := cutInto(in, cuts)
		if len(in) > maxPending || cutsCluster(in, chunks) {
			t.Skip()
		}
		whole, split := ours([][]byte{in}), ours(chunks)
		if !reflect.DeepEqual(whole, split) {
			t.Fatalf("%q cut %v:\n whole %s\n split %s", in, cuts, showEvents(whole), showEvents(split))
		}
	})
}

// inputPipe runs readInput on a pipe, whose events come on evs; done is
// closed when readInput has returned.
type inputPipe struct {
	w    *io.PipeWriter
	evs  chan uv.Event
	done chan struct{}
}

func startInput(ctx context.Context, timeout time.Duration) *inputPipe {
	r, w := io.Pipe()
	p := &inputPipe{w: w, evs: make(chan uv.Event, 64), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		readInput(ctx, r, func(ev tea.Msg) { p.evs <- ev }, timeout)
	}()
	return p
}

func (p *inputPipe) write(t *testing.T, s string) {
	t.Helper()
	if _, err := p.w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

func (p *inputPipe) next(t *testing.T) uv.Event {
	t.Helper()
	select {
	case ev := <-p.evs:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return nil
	}
}

// end closes the pipe, checks that readInput returns, and returns what
// it sent at EOF.
func (p *inputPipe) end(t *testing.T) []uv.Event {
	t.Helper()
	p.w.Close()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Fatal("readInput did not return at EOF")
	}
	close(p.evs)
	var evs []uv.Event
	for ev := range p.evs {
		evs = append(evs, ev)
	}
	return evs
}

func isKey(ev uv.Event, code rune, mod uv.KeyMod) bool {
	k, ok := ev.(uv.KeyPressEvent)
	return ok && k.Code == code && k.Mod == mod
}

func TestSessionInputEscapeTimeout(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const timeout = 20 * time.Millisecond
	p := startInput(context.Background(), timeout)
	start := time.Now()
	p.write(t, "\x1b")
	if ev := p.next(t); !isKey(ev, uv.KeyEscape, 0) {
		t.Fatalf("lone ESC gave %s", showEvents([]uv.Event{ev}))
	}
	if waited := time.Since(start); waited < timeout {
		t.Fatalf("lone ESC delivered after %v, before the escape timeout", waited)
	}
	// Once delivered, the ESC is not the start of what comes next.
	p.write(t, "[A")
	if a, b := p.next(t), p.next(t); !isKey(a, '[', 0) || !isKey(b, 'a', uv.ModShift) {
		t.Fatalf("[A after the timeout gave %s", showEvents([]uv.Event{a, b}))
	}
	if evs := p.end(t); len(evs) > 0 {
		t.Fatalf("more events: %s", showEvents(evs))
	}
}

func TestSessionInputEscapeThenRestIsOneKey(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	p := startInput(context.Background(), time.Hour)
	p.write(t, "\x1b") // two reads: the pipe hands each write to one
	p.write(t, "[A")
	if ev := p.next(t); !isKey(ev, uv.KeyUp, 0) {
		t.Fatalf("ESC then [A gave %s", showEvents([]uv.Event{ev}))
	}
	// What follows ESC x shows it was alt+x: no need to wait longer.
	p.write(t, "\x1bx")
	p.write(t, "y")
	if a, b := p.next(t), p.next(t); !isKey(a, 'x', uv.ModAlt) || !isKey(b, 'y', 0) {
		t.Fatalf("ESC x then y gave %s", showEvents([]uv.Event{a, b}))
	}
	// At EOF, what waits is decoded as it stands.
	p.write(t, "\x1b")
	if evs := p.end(t); len(evs) != 1 || !isKey(evs[0], uv.KeyEscape, 0) {
		t.Fatalf("ESC at EOF gave %s", showEvents(evs))
	}
}

func TestSessionInputEndsWithTheSession(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	p := startInput(ctx, time.Hour)
	p.write(t, "\x1b") // a timer is set
	cancel()
	// The next read returns (readInput may have returned already, when it
	// saw the context end after the last one).
	go p.w.Write([]byte("a"))
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Fatal("readInput did not return when its context ended")
	}
	p.w.Close() // the write, if nothing read it
}

// TestInputDecoderWaitsForTheRest feeds reads one by one and checks what
// each delivers.
func TestInputDecoderWaitsForTheRest(t *testing.T) {
	for _, c := range []struct {
		reads []string
		want  [][]string // the events' String() after each read
	}{
		{[]string{"\x1b", "[A"}, [][]string{nil, {"up"}}},
		{[]string{"\x1bx", "y"}, [][]string{nil, {"alt+x", "y"}}},
		{[]string{"\x1bO", "P"}, [][]string{nil, {"f1"}}},
		{[]string{"\x1b[1;5", "A"}, [][]string{nil, {"ctrl+up"}}},
		{[]string{"\xc3", "\xa9"}, [][]string{nil, {"é"}}},
		{[]string{"ab\x1b[<0;3;", "4M"}, [][]string{{"a", "b"}, {"left"}}},
		{[]string{"\x1b]11;rgb:ffff/ffff/ffff\x1b", "\\"}, [][]string{nil, {"#ffffff"}}},
		{[]string{"\x1b[200~one\r", "two", "\x1b[201~"}, [][]string{{"{}"}, nil, {"one\rtwo", "{}"}}},
	} {
		var d inputDecoder
		for i, r := range c.reads {
			var got []string
			d.pending = append(d.pending, r...)
			d.decode(false, func(ev uv.Event) { got = append(got, fmt.Sprint(ev)) })
			if !reflect.DeepEqual(got, c.want[i]) {
				t.Errorf("%q, read %d: got %q, want %q", c.reads, i+1, got, c.want[i])
			}
		}
	}
}

func TestSessionFilterWritesQueries(t *testing.T) {
	filter := sessionFilter()
	for _, c := range []struct {
		cmd  tea.Cmd
		want string
	}{
		{tea.RequestBackgroundColor, "\x1b]11;?\x07"},
		{tea.RequestForegroundColor, "\x1b]10;?\x07"},
		{tea.RequestCursorColor, "\x1b]12;?\x07"},
		{tea.RequestCursorPosition, "\x1b[6n"},
		{tea.ReadClipboard, "\x1b]52;c;?\x07"},
		{tea.ReadPrimaryClipboard, "\x1b]52;p;?\x07"},
		{tea.RequestTerminalVersion, "\x1b[>q"},
		{tea.RequestProgramStatusSupport, ansi.RequestProgramStatusSupport},
		{tea.RequestCapability("RGB"), "\x1bP+q524742\x1b\\"},
	} {
		got := filter(nil, c.cmd())
		if raw, ok := got.(tea.RawMsg); !ok || raw.Msg != c.want {
			t.Errorf("%T: filtered into %#v, want the raw query %q", c.cmd(), got, c.want)
		}
	}
	if got := filter(nil, tea.SuspendMsg{}); got != (tea.ResumeMsg{}) {
		t.Errorf("suspend filtered into %#v", got)
	}
	batch := tea.BatchMsg{tea.RequestBackgroundColor} // not comparable
	for _, msg := range []tea.Msg{tea.KeyPressMsg{Code: 'a'}, tea.WindowSizeMsg{Width: 1}, "x", batch} {
		if got := filter(nil, msg); !reflect.DeepEqual(got, msg) {
			t.Errorf("%#v filtered into %#v", msg, got)
		}
	}
}

// startedModel tells when its program has started (its input reader, if
// any, is made before Init).
type startedModel struct{ started chan<- struct{} }

func (m startedModel) Init() tea.Cmd {
	return func() tea.Msg { m.started <- struct{}{}; return nil }
}
func (m startedModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (m startedModel) View() tea.View                      { return tea.NewView("") }

// How a program's input is read, in inputCost.
const (
	byUVReader  = iota // Bubble Tea reads the pipe (uv's reader)
	byReadInput        // readInput reads it for the program
	notRead            // nothing reads it
)

// inputCost is the heap and stack that n running programs take beyond
// what was in use before, per program, their input read in the given
// way.
func inputCost(t *testing.T, n, way int) int64 {
	t.Helper()
	inUse := func() int64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc + ms.StackInuse)
	}
	before := inUse()
	started := make(chan struct{})
	var progs []*tea.Program
	var pipes []*io.PipeWriter
	var ended []chan struct{}
	for range n {
		r, w := io.Pipe()
		opts := []tea.ProgramOption{tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler(),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithInput(r)}
		if way != byUVReader {
			opts = append(opts, tea.WithInput(nil))
		}
		p := tea.NewProgram(startedModel{started}, opts...)
		done := make(chan struct{}, 2)
		go func() { p.Run(); done <- struct{}{} }()
		if way == byReadInput {
			go func() { readInput(context.Background(), r, p.Send, uv.DefaultEscTimeout); done <- struct{}{} }()
		}
		<-started
		progs, pipes, ended = append(progs, p), append(pipes, w), append(ended, done)
	}
	cost := inUse() - before
	for i, p := range progs {
		p.Quit()
		pipes[i].Close()
		<-ended[i]
		if way == byReadInput {
			<-ended[i]
		}
	}
	return cost / int64(n)
}

// TestSessionInputHasNoKeyTable measures what reading a session's input
// costs: uv's reader builds a table of every key sequence for each
// program.
func TestSessionInputHasNoKeyTable(t *testing.T) {
	const n = 40
	theirs, ours, none := inputCost(t, n, byUVReader), inputCost(t, n, byReadInput), inputCost(t, n, notRead)
	t.Logf("a running program, its input read by uv's reader: %d KiB; by readInput: %d KiB; not read: %d KiB",
		theirs>>10, ours>>10, none>>10)
	if theirs-ours < 64<<10 {
		t.Errorf("readInput saves %d KiB a program; uv's key table alone is over 100", (theirs-ours)>>10)
	}
	// Its goroutine's stack and read buffer: a few KiB, more under the
	// race detector, far from the key table's hundred.
	if ours-none > 32<<10 {
		t.Errorf("readInput costs %d KiB a program", (ours-none)>>10)
	}
}
