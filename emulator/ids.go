package emulator

import (
	"crypto/rand"
	mrand "math/rand/v2"
	"time"
)

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Id body layouts. A body is "0000", then the creation time in Unix
// milliseconds (7 base62 digits, good until the year 2081), then a counter
// that orders ids minted in the same millisecond, then seeded randomness.
// Because the time comes first and base62 digits sort in ASCII order, id
// order matches created order, which makes since=<id> cursors trivial.
const (
	idBodyLen        = 22 // acc_, tx_, pot_, user_, merch_, ...
	receiptIDBodyLen = 18 // receipt_ (shorter in the docs' examples)
)

// idGen mints deterministic ids from a seeded random stream.
type idGen struct {
	rng *mrand.Rand
	// counter increases with every id, so ids minted in the same
	// millisecond sort in minting order.
	counter int64
}

func newIDGen(seed int64) *idGen {
	return &idGen{rng: mrand.New(mrand.NewPCG(uint64(seed), 0xda3e39cb94b95bdb))}
}

// newID returns "<prefix>_<22-char body>" for an object created at t.
func (g *idGen) newID(prefix string, t time.Time) string {
	return g.id(prefix, t, idBodyLen, 3)
}

// newReceiptID returns a "receipt_" id with the docs' 18-char body.
func (g *idGen) newReceiptID(t time.Time) string {
	return g.id("receipt", t, receiptIDBodyLen, 2)
}

// id builds "<prefix>_<body>" on the stack, so minting costs one
// allocation (the string): seeding mints several ids per transaction.
func (g *idGen) id(prefix string, t time.Time, n, counterDigits int) string {
	var buf [64]byte
	b := append(buf[:0], prefix...)
	b = append(b, '_')
	body := len(b)
	ms := max(t.UnixMilli(), 0)
	g.counter++
	b = append(b, "0000"...)
	b = appendBase62(b, ms, 7)
	b = appendBase62(b, g.counter, counterDigits)
	for len(b)-body < n {
		b = append(b, base62Alphabet[g.rng.IntN(62)])
	}
	return string(b)
}

// appendBase62 appends v as exactly width base62 digits (most significant
// first), keeping only the low digits if v does not fit.
func appendBase62(b []byte, v int64, width int) []byte {
	start := len(b)
	b = append(b, make([]byte, width)...)
	for i := width - 1; i >= 0; i-- {
		b[start+i] = base62Alphabet[v%62]
		v /= 62
	}
	return b
}

// randomString returns n cryptographically random base62 characters. Tokens
// and codes use it: unlike object ids they must not be guessable or repeat
// across resets.
func randomString(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf) // never fails (crypto/rand panics instead)
	for i, c := range buf {
		buf[i] = base62Alphabet[int(c)%62]
	}
	return string(buf)
}

// seededString returns n base62 characters from a seeded stream.
func seededString(rng *mrand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = base62Alphabet[rng.IntN(62)]
	}
	return string(b)
}
