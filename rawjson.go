package monzo

import (
	"encoding/json"
	"strconv"
)

// RawJSON is JSON text kept as it arrived, such as the Raw field every
// resource carries so that fields this package does not model are never
// lost. It behaves like [json.RawMessage] when encoded or decoded, and
// prints as its text (not as a list of byte values) under fmt's verbs, so
// "%+v" of a resource stays readable.
type RawJSON []byte

// String returns the JSON text.
func (r RawJSON) String() string { return string(r) }

// GoString returns the value as a Go expression, for "%#v".
func (r RawJSON) GoString() string {
	if r == nil {
		return "monzo.RawJSON(nil)"
	}
	return "monzo.RawJSON(" + strconv.Quote(string(r)) + ")"
}

// MarshalJSON returns r itself, or null when r is empty.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of data.
func (r *RawJSON) UnmarshalJSON(data []byte) error {
	*r = append((*r)[:0], data...)
	return nil
}

var (
	_ json.Marshaler   = RawJSON(nil)
	_ json.Unmarshaler = (*RawJSON)(nil)
)
