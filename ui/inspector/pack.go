package inspector

import (
	"bytes"
	"encoding/binary"

	"cometterm/chat"
)

// Frames are kept packed. A busy conversation's frames repeat most of one
// another (the envelope, the sender's and the group's entities; often only
// the id, the text and the times differ), so a frame is kept as its
// differences from a recent frame of its kind, the base, which is kept
// whole. A frame too unlike its base is kept whole and becomes the kind's
// new base. Unpacking gives the frame back byte for byte.

// packed is one kept frame: data itself when base is nil, else ops that
// rebuild it from base. An op is a uvarint n<<1 followed by n bytes to
// copy, or a uvarint n<<1|1 followed by a uvarint offset: n bytes of base
// from that offset.
type packed struct {
	base []byte
	data []byte
}

// bytes is the frame as it was given to pack.
func (p packed) bytes() []byte {
	if p.base == nil {
		return p.data
	}
	out := make([]byte, 0, len(p.base)+len(p.data))
	ops := p.data
	for len(ops) > 0 {
		v, k := binary.Uvarint(ops)
		if k <= 0 {
			break
		}
		ops = ops[k:]
		n := int(min(v>>1, uint64(len(p.base)+len(ops))))
		if v&1 == 0 {
			n = min(n, len(ops))
			out = append(out, ops[:n]...)
			ops = ops[n:]
			continue
		}
		off, k := binary.Uvarint(ops)
		if k <= 0 || off > uint64(len(p.base)) {
			break
		}
		ops = ops[k:]
		out = append(out, p.base[off:min(int(off)+n, len(p.base))]...)
	}
	return out
}

type kindKey struct {
	dir   chat.Direction
	label string
}

// packer packs frames against the last whole frame of their kind.
type packer struct {
	bases   map[kindKey][]byte
	scratch []byte
}

// maxScratch bounds the op buffer kept between frames.
const maxScratch = 16 << 10

// pack keeps a copy of raw (never raw itself: it may be the socket's read
// buffer), packed against the last whole frame of its kind when that
// saves at least half of it.
func (pk *packer) pack(k kindKey, raw []byte) packed {
	if base := pk.bases[k]; base != nil {
		ops, ok := diff(pk.scratch[:0], base, raw)
		if cap(ops) <= maxScratch {
			pk.scratch = ops[:0]
		}
		if ok {
			return packed{base: base, data: bytes.Clone(ops)}
		}
	}
	whole := bytes.Clone(raw)
	if pk.bases == nil {
		pk.bases = map[kindKey][]byte{}
	}
	pk.bases[k] = whole
	return packed{data: whole}
}

// reset forgets the bases (the rows packed against them keep theirs).
func (pk *packer) reset() { pk.bases, pk.scratch = nil, nil }

const (
	minMatch  = 8  // the shortest run of base worth an op
	indexStep = 4  // base's runs are indexed at every indexStep-th offset
	hashBits  = 10 // of the index of base's runs
)

func hash8(b []byte) uint32 {
	return uint32(binary.LittleEndian.Uint64(b) * 0x9e3779b97f4a7c15 >> (64 - hashBits))
}

// diff appends to out the ops that rebuild raw from base; ok is false when
// they would take more than half of raw's size.
func diff(out, base, raw []byte) (ops []byte, ok bool) {
	limit := len(raw) / 2
	if len(base) < minMatch || len(raw) < minMatch {
		return out, false
	}
	// index[h] is 1 + the last offset in base, among every indexStep-th,
	// of a run of minMatch bytes that hashes to h. Every offset of raw is
	// looked up, so a common run of minMatch+indexStep-1 bytes is found.
	var index [1 << hashBits]int32
	for i := 0; i+minMatch <= len(base); i += indexStep {
		index[hash8(base[i:])] = int32(i + 1)
	}
	lit := 0 // raw[lit:i] is not covered yet
	for i := 0; i+minMatch <= len(raw); {
		c := int(index[hash8(raw[i:])]) - 1
		if c < 0 || !bytes.Equal(base[c:c+minMatch], raw[i:i+minMatch]) {
			i++
			continue
		}
		for c > 0 && i > lit && base[c-1] == raw[i-1] {
			c, i = c-1, i-1
		}
		n := minMatch
		for c+n < len(base) && i+n < len(raw) && base[c+n] == raw[i+n] {
			n++
		}
		out = appendLiteral(out, raw[lit:i])
		out = binary.AppendUvarint(out, uint64(n)<<1|1)
		out = binary.AppendUvarint(out, uint64(c))
		if len(out) > limit {
			return out, false
		}
		i += n
		lit = i
	}
	out = appendLiteral(out, raw[lit:])
	return out, len(out) <= limit
}

func appendLiteral(out, b []byte) []byte {
	if len(b) == 0 {
		return out
	}
	out = binary.AppendUvarint(out, uint64(len(b))<<1)
	return append(out, b...)
}
