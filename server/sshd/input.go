package sshd

import (
	"context"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// A line-rendered session's program reads no input of its own
// (tea.WithInput(nil)): given the session, Bubble Tea reads it through
// uv.NewTerminalReader, which builds a table of every key sequence it
// knows, about 120 KB for each program (the largest item of the server's
// heap with hundreds of sessions), and reads with two goroutines. Here one
// goroutine reads the session, uv.EventDecoder (which needs no table)
// decodes it, and the events are sent to the program, whose loop turns
// them into messages as it does its own reader's.
//
// Win32 input mode is not decoded: a terminal only sends it to a program
// that asks for it, and sessions never do.

const (
	// inputReadSize is how much of a session's input is read at a time:
	// keys come a few bytes at a time, and a paste is read in several.
	inputReadSize = 1024
	// maxPending bounds a sequence waiting for its end: past it, what is
	// pending is decoded as it stands, so that a client cannot make the
	// server keep (and decode again at every read) one that never ends.
	maxPending = 16 << 10
	// maxPaste bounds a paste; the rest of a longer one is left out.
	maxPaste = 1 << 20
	// keepBuf is the most a buffer keeps, once emptied, for next time.
	keepBuf = 4 << 10
)

// inputDecoder turns a terminal's bytes into events, as uv's terminal
// reader does: a sequence cut by a read waits for the rest; a bracketed
// paste is delivered as one PasteEvent (between its start and end
// events); the events of a MultiEvent are delivered one by one; cancelled
// sequences are dropped. Where it answers otherwise (see the differences
// in its tests), it is to decode a sequence alike however reads cut it.
// It is not safe for concurrent use.
type inputDecoder struct {
	dec     uv.EventDecoder
	pending []byte // received, not decoded yet
	pasting bool
	paste   []byte // the paste so far
}

// decode delivers the events pending holds. Unless expired, it stops at
// what may be the start of a longer sequence (a lone ESC, ESC and one
// byte, an unfinished sequence or character), which is decoded when more
// comes or, once the escape timeout has expired, as it stands.
func (d *inputDecoder) decode(expired bool, emit func(uv.Event)) {
	expired = expired || len(d.pending) > maxPending
	buf := d.pending
	for len(buf) > 0 {
		n, ev := d.next(buf)
		if !expired && d.mayContinue(buf, n, ev) {
			break
		}
		if d.pasting {
			if _, end := ev.(uv.PasteEndEvent); !end {
				d.addToPaste(buf[:n], ev)
				buf = buf[n:]
				continue
			}
		}
		buf = buf[n:]
		d.deliver(ev, emit)
	}
	d.pending = d.pending[:copy(d.pending, buf)]
	if len(d.pending) == 0 && cap(d.pending) > keepBuf {
		d.pending = nil
	}
}

// next decodes the event buf starts with, in n > 0 bytes.
func (d *inputDecoder) next(buf []byte) (n int, ev uv.Event) {
	defer func() {
		// What a session's terminal sends must never take the server
		// down: should the decoder fail on it, the byte is unknown.
		if recover() != nil {
			n, ev = 1, uv.UnknownEvent(buf[:1])
		}
	}()
	if len(buf) >= 5 && buf[0] == ansi.CSI && buf[1] == 'M' {
		// An X10 mouse report after an 8-bit CSI: the decoder reads the
		// report as if it began with the two bytes of ESC [, one byte
		// past its end, so it is given it in that form.
		seq := [...]byte{ansi.ESC, '[', 'M', buf[2], buf[3], buf[4]}
		_, ev = d.dec.Decode(seq[:])
		return 5, ev
	}
	n, ev = d.dec.Decode(buf)
	return min(max(n, 1), len(buf)), ev // always progress, never past the end
}

// addToPaste keeps what a key inside a paste stands for: its text, or
// the bytes that made it (enter, tab, an arrow). Everything else there
// (unreadable bytes, mouse, reports) is left out.
func (d *inputDecoder) addToPaste(seq []byte, ev uv.Event) {
	if k, ok := ev.(uv.KeyPressEvent); ok && len(d.paste) < maxPaste {
		if k.Text != "" {
			d.paste = append(d.paste, k.Text...)
		} else {
			d.paste = append(d.paste, seq...)
		}
	}
}

func (d *inputDecoder) deliver(ev uv.Event, emit func(uv.Event)) {
	switch e := ev.(type) {
	case uv.PasteStartEvent:
		d.pasting, d.paste = true, d.paste[:0]
	case uv.PasteEndEvent:
		emit(uv.PasteEvent{Content: strings.ToValidUTF8(string(d.paste), "")})
		d.pasting = false
		if cap(d.paste) > keepBuf {
			d.paste = nil
		}
	case uv.MultiEvent:
		for _, e := range e {
			emit(e)
		}
		return
	}
	if isCancelled(ev) {
		return
	}
	emit(ev)
}

// mayContinue tells whether the n bytes decoded as ev may be the start of
// a longer sequence that the next read completes.
func (d *inputDecoder) mayContinue(buf []byte, n int, ev uv.Event) bool {
	switch ev.(type) {
	case uv.UnknownEvent:
		return true // an unfinished sequence or UTF-8 character
	case uv.UnknownCsiEvent:
		// X10 mouse: CSI M and three bytes, not all here yet.
		return buf[n-1] == 'M' && len(buf)-n < 3
	}
	seq := afterAlt(buf)
	if cutBeforeST(seq) {
		return true
	}
	if c := buf[n-1]; n == len(buf) && c >= 0x20 && c <= 0x2f && isCSI(seq) {
		// URxvt ends shift+key with $, which may as well be the
		// intermediate byte of a longer CSI sequence.
		return true
	}
	return d.escWaits(buf, n)
}

// afterAlt is buf without the ESCs before an ESC or 8-bit sequence
// (the decoder reads a key after ESC as alt+key).
func afterAlt(buf []byte) []byte {
	for len(buf) > 1 && buf[0] == ansi.ESC && (buf[1] == ansi.ESC || buf[1] >= 0x80 && buf[1] <= 0x9f) {
		buf = buf[1:]
	}
	return buf
}

func isCSI(buf []byte) bool {
	return buf[0] == ansi.CSI || len(buf) > 1 && buf[0] == ansi.ESC && buf[1] == '['
}

// cutBeforeST tells whether buf is a string sequence (OSC, DCS, APC, PM,
// SOS) cut between the ESC and the \ of its terminator: an OSC 11 colour
// reply may be cut so. Decoded as it stands, it would be dropped (or be
// alt+key) and the \ typed.
func cutBeforeST(buf []byte) bool {
	data, ends := buf[1:], "\x1b\x9c\x18\x1a" // ESC, ST, CAN, SUB
	switch buf[0] {
	case ansi.OSC:
		ends += "\a" // OSC may end with BEL too
	case ansi.DCS, ansi.APC, ansi.PM, ansi.SOS:
	case ansi.ESC:
		if len(buf) < 2 || strings.IndexByte("]P_^X", buf[1]) < 0 {
			return false
		}
		if buf[1] == ']' {
			ends += "\a"
		}
		data = buf[2:]
	default:
		return false
	}
	for i, c := range data {
		if strings.IndexByte(ends, c) >= 0 {
			return c == ansi.ESC && i == len(data)-1
		}
	}
	return false
}

// escWaits tells whether buf[:n], a key that starts with ESC, may be
// the start of a longer sequence: ESC with nothing after it, ESC before
// an unfinished sequence or character, ESC and one byte with nothing
// after them (ESC [, ESC O, alt+key), or ESC before any of these.
func (d *inputDecoder) escWaits(buf []byte, n int) bool {
	switch {
	case buf[0] != ansi.ESC:
		return false
	case n == 1:
		if len(buf) == 1 {
			return true
		}
		m, ev := d.next(buf[1:])
		return d.mayContinue(buf[1:], m, ev)
	case buf[1] == ansi.ESC:
		return d.escWaits(buf[1:], n-1)
	}
	return n == 2 && n == len(buf)
}

// cancelledType is the type uv's decoder gives a string sequence cut
// short by CAN or SUB, or by an ESC that does not start its terminator.
// The type is unexported (uv's reader drops these), so it is learned from
// decoding one.
var cancelledType = sync.OnceValue(func() reflect.Type {
	var d uv.EventDecoder
	_, ev := d.Decode([]byte("\x1b]0;x\x18"))
	return reflect.TypeOf(ev)
})

func isCancelled(ev uv.Event) bool { return reflect.TypeOf(ev) == cancelledType() }

// sessionInput reads a session's terminal and sends what it decodes to
// the session's program.
type sessionInput struct {
	send    func(tea.Msg)
	timeout time.Duration // the escape timeout

	mu    sync.Mutex // the reader and the timer both decode and send
	dec   inputDecoder
	due   time.Time   // when pending bytes are decoded as they stand
	timer *time.Timer // runs expire; made when first needed
	done  bool
}

// readInput sends the events of what r reads to send (the program's Send)
// until a read fails (the session has closed) or ctx ends. Bytes that may
// start a longer sequence wait for the next read, at most timeout
// (uv.DefaultEscTimeout) after the last one: a lone ESC is the Escape
// key, ESC and "[A" the Up key.
func readInput(ctx context.Context, r io.Reader, send func(tea.Msg), timeout time.Duration) {
	in := &sessionInput{send: send, timeout: timeout}
	buf := make([]byte, inputReadSize)
	for {
		n, err := r.Read(buf)
		in.mu.Lock()
		d := &in.dec
		if n > 0 {
			d.pending = append(d.pending, buf[:n]...)
			d.decode(false, in.send)
		}
		if err != nil || ctx.Err() != nil {
			d.decode(true, in.send)
			in.done = true
			if in.timer != nil {
				in.timer.Stop()
			}
			in.mu.Unlock()
			return
		}
		if len(d.pending) > 0 {
			in.due = time.Now().Add(in.timeout)
			if in.timer == nil {
				in.timer = time.AfterFunc(in.timeout, in.expire)
			} else {
				in.timer.Reset(in.timeout)
			}
		}
		in.mu.Unlock()
	}
}

// expire decodes what is pending as it stands, once the escape timeout
// has passed since the last read.
func (in *sessionInput) expire() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.done || len(in.dec.pending) == 0 {
		return
	}
	if wait := time.Until(in.due); wait > 0 {
		in.timer.Reset(wait) // a read came since the timer was set
		return
	}
	in.dec.decode(true, in.send)
}

// sessionFilter is the session program's message filter. Bubble Tea
// writes no terminal query (background colour, cursor position, ...) for
// a program without input of its own, as nothing would read the reply;
// here readInput does, so the query is turned into the raw sequence,
// which Bubble Tea writes as it would have written the query. It also
// does what wish's filter, which it replaces, did: a session cannot be
// suspended, so ctrl+z resumes at once.
func sessionFilter() func(tea.Model, tea.Msg) tea.Msg {
	capability := reflect.TypeOf(tea.RequestCapability("")())
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		if q := querySequence(msg, capability); q != "" {
			return tea.RawMsg{Msg: q}
		}
		if _, ok := msg.(tea.SuspendMsg); ok {
			return tea.ResumeMsg{}
		}
		return msg
	}
}

// querySequence is the terminal query that msg, the message of one of
// Bubble Tea's query commands, asks Bubble Tea to write; "" for any
// other message. (The messages' types are unexported: they are compared
// with the commands' own messages.)
func querySequence(msg tea.Msg, capability reflect.Type) string {
	switch msg {
	case tea.RequestBackgroundColor():
		return ansi.RequestBackgroundColor
	case tea.RequestForegroundColor():
		return ansi.RequestForegroundColor
	case tea.RequestCursorColor():
		return ansi.RequestCursorColor
	case tea.RequestCursorPosition():
		return ansi.RequestCursorPositionReport
	case tea.ReadClipboard():
		return ansi.RequestSystemClipboard
	case tea.ReadPrimaryClipboard():
		return ansi.RequestPrimaryClipboard
	case tea.RequestTerminalVersion():
		return ansi.RequestNameVersion
	case tea.RequestProgramStatusSupport():
		return ansi.RequestProgramStatusSupport
	}
	if reflect.TypeOf(msg) == capability {
		return ansi.RequestTermcap(reflect.ValueOf(msg).String())
	}
	return ""
}
