package monzo

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A body that is not an object is refused with an error saying what it
// is instead, number included, so a user can tell a proxy's error page or
// a bare number from a truncated answer.
func TestNonObjectBodyErrorSaysWhatItIs(t *testing.T) {
	for body, got := range map[string]string{
		`null`:            "got null",
		` "x"`:            "got a string",
		`[{"id":"tx_1"}]`: "got an array",
		`true`:            "got a boolean",
		`false`:           "got a boolean",
		`5`:               "got the number 5",
		`-1.5e+3,7`:       "got the number -1.5e+3",
		`0.25E-2]`:        "got the number 0.25E-2",
		`9`:               "got the number 9",
		``:                "got invalid JSON",
		`<html>`:          "got invalid JSON",
		`}`:               "got invalid JSON",
	} {
		var p transactionPage
		err := p.decodeOwned([]byte(body))
		if err == nil || !strings.HasSuffix(err.Error(), "want an object with a transactions list, "+got) {
			t.Errorf("body %q: error %v, want one ending %q", body, err, got)
		}
	}
}

// Input that ends in the middle of a value is a syntax error, wherever it
// stops: never a panic, never a page. The buffer's capacity ends where the
// input does, so a reader that looks past the end panics here.
func TestTruncatedPageIsASyntaxError(t *testing.T) {
	// samplePage, and a page of the number and escape forms it lacks.
	const forms = `{"transactions":[{"id":"tx_1","amount":-1,"currency":"GBP","created":"2024-01-01T00:00:00Z",` +
		`"merchant":{"address":{"latitude":-1.5e+3,"longitude":2E-2}},"notes":"a\u00e9\ud83d\ude00\n\"",` +
		`"unknown":[1e5,0.25,-0,{"k\tey":"\/"}]}]}`
	for _, page := range []string{samplePage, forms} {
		full := []byte(page)
		for i := 1; i < len(page); i++ {
			var p transactionPage
			err := p.decodeOwned(bytes.Clone(full[:i:i])[:i:i])
			if !errors.Is(err, errSyntax) {
				t.Fatalf("page cut after %d bytes (%q): error %v, want invalid JSON", i, page[max(0, i-20):i], err)
			}
		}
		var p transactionPage
		if err := p.decodeOwned(full); err != nil {
			t.Fatalf("the whole page: %v", err)
		}
	}
}

// A misspelled literal of the right length is as invalid as a short one,
// wherever it appears: in a field the types model or in one skipped.
func TestMisspelledLiteralIsASyntaxError(t *testing.T) {
	for _, member := range []string{
		`"is_load":tru3`, `"is_load":fAlse`, `"notes":nulL`, `"settled":nul1`,
		`"unknown":tRue`, `"unknown":[falsy]`, `"unknown":{"a":Null}`,
	} {
		body := `{"transactions":[{"id":"tx_1","amount":1,"currency":"GBP","created":"2024-01-01T00:00:00Z",` + member + `}]}`
		var p transactionPage
		if err := p.decodeOwned([]byte(body)); !errors.Is(err, errSyntax) {
			t.Errorf("%s: error %v, want invalid JSON", member, err)
		}
	}
}

// Nesting is bounded in skipped values as encoding/json bounds it (10000
// levels), for objects and arrays alike, so hostile input cannot exhaust
// the stack; the bound itself is accepted.
func TestSkippedValueNestingIsBounded(t *testing.T) {
	nested := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	for _, c := range []struct {
		name, value string
		ok          bool
	}{
		{"objects at the bound", nested(`{"a":`, `}`, maxDepth), true},
		{"arrays at the bound", nested(`[`, `]`, maxDepth), true},
		{"objects too deep", nested(`{"a":`, `}`, maxDepth+1), false},
		{"arrays too deep", nested(`[`, `]`, maxDepth+1), false},
		{"mixed too deep", nested(`[{"a":`, `}]`, maxDepth/2+1), false},
	} {
		body := `{"transactions":[{"id":"tx_1","amount":1,"currency":"GBP","created":"2024-01-01T00:00:00Z","unknown":` + c.value + `}]}`
		var p transactionPage
		err := p.decodeOwned([]byte(body))
		if c.ok && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.ok && (!errors.Is(err, errSyntax) || !strings.Contains(err.Error(), "nested too deeply")) {
			t.Errorf("%s: error %v, want nested too deeply", c.name, err)
		}
	}
}

// Each syntax error says what was wrong and where, so a user reading it
// can tell a truncated answer from a proxy's page or a broken escape.
func TestSyntaxErrorsSayWhatWentWrong(t *testing.T) {
	const head = `{"transactions":[{"id":"tx_1",`
	for _, c := range []struct{ body, want string }{
		{head + `"unknown":x}]}`, `at offset 40: unexpected character 'x'`},
		{head + `"unknown":`, `at offset 40: unexpected end of input`},
		{head + `"unknown":-x}]}`, `at offset 41: malformed number`},
		{head + `"unknown":1.}]}`, `at offset 42: malformed number`},
		{head + `"unknown":1e+}]}`, `at offset 43: malformed number`},
		{head + `"notes":"a\qb"}]}`, `at offset 41: malformed escape`},
		{head + `"notes":"a\u12x4"}]}`, `at offset 41: malformed \u escape`},
		{head + `"notes":"a` + "\x01" + `"}]}`, `at offset 40: control character in string`},
		{head + `"notes":"abc`, `at offset 42: unterminated string`},
		{head + `"notes" 1}]}`, `at offset 38: want ':' after an object key`},
		{head + `"notes":"a" "b"}]}`, `at offset 42: want ',' or '}' in an object`},
		{`{"transactions":[{"id":"a"} {"id":"b"}]}`, `at offset 28: want ',' or ']' in an array`},
		{head + `5:1}]}`, `at offset 30: want a string`},
		{`{"transactions":[]} []`, `at offset 20: data after the value`},
		{head + `"is_load":tru}]}`, `at offset 40: want true`},
	} {
		var p transactionPage
		err := p.decodeOwned([]byte(c.body))
		if !errors.Is(err, errSyntax) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want invalid JSON %s", c.body, err, c.want)
		}
	}
}
