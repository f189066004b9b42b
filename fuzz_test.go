package monzo

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for every response decoder and for money parsing. Seed
// corpora live in testdata/fuzz/<target>/; .ci/run runs each target for a
// few seconds. Each checks a property, not just the absence of panics.

// FuzzParseAmount: whatever ParseAmount accepts, FormatAmount writes back
// as text that parses to the same amount; refusals are clear errors.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.34", "-0.5", "500", "1.005", "1e3", "1,000", "", ".", "-", "9223372036854775807", "92233720368547758.08"} {
		f.Add(s, "GBP")
	}
	f.Add("500", "JPY")
	f.Add("1.005", "BHD")
	f.Fuzz(func(t *testing.T, s, code string) {
		v, err := ParseAmount(s, code)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "monzo: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			if _, cerr := CurrencyExponent(code); cerr == nil && !errors.Is(err, ErrInvalidAmount) {
				t.Fatalf("error %v for a valid currency does not wrap ErrInvalidAmount", err)
			}
			return
		}
		text := FormatAmount(v, code)
		back, err := ParseAmount(text, code)
		if err != nil || back != v {
			t.Fatalf("ParseAmount(%q) = %d, formatted %q, parsed back %d, %v", s, v, text, back, err)
		}
	})
}

// FuzzTimestamp: the fast RFC 3339 path never disagrees with time.Parse,
// and a decoded timestamp encodes to text that decodes to the same instant
// (or is refused on encode, past year 9999).
func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{"2024-01-31T09:30:00Z", "2024-01-31T09:30:00.123456789Z", "2024-02-29T23:59:59.5Z",
		"2024-01-31T09:30:00+01:00", "9999-12-31T23:59:59Z", "2024-01-31T09:30:60Z", "", "null"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fast, ok := parseRFC3339UTC([]byte(s)); ok {
			slow, err := time.Parse(time.RFC3339Nano, s)
			if err != nil || fast != slow {
				t.Fatalf("%q: fast %v, time.Parse %v (%v)", s, fast, slow, err)
			}
		}
		quoted, _ := json.Marshal(s)
		var ts Timestamp
		if err := json.Unmarshal(quoted, &ts); err != nil {
			return
		}
		out, err := json.Marshal(ts)
		if err != nil {
			if y := ts.UTC().Year(); y >= 0 && y <= 9999 {
				t.Fatalf("%q: encoding %v failed: %v", s, ts, err)
			}
			return
		}
		var back Timestamp
		if err := json.Unmarshal(out, &back); err != nil || !back.Equal(ts.Time) {
			t.Fatalf("%q: encoded as %s, decoded back %v, %v", s, out, back, err)
		}
	})
}

// FuzzDecodeTransactionPage checks the one-pass decoder against
// encoding/json: whatever encoding/json decodes, the fast decoder decodes
// to the same values and raw JSON; whatever the fast decoder accepts
// without warnings, encoding/json accepts too.
func FuzzDecodeTransactionPage(f *testing.F) {
	f.Add([]byte(samplePage))
	f.Add([]byte(`{"transactions":[]}`))
	f.Add([]byte(`{"transactions":[{"id":"tx_1","amount":1,"merchant":{"updated":"x"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var page transactionPage
		fastErr := page.decodeOwned(append([]byte(nil), data...))
		want, refErr := refDecodePage(data)
		if refErr == nil {
			if fastErr != nil {
				t.Fatalf("encoding/json decodes it, the fast decoder says %v", fastErr)
			}
			if len(page.Transactions) != len(want) {
				t.Fatalf("%d transactions, encoding/json found %d", len(page.Transactions), len(want))
			}
			for i := range want {
				if diff := sameTransaction(page.Transactions[i], want[i]); diff != "" {
					t.Fatalf("transaction %d: %s", i, diff)
				}
				if !bytes.Equal(page.Transactions[i].Raw, want[i].Raw) {
					t.Fatalf("transaction %d: Raw %q, want %q", i, page.Transactions[i].Raw, want[i].Raw)
				}
			}
			return
		}
		if fastErr == nil {
			for _, tx := range page.Transactions {
				if len(tx.DecodeWarnings) > 0 {
					return
				}
			}
			t.Fatalf("the fast decoder accepts it without warnings; encoding/json says %v", refErr)
		}
	})
}

// roundTrip checks that decoding data into T, encoding and decoding again
// is stable: the second encoding equals the first.
func roundTrip[T any](t *testing.T, data []byte) {
	var first T
	if json.Unmarshal(data, &first) != nil {
		return
	}
	enc1, err := json.Marshal(first)
	if err != nil {
		return // a timestamp RFC 3339 cannot write (FuzzTimestamp covers it)
	}
	var second T
	if err := json.Unmarshal(enc1, &second); err != nil {
		t.Fatalf("re-decoding %s: %v", enc1, err)
	}
	enc2, err := json.Marshal(second)
	if err != nil || !bytes.Equal(enc1, enc2) {
		t.Fatalf("not stable:\n%s\n%s (%v)", enc1, enc2, err)
	}
}

func FuzzDecodeAccounts(f *testing.F) {
	f.Add([]byte(`{"accounts":[{"id":"acc_1","created":"2020-01-01T00:00:00Z","type":"uk_retail","currency":"GBP","owners":[{"user_id":"user_1"}],"payment_details":{"locale_uk":{"account_number":"12345678","sort_code":"040004"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[struct {
			Accounts []Account `json:"accounts"`
		}](t, data)
	})
}

func FuzzDecodePots(f *testing.F) {
	f.Add([]byte(`{"pots":[{"id":"pot_1","name":"Savings","balance":1000,"currency":"GBP","created":"2020-01-01T00:00:00Z","deleted":false,"locked":false}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[struct {
			Pots []Pot `json:"pots"`
		}](t, data)
	})
}

func FuzzDecodeBalance(f *testing.F) {
	f.Add([]byte(`{"balance":5000,"total_balance":6000,"currency":"GBP","spend_today":-120,"local_currency":"","local_exchange_rate":0,"local_spend":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[Balance](t, data)
	})
}

// FuzzCheckResponse: any error body, JSON or not, becomes an *Error whose
// text starts with the package name and stays short.
func FuzzCheckResponse(f *testing.F) {
	f.Add(400, []byte(`{"code":"bad_request.missing_param.account_id","message":"Missing param","params":{"account_id":""}}`))
	f.Add(401, []byte(`{"error":"invalid_token","error_description":"expired"}`))
	f.Add(429, []byte(`<html>slow down</html>`))
	f.Add(500, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 300 || status > 599 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		err := CheckResponse(resp)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("CheckResponse(%d) = %v", status, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "monzo: ") {
			t.Fatalf("error %q lacks the package prefix", msg)
		}
		if len(apiErr.Excerpt) > excerptLen+len("…") {
			t.Fatalf("excerpt of %d bytes", len(apiErr.Excerpt))
		}
	})
}
