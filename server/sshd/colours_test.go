package sshd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// tokens are the pieces frames are made of: text (ASCII, wide, combining),
// styles of every kind the theme and lipgloss write, and other sequences.
var colourTokens = []string{
	"a", "hello ", "│", "界", "é", "e\u0301", "👍🏽", " ", "\t",
	"\x1b[m", "\x1b[0m", "\x1b[1m", "\x1b[3;4m", "\x1b[4:3m", "\x1b[22;23m",
	"\x1b[31m", "\x1b[97;41m", "\x1b[38;5;203m", "\x1b[48;5;17m", "\x1b[38;2;255;135;0m",
	"\x1b[48;2;18;18;18m", "\x1b[38:2::10:20:30m", "\x1b[58;2;1;2;3m", "\x1b[39;49m", "\x1b[1;38;2;90;200;120;48;5;236m",
	"\x1b[2K", "\x1b[3;7H", "\x1b[?25l", "\x1b[>4;2m", "\x1b]8;;https://example.com\x07", "\x1b]8;;\x1b\\", "\x1b7",
}

func sameAsColorprofile(t *testing.T, c *colourConverter, s string) {
	t.Helper()
	var want bytes.Buffer
	w := colorprofile.Writer{Forward: &want, Profile: c.profile}
	_, _ = w.WriteString(s)
	var got bytes.Buffer
	c.write(&got, s)
	if got.String() != want.String() {
		t.Fatalf("%v: converting %q\n got %q\nwant %q", c.profile, s, got.String(), want.String())
	}
}

func TestColourConverterWritesWhatColorprofileWrites(t *testing.T) {
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI, colorprofile.Ascii, colorprofile.NoTTY} {
		c := newColourConverter(p)
		for _, tok := range colourTokens {
			sameAsColorprofile(t, c, tok)
			sameAsColorprofile(t, c, "x"+tok+"y"+tok) // the second from what was kept
		}
		sameAsColorprofile(t, c, strings.Join(colourTokens, ""))
	}
}

// FuzzColourConverter strings frame pieces together as the fuzzer picks
// them: the conversion is always colorprofile's.
func FuzzColourConverter(f *testing.F) {
	f.Add([]byte{0, 9, 14, 3, 18, 1}, uint8(1))
	f.Add([]byte{27, 28, 2, 19, 30}, uint8(2))
	profiles := []colorprofile.Profile{colorprofile.ANSI256, colorprofile.ANSI, colorprofile.Ascii, colorprofile.NoTTY, colorprofile.TrueColor}
	f.Fuzz(func(t *testing.T, picks []byte, profile uint8) {
		var b strings.Builder
		for _, p := range picks {
			b.WriteString(colourTokens[int(p)%len(colourTokens)])
		}
		c := newColourConverter(profiles[int(profile)%len(profiles)])
		sameAsColorprofile(t, c, b.String())
		sameAsColorprofile(t, c, b.String())
	})
}

// Escape bytes that start no control sequence, and sequences cut short,
// pass through as colorprofile passes them.
func TestColourConverterOddEscapes(t *testing.T) {
	c := newColourConverter(colorprofile.ANSI256)
	for _, s := range []string{"\x1b", "a\x1b", "\x1b[", "\x1b[38;2", "\x1bX", "\x1b\x1b[31m", "\x1b[31", "\x1b[1;\x1b[32m"} {
		sameAsColorprofile(t, c, s)
	}
}

// BenchmarkColourConverter converts a pane line as a 256-colour terminal
// needs it: kept conversions against colorprofile.Writer's decoding.
func BenchmarkColourConverter(b *testing.B) {
	line := "\x1b[38;2;98;114;164m 10:42 \x1b[m\x1b[1;38;2;255;135;0mHero 12\x1b[m \x1b[38;2;230;230;230mload T1001234 and some words of a message\x1b[m"
	b.Run("kept", func(b *testing.B) {
		c := newColourConverter(colorprofile.ANSI256)
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			c.write(&buf, line)
		}
	})
	b.Run("colorprofile", func(b *testing.B) {
		var buf bytes.Buffer
		w := colorprofile.Writer{Forward: &buf, Profile: colorprofile.ANSI256}
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			_, _ = w.WriteString(line)
		}
	})
}
