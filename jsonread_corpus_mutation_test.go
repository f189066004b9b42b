package monzo

import (
	"bytes"
	"testing"
)

// agreesWithEncodingJSON applies the fuzz targets' rule to one body: what
// encoding/json decodes, the page decoder decodes identically and without
// warnings; what encoding/json refuses, the page decoder refuses or warns
// about.
func agreesWithEncodingJSON(t *testing.T, body string) {
	t.Helper()
	var p transactionPage
	err := p.decodeOwned([]byte(body))
	want, refErr := refDecodePage([]byte(body))
	if refErr != nil {
		if err == nil {
			for _, tx := range p.Transactions {
				if len(tx.DecodeWarnings) > 0 {
					return
				}
			}
			t.Errorf("%s\naccepted without a warning; encoding/json says %v", body, refErr)
		}
		return
	}
	if err != nil {
		t.Errorf("%s\nrefused (%v); encoding/json decodes it", body, err)
		return
	}
	if len(p.Transactions) != len(want) {
		t.Errorf("%s\n%d transactions, want %d", body, len(p.Transactions), len(want))
		return
	}
	for i := range want {
		if diff := sameTransaction(p.Transactions[i], want[i]); diff != "" {
			t.Errorf("%s\ntransaction %d: %s", body, i, diff)
		}
		if w := p.Transactions[i].DecodeWarnings; len(w) != 0 {
			t.Errorf("%s\ntransaction %d: warnings %v", body, i, w)
		}
		if !bytes.Equal(p.Transactions[i].Raw, want[i].Raw) {
			t.Errorf("%s\ntransaction %d: Raw %q, want %q", body, i, p.Transactions[i].Raw, want[i].Raw)
		}
	}
}

// The reader's grammar and its decoding of strings and numbers agree with
// encoding/json on the edge cases of each: every number form, every
// escape, surrogate pairs and lone surrogates, invalid UTF-8, control
// characters, whitespace, and malformed objects and arrays. Each value is
// tried in a field the types model and in one they skip.
func TestReaderAgreesWithEncodingJSONOnEdgeCases(t *testing.T) {
	const head = `{"transactions":[{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z",`
	numbers := []string{
		"0", "-0", "7", "-7", "10", "123", "90", "0.5", "1.05", "1.90", "2.09", "1e9", "2E+19", "5e-09", "1e10", "1e09", "3.0e0", "-0.5", "10.25", "1e5", "1E5", "1e+5", "1e-5", "-2.5E-3", "0e0",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
		"1234567890123456789", "12345678901234567890", "99999999999999999999",
		"-", "+1", "01", "-01", "1.", ".5", "1.e5", "1e", "1e+", "1e-", "-a", "0x10", "1.5.5", "--1", "1e5e5", "00",
	}
	for _, n := range numbers {
		agreesWithEncodingJSON(t, head+`"unknown":`+n+`}]}`)
		agreesWithEncodingJSON(t, head+`"unknown":[`+n+`,`+n+`]}]}`)
		agreesWithEncodingJSON(t, head+`"local_amount":`+n+`}]}`)
		agreesWithEncodingJSON(t, head+`"account_balance":`+n+`}]}`)
		agreesWithEncodingJSON(t, head+`"categories":{"a":`+n+`}}]}`)
		agreesWithEncodingJSON(t, head+`"merchant":{"id":"m","address":{"latitude":`+n+`,"zoom_level":`+n+`}}}]}`)
	}
	stringsToTry := []string{
		``, `plain`, `caf\u00e9`, `caf\u00E9`, `\u00c9t\u00C9`, `\"q\"`, `a\\b`, `a\/b`, `\b\f\n\r\t`, `tab\there`,
		`\ud83d\ude00`, `\uD83D\uDE00`, `x\ud83dy`, `\ud83d`, `\ude00`, `\ud83d\u0041`, `\ud83d\ud83d`, `\ud83d\n`,
		`\ud83d\u`, `\u0000`, `\u001f`, `\u0041\u0042`, `\uFFFF`, `\uABCD\uabcd`, `\u0039\u0029\u1f9F`, `x\ud83d\ude00tail\n`, `\u12G4`, `\u12`, `\u`, `\x`, `\`,
		"caf\xc3\xa9", "\xff", "a\xc3", "\xc3(", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\x01", "\x1f", "\x7f",
		"plain\x00", "\x80", "a\x80b", "\xc2\x80", "\xdf\xbf",
	}
	for _, s := range stringsToTry {
		agreesWithEncodingJSON(t, head+`"notes":"`+s+`"}]}`)
		agreesWithEncodingJSON(t, head+`"unknown":"`+s+`"}]}`)
		agreesWithEncodingJSON(t, head+`"metadata":{"`+s+`":"`+s+`"}}]}`)
		agreesWithEncodingJSON(t, head+`"merchant":"`+s+`"}]}`)
		agreesWithEncodingJSON(t, head+`"category":"`+s+`","scheme":"`+s+`"}]}`)
		agreesWithEncodingJSON(t, head+`"counterparty":{"name":"`+s+`"}}]}`)
	}
	for _, members := range []string{
		`"unknown":{}`, `"unknown":[]`, `"unknown":{ }`, `"unknown":[ ]`, "\"unknown\" :\t[\r\n1 ,\n2\t] ",
		`"unknown":{"a":1,}`, `"unknown":[1,]`, `"unknown":{"a" 1}`, `"unknown":[1 2]`, `"unknown":{"a":1 "b":2}`,
		`"unknown":{1:2}`, `"unknown":{"a":}`, `"unknown":[,1]`, `"unknown":{,}`, `"unknown":true`, `"unknown":false`,
		`"unknown":null`, `"unknown":[true,false,null]`, `"unknown":{"a":[{"b":{}}]}`, `"unknown":x`, `"unknown":]`,
		`"metadata":{}`, `"metadata":{"a":"b","a":"c"}`, `"metadata":{"a":1}`, `"metadata":[]`, `"metadata":"x"`,
		`"metadata":{"a":null}`, `"categories":{}`, `"categories":{"a":null}`, `"categories":{"a":1,"b":"x"}`,
		`"\u0069d":"tx_9"`, `"ID":"tx_9"`, `"Notes":"n"`, `"no\u0074es":"n"`, `"is_load":true`, `"is_load":false`,
		`"is_load":null`, `"is_load":1`, `"attachments":[]`, `"attachments":{}`, `"counterparty":[]`,
		`"merchant":{}`, `"merchant":[]`, `"merchant":true`, `"settled":5`, `"settled":"2024-01-01T00:00:00.5+01:00"`,
	} {
		agreesWithEncodingJSON(t, head+members+`}]}`)
	}
	for _, page := range []string{
		`{"transactions":[]}`, `{"transactions":null}`, `{}`, ` {"transactions" : [ ] } `, `{"transactions":[]} x`,
		`{"transactions":[],}`, `{"transactions":[]`, `{"Transactions":[]}`, `{"transactions":{}}`,
		`{"transactions":[null]}`, `{"transactions":[5]}`, `{"transactions":[{"id":"a"},{"id":"b"}]}`,
		"{\"transactions\":[]}\n\t\r ",
	} {
		agreesWithEncodingJSON(t, page)
	}
}
