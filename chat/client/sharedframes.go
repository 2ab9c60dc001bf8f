package client

import (
	"bytes"
	"sync"
	"time"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// SharedFrames lets the clients of one process decode each distinct
// inbound frame once. A server that runs a client per SSH session gets
// the same fan-out frame on every session's socket; with one SharedFrames
// in all their Configs the first client to read a frame decodes it and the
// others reuse the result, down to the same Raw bytes.
//
// Events are values, but what they point to (Raw, entities, maps,
// slices) is then shared between clients: consumers treat events as
// read-only, as the chat.Event contract asks.
//
// Clients reading a frame within sharedStampWindow of the first share
// the event itself, stamped with that first read's time: the fan-out
// wrote the frame to all their sockets at that moment. An event is an
// interface value, and each client stamping its own copy cost a copy of
// the message on the heap per client, which at hundreds of sessions in a
// busy group was a sixth of everything the server allocated. A client
// reading it later (or the same bytes arriving again) gets its own time.
type SharedFrames struct {
	mu      sync.Mutex
	entries map[string]decodedFrame
	keys    []string // ring of the kept keys; keys[next] goes first
	next    int
}

// decodedFrame is a frame's decoding, its event stamped at at.
type decodedFrame struct {
	ev chat.Event
	f  wire.Frame
	at time.Time
}

// sharedStampWindow is how long after a frame's first read another
// client's read of it shares the first one's time.
const sharedStampWindow = 50 * time.Millisecond

// sharedFramesKept is how many distinct frames are kept. Clients of one
// fan-out read it within moments of each other, so the last few hundred
// frames cover them even when some sessions lag behind.
const sharedFramesKept = 512

// NewSharedFrames returns an empty cache for the clients of one process.
func NewSharedFrames() *SharedFrames {
	return &SharedFrames{entries: make(map[string]decodedFrame, sharedFramesKept), keys: make([]string, sharedFramesKept)}
}

// decode is decodeFrame through the cache; a nil cache decodes directly.
// raw is borrowed: what the event keeps is a copy.
func (s *SharedFrames) decode(raw []byte, at time.Time) (chat.Event, wire.Frame) {
	if s == nil {
		return decodeFrame(bytes.Clone(raw), at)
	}
	s.mu.Lock()
	d, ok := s.entries[string(raw)]
	s.mu.Unlock()
	if !ok {
		// Decode a private copy: the decoded event may point into its
		// bytes, and the socket's buffer is not ours to keep.
		own := bytes.Clone(raw)
		d.ev, d.f = decodeFrame(own, at)
		d.at = at
		d = s.keep(string(own), d)
	}
	if since := at.Sub(d.at); since >= 0 && since < sharedStampWindow {
		return d.ev, d.f
	}
	return stamped(d.ev, at), d.f
}

// keep records d under key unless another client got there first, and
// returns the decoding everyone shares.
func (s *SharedFrames) keep(key string, d decodedFrame) decodedFrame {
	s.mu.Lock()
	defer s.mu.Unlock()
	if first, ok := s.entries[key]; ok {
		return first
	}
	if old := s.keys[s.next]; old != "" {
		delete(s.entries, old)
	}
	s.keys[s.next] = key
	s.next = (s.next + 1) % len(s.keys)
	s.entries[key] = d
	return d
}

// stamped is ev seen at at. Every event decodeFrame returns is listed: a
// missing one would keep the zero time (the decode tests compare shared
// decodings with direct ones).
func stamped(ev chat.Event, at time.Time) chat.Event {
	switch e := ev.(type) {
	case chat.MessageReceived:
		e.At = at
		return e
	case chat.MessageEdited:
		e.At = at
		return e
	case chat.MessageDeleted:
		e.At = at
		return e
	case chat.GroupMemberChanged:
		e.At = at
		return e
	case chat.TypingStarted:
		e.At = at
		return e
	case chat.TypingEnded:
		e.At = at
		return e
	case chat.ReceiptReceived:
		e.At = at
		return e
	case chat.PresenceChanged:
		e.EventMeta.At = at
		return e
	case chat.TransientReceived:
		e.At = at
		return e
	case chat.ReactionChanged:
		e.At = at
		return e
	case chat.FrameIgnored:
		e.At = at
		return e
	}
	return ev
}
