package monzo

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// DecodeWarning reports an optional field that could not be decoded: a
// value of the wrong type or an unreadable timestamp, for example. The
// typed field is left zero and the value is still in the object's Raw JSON;
// the rest of the object, and of the page it came in, decodes as usual.
//
// Fields an object cannot be used without are never lenient: a malformed
// id, amount, currency or created time fails the transaction's decoding
// (and so the page) with an error instead.
type DecodeWarning struct {
	// Field is the JSON path of the value within the object, e.g.
	// "merchant.updated" or "attachments[0].created".
	Field string
	// Err says what was wrong.
	Err error
}

// Error describes the warning.
func (w DecodeWarning) Error() string {
	return "monzo: field " + strconv.Quote(w.Field) + " ignored: " + w.Err.Error()
}

// fields decodes the members of one object, keeping warnings for optional
// fields and failing on required ones.
type fields struct {
	r      *jsonReader
	warns  *[]DecodeWarning
	prefix string
}

// optional turns a type error into a warning; syntax errors still fail.
func (f *fields) optional(name string, err error) error {
	te, ok := err.(*typeError)
	if !ok {
		return err
	}
	*f.warns = append(*f.warns, DecodeWarning{Field: f.prefix + name, Err: te})
	return nil
}

// required reports a type error as a failure naming the field.
func (f *fields) required(name string, err error) error {
	if _, ok := err.(*typeError); ok {
		return fmt.Errorf("field %q: %w", f.prefix+name, err)
	}
	return err
}

// raw keeps a value as a sub-slice of the buffer.
func (f *fields) raw(dst *[]byte) error {
	v, err := f.r.skip()
	*dst = v
	return err
}

// members reads an object, handing each member to field through
// dispatch: field consumes the value of a key it knows and reports true.
func (r *jsonReader) members(known []string, field func(key []byte) (bool, error)) error {
	return r.object(func(key []byte) error { return dispatch(r, key, known, field) })
}

// dispatch calls field with key, or, when field does not know it, with the
// known key that matches it case-insensitively (as encoding/json does), or
// skips the value.
func dispatch(r *jsonReader, key []byte, known []string, field func(key []byte) (bool, error)) error {
	if ok, err := field(key); ok {
		return err
	}
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			_, err := field([]byte(k))
			return err
		}
	}
	_, err := r.skip()
	return err
}

// internTable holds values that repeat on every transaction (currencies,
// categories, schemes), so decoding them does not allocate.
var internTable = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"GBP", "EUR", "USD", "CAD", "AUD", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY", "AED", "THB", "NZD", "HKD", "SGD", "ZAR", "MXN", "INR",
		string(CategoryGeneral), string(CategoryEatingOut), string(CategoryExpenses), string(CategoryTransport), string(CategoryCash), string(CategoryBills),
		string(CategoryEntertainment), string(CategoryShopping), string(CategoryHolidays), string(CategoryGroceries), string(CategoryIncome),
		string(CategorySavings), string(CategoryTransfers), string(CategoryMondo), "personal_care", "family", "charity", "finances", "gifts",
		string(SchemeMastercard), string(SchemeFasterPayments), string(SchemeP2P), string(SchemePot), string(SchemeTopUp), string(Scheme3DSecure),
		string(SchemeBACS), string(SchemeSEPA), string(SchemeCHAPS), string(SchemeAccountInterest), string(SchemeMonzoFlex),
		string(DeclineInsufficientFunds), string(DeclineCardInactive), string(DeclineCardBlocked), string(DeclineInvalidCVC), string(DeclineOther),
		string(DeclineCardClosed), string(DeclineCardExpired), string(DeclineInvalidExpiryDate), string(DeclineInvalidPIN),
		string(DeclineSCANotAuthenticatedCardNotPresent), string(DeclineStrongCustomerAuthenticationRequired),
		"image/jpeg", "image/png", "image/gif", "application/pdf", "GB", "GBR", "GLO",
	} {
		m[s] = s
	}
	return m
}()

// intoInterned reads a string that is likely one of a few known values.
func (r *jsonReader) intoInterned(dst *string) error {
	if r.peek() != '"' {
		return r.intoString(dst)
	}
	s, clean, err := r.stringBytes()
	if err != nil {
		return err
	}
	if !clean {
		*dst = unquote(s)
		return nil
	}
	if v, ok := internTable[string(s)]; ok {
		*dst = v
		return nil
	}
	*dst = string(s)
	return nil
}

// intoTimestamp reads an RFC 3339 string, "" or null into *dst.
func (r *jsonReader) intoTimestamp(dst *Timestamp) error {
	switch r.peek() {
	case 'n':
		dst.Time = zeroTime
		return r.literal("null")
	case '"':
	default:
		return r.mismatch("an RFC 3339 time string")
	}
	s, clean, err := r.stringBytes()
	if err != nil {
		return err
	}
	if len(s) == 0 {
		dst.Time = zeroTime
		return nil
	}
	if clean {
		if t, ok := parseRFC3339UTC(s); ok {
			dst.Time = t
			return nil
		}
	}
	text := unquote(s)
	t, err := ParseTime(text)
	if err != nil {
		return &typeError{"an RFC 3339 time", strconv.Quote(text)}
	}
	dst.Time = t
	return nil
}

// intoStrings is a helper for string-typed enums.
func intoEnum[T ~string](r *jsonReader, dst *T) error {
	var s string
	err := r.intoInterned(&s)
	if err == nil {
		*dst = T(s)
	}
	return err
}

// warningsError turns the warnings of a standalone decode, which has no
// place to keep them, into an error.
func warningsError(what string, warns []DecodeWarning) error {
	if len(warns) == 0 {
		return nil
	}
	errs := make([]error, len(warns))
	for i, w := range warns {
		errs[i] = w
	}
	return fmt.Errorf("monzo: decoding %s: %w", what, errors.Join(errs...))
}
