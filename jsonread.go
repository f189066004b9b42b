package monzo

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader reads JSON values in place from one buffer, validating as it
// goes, so a page is parsed exactly once: values the types do not model are
// skipped (and checked), raw JSON is returned as sub-slices of the buffer,
// and strings without escapes are converted without an intermediate copy.
// Its semantics follow encoding/json where our types are concerned:
// invalid UTF-8 in strings becomes U+FFFD, numbers follow the JSON grammar.
type jsonReader struct {
	buf []byte
	pos int
}

// errSyntax wraps every malformed-JSON error, which always fails a decode
// (unlike a value of the wrong type in an optional field).
var errSyntax = errors.New("invalid JSON")

// typeError is a well-formed value of the wrong type or range.
type typeError struct{ want, got string }

func (e *typeError) Error() string { return "want " + e.want + ", got " + e.got }

func (r *jsonReader) syntax(what string) error {
	return fmt.Errorf("%w at offset %d: %s", errSyntax, r.pos, what)
}

func (r *jsonReader) ws() {
	for r.pos < len(r.buf) {
		switch r.buf[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the first byte of the next value (0 at the end).
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos >= len(r.buf) {
		return 0
	}
	return r.buf[r.pos]
}

// kind names the next value's JSON type, for type errors.
func (r *jsonReader) kind() string {
	switch c := r.peek(); {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "the number " + string(r.numberExtent())
	}
	return "invalid JSON"
}

// numberExtent returns the number at pos without consuming it.
func (r *jsonReader) numberExtent() []byte {
	end := r.pos
	for end < len(r.buf) {
		c := r.buf[end]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			end++
			continue
		}
		break
	}
	return r.buf[r.pos:end]
}

// null consumes a null if one is next.
func (r *jsonReader) null() (bool, error) {
	if r.peek() != 'n' {
		return false, nil
	}
	return true, r.literal("null")
}

func (r *jsonReader) literal(lit string) error {
	if len(r.buf)-r.pos < len(lit) || string(r.buf[r.pos:r.pos+len(lit)]) != lit {
		return r.syntax("want " + lit)
	}
	r.pos += len(lit)
	return nil
}

// skip consumes and validates one value of any type, returning its extent.
func (r *jsonReader) skip() ([]byte, error) {
	r.ws()
	start := r.pos
	if err := r.skipValue(0); err != nil {
		return nil, err
	}
	return r.buf[start:r.pos:r.pos], nil
}

// maxDepth bounds nesting, as encoding/json does, so hostile input cannot
// exhaust the stack.
const maxDepth = 10000

func (r *jsonReader) skipValue(depth int) error {
	if depth > maxDepth {
		return r.syntax("nested too deeply")
	}
	switch c := r.peek(); {
	case c == '"':
		_, _, err := r.stringBytes()
		return err
	case c == '{':
		return r.object(func(_ []byte) error { return r.skipValue(depth + 1) })
	case c == '[':
		return r.array(func() error { return r.skipValue(depth + 1) })
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := r.number()
		return err
	case c == 0:
		return r.syntax("unexpected end of input")
	}
	return r.syntax(fmt.Sprintf("unexpected character %q", r.buf[r.pos]))
}

// number consumes a number, checking the JSON grammar, and returns its text.
func (r *jsonReader) number() ([]byte, error) {
	r.ws()
	start, b, i := r.pos, r.buf, r.pos
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		r.pos = i
		return nil, r.syntax("malformed number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			r.pos = i
			return nil, r.syntax("malformed number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			r.pos = i
			return nil, r.syntax("malformed number")
		}
	}
	r.pos = i
	return b[start:i], nil
}

// stringBytes consumes a string. It returns its contents as a sub-slice of
// the buffer when they hold no escapes and valid UTF-8 (clean), otherwise
// the raw quoted-less contents for unquote.
func (r *jsonReader) stringBytes() (s []byte, clean bool, err error) {
	r.ws()
	if r.pos >= len(r.buf) || r.buf[r.pos] != '"' {
		return nil, false, r.syntax("want a string")
	}
	b := r.buf
	start := r.pos + 1
	clean = true
	for i := start; i < len(b); i++ {
		// Most bytes of most strings are plain: skip them in a tight loop.
		for i < len(b) && plainStringByte[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			r.pos = i + 1
			return b[start:i], clean, nil
		case c == '\\':
			clean = false
			i++
			if i >= len(b) {
				break
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) || !isHex4(b[i+1:i+5]) {
					r.pos = i
					return nil, false, r.syntax("malformed \\u escape")
				}
				i += 4
			default:
				r.pos = i
				return nil, false, r.syntax("malformed escape")
			}
		case c < 0x20:
			r.pos = i
			return nil, false, r.syntax("control character in string")
		default: // c >= utf8.RuneSelf
			clean = false
		}
	}
	r.pos = len(b)
	return nil, false, r.syntax("unterminated string")
}

// plainStringByte marks the bytes that need no attention inside a string.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// unquote decodes the contents of a string already checked by stringBytes,
// as encoding/json does: escapes resolved, invalid UTF-8 and lone
// surrogates replaced by U+FFFD.
func unquote(s []byte) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			i++
			switch s[i] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r1 := hex4(s[i+1 : i+5])
				i += 4
				if utf16.IsSurrogate(r1) {
					if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
						if r2 := hex4(s[i+3 : i+7]); utf16.DecodeRune(r1, r2) != utf8.RuneError {
							out = utf8.AppendRune(out, utf16.DecodeRune(r1, r2))
							i += 7
							continue
						}
					}
					r1 = utf8.RuneError
				}
				out = utf8.AppendRune(out, r1)
			default: // '"', '\\', '/'
				out = append(out, s[i])
			}
			i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			rr, size := utf8.DecodeRune(s[i:])
			if rr == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, s[i:i+size]...)
			}
			i += size
		}
	}
	return string(out)
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// str reads a string value into a Go string.
func (r *jsonReader) str() (string, error) {
	s, clean, err := r.stringBytes()
	if err != nil {
		return "", err
	}
	if clean {
		return string(s), nil
	}
	return unquote(s), nil
}

// object reads an object, calling field with each key (valid only during
// the call) positioned before its value, which field must consume.
func (r *jsonReader) object(field func(key []byte) error) error {
	if r.peek() != '{' {
		return r.syntax("want an object")
	}
	r.pos++
	if r.peek() == '}' {
		r.pos++
		return nil
	}
	for {
		k, clean, err := r.stringBytes()
		if err != nil {
			return err
		}
		if !clean {
			k = []byte(unquote(k))
		}
		if r.peek() != ':' {
			return r.syntax("want ':' after an object key")
		}
		r.pos++
		if err := field(k); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			return nil
		default:
			return r.syntax("want ',' or '}' in an object")
		}
	}
}

// array reads an array, calling elem positioned before each element, which
// elem must consume.
func (r *jsonReader) array(elem func() error) error {
	if r.peek() != '[' {
		return r.syntax("want an array")
	}
	r.pos++
	if r.peek() == ']' {
		r.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case ']':
			r.pos++
			return nil
		default:
			return r.syntax("want ',' or ']' in an array")
		}
	}
}

// end checks that only whitespace follows the value just read.
func (r *jsonReader) end() error {
	if r.ws(); r.pos < len(r.buf) {
		return r.syntax("data after the value")
	}
	return nil
}

// The typed readers below return a *typeError, with the value skipped, for
// a well-formed value of the wrong type, and a syntax error otherwise. A
// null leaves the destination unchanged, as with encoding/json.

// intoString reads a string (or null) into *dst.
func (r *jsonReader) intoString(dst *string) error {
	switch r.peek() {
	case '"':
		s, err := r.str()
		*dst = s
		return err
	case 'n':
		return r.literal("null")
	}
	return r.mismatch("a string")
}

// intoInt reads an integer (or null) into *dst.
func (r *jsonReader) intoInt(dst *int64) error {
	switch c := r.peek(); {
	case c == 'n':
		return r.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		n, err := r.number()
		if err != nil {
			return err
		}
		v, ok := parseInt(n)
		if !ok {
			return &typeError{"an integer", "the number " + string(n)}
		}
		*dst = v
		return nil
	}
	return r.mismatch("an integer")
}

// parseInt parses an integer in JSON syntax without allocating.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

// intoFloat reads a number (or null) into *dst.
func (r *jsonReader) intoFloat(dst *float64) error {
	switch c := r.peek(); {
	case c == 'n':
		return r.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		n, err := r.number()
		if err != nil {
			return err
		}
		v, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return &typeError{"a number in range", "the number " + string(n)}
		}
		*dst = v
		return nil
	}
	return r.mismatch("a number")
}

// intoBool reads a boolean (or null) into *dst.
func (r *jsonReader) intoBool(dst *bool) error {
	switch r.peek() {
	case 't':
		*dst = true
		return r.literal("true")
	case 'f':
		*dst = false
		return r.literal("false")
	case 'n':
		return r.literal("null")
	}
	return r.mismatch("a boolean")
}

// expect checks that the next value opens with c ('{' or '['). A null is
// consumed and reported, so the caller can clear its destination; a value
// of another type is skipped with a type error naming want.
func (r *jsonReader) expect(c byte, want string) (null bool, err error) {
	switch r.peek() {
	case c:
		return false, nil
	case 'n':
		return true, r.literal("null")
	}
	return false, r.mismatch(want)
}

// intoStringMap reads an object of strings (or null) into *dst. As
// encoding/json, a repeated key adds to the map already decoded. A value of
// another type leaves *dst unchanged and fails the whole map, named by the
// offset where it starts.
//
// intoIntMap is the same loop for integers: sharing it through a generic
// function or a callback per value measured 0.5–1% slower decoding of a
// page (the maps lose their specialised access, or every value pays an
// indirect call), so the two stay apart.
func (r *jsonReader) intoStringMap(dst *map[string]string) error {
	if null, err := r.expect('{', "an object of strings"); null || err != nil {
		if null {
			*dst = nil
		}
		return err
	}
	start := r.pos
	m := *dst
	if m == nil {
		m = map[string]string{}
	}
	var bad error
	err := r.object(func(k []byte) error {
		var v string
		err := r.intoString(&v)
		if _, ok := err.(*typeError); ok {
			bad = err
			return nil
		}
		m[string(k)] = v
		return err
	})
	if err != nil {
		return err
	}
	if bad != nil {
		return &typeError{"an object of strings", "an object with other values at offset " + strconv.Itoa(start)}
	}
	*dst = m
	return nil
}

// intoIntMap reads an object of integers (or null) into *dst, as
// intoStringMap does strings; a value of another type fails the whole map
// with that value's type error.
func (r *jsonReader) intoIntMap(dst *map[string]int64) error {
	if null, err := r.expect('{', "an object of integers"); null || err != nil {
		if null {
			*dst = nil
		}
		return err
	}
	m := *dst
	if m == nil {
		m = map[string]int64{}
	}
	var bad error
	err := r.object(func(k []byte) error {
		var v int64
		err := r.intoInt(&v)
		if _, ok := err.(*typeError); ok {
			bad = err
			return nil
		}
		m[string(k)] = v
		return err
	})
	if err != nil {
		return err
	}
	if bad != nil {
		return bad
	}
	*dst = m
	return nil
}

// mismatch skips a value of the wrong type and describes it.
func (r *jsonReader) mismatch(want string) error {
	got := r.kind()
	if _, err := r.skip(); err != nil {
		return err
	}
	return &typeError{want, got}
}
