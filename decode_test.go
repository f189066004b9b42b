package monzo

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// samplePage is a realistic page: an expanded merchant, a pending
// payment, a transfer, an attachment, escapes and non-ASCII text.
const samplePage = `{"transactions":[
{"id":"tx_1","amount":-1250,"created":"2024-01-31T09:30:00.123Z","currency":"GBP","description":"THE DE BEAUVOIR DELI C LONDON GBR",
 "merchant":{"id":"merch_1","group_id":"grp_1","name":"De Beauvoir Deli","logo":"https://x/l.png","emoji":"🍞","category":"eating_out",
  "created":"2015-08-22T12:20:18Z","updated":"2016-01-01T00:00:00.5Z","online":false,"atm":false,"disable_feedback":false,
  "address":{"address":"98 Southgate Road","city":"London","country":"GBR","postcode":"N1 3JD","region":"Greater London",
   "latitude":51.54151,"longitude":-0.08482,"short_formatted":"98 Southgate Road, London N1 3JD","formatted":"98 Southgate Road","zoom_level":17,"approximate":false},
  "metadata":{"website":"https://x","twitter_id":""},"unknown":[1,{"a":null}]},
 "metadata":{"notes":"lunch \"team\"\u00e9"},"notes":"lunch","is_load":false,"settled":"2024-02-01T00:00:00Z","category":"eating_out",
 "account_balance":1000,"account_id":"acc_1","user_id":"user_1","updated":"2024-02-01T00:00:01Z","local_amount":-1250,"local_currency":"GBP",
 "fees":{},"labels":null,"attachments":[{"id":"attach_1","user_id":"user_1","external_id":"tx_1","file_url":"https://x/a.png","file_type":"image/png","created":"2024-01-31T10:00:00Z","type":"image/png","url":"https://x/a.png"}],
 "international":null,"categories":{"eating_out":-1250},"counterparty":{},"scheme":"mastercard","dedupe_id":"d1","originator":false,
 "include_in_spending":true,"can_be_excluded_from_breakdown":true,"can_be_made_subscription":false,"can_split_the_bill":true,
 "can_add_to_tab":true,"can_match_transactions_in_categorization":true,"amount_is_pending":false,"atm_fees_detailed":null,"parent_account_id":"","tab":null},
{"id":"tx_2","amount":-300,"created":"2024-02-01T09:30:00Z","currency":"EUR","description":"CAFE","merchant":"merch_2","settled":"",
 "local_amount":-350,"local_currency":"EUR","metadata":{},"attachments":null,"counterparty":{"name":"x"}},
{"id":"tx_3","amount":5000,"created":"2024-02-02T09:30:00+01:00","currency":"GBP","merchant":null,"description":"From A",
 "counterparty":{"name":"A","account_number":"12345678","sort_code":"040004","user_id":"anonuser_1"},"scheme":"payport_faster_payments","ID":"tx_3b"},
{"id":"tx_4","amount":1,"created":"2024-02-03T00:00:00Z","currency":"GBP","merchant":"","decline_reason":"INVALID_PIN"}
],"extra":{"ignored":true}}`

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	var page transactionPage
	if err := page.decodeOwned([]byte(samplePage)); err != nil {
		t.Fatal(err)
	}
	want, err := refDecodePage([]byte(samplePage))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Transactions) != len(want) || len(want) != 4 {
		t.Fatalf("%d transactions, want %d", len(page.Transactions), len(want))
	}
	for i := range want {
		got := page.Transactions[i]
		if diff := sameTransaction(got, want[i]); diff != "" {
			t.Errorf("transaction %d: %s", i, diff)
		}
		if len(got.DecodeWarnings) != 0 {
			t.Errorf("transaction %d: warnings %v", i, got.DecodeWarnings)
		}
	}
	if m, ok := page.Transactions[0].Merchant.Expanded(); !ok || m.Name != "De Beauvoir Deli" || !strings.HasPrefix(string(m.Raw), `{"id":"merch_1"`) {
		t.Errorf("merchant = %+v", m)
	}
	if page.Transactions[2].ID != "tx_3b" {
		t.Errorf("keys match case-insensitively, as in encoding/json: ID = %q", page.Transactions[2].ID)
	}
	// Raw points into the page: no copy per transaction. Appending to it
	// must not overwrite the next transaction.
	raw := page.Transactions[0].Raw
	if i := bytes.Index([]byte(samplePage), raw); i < 0 || cap(raw) != len(raw) {
		t.Errorf("Raw is not a capped sub-slice of the page")
	}
}

// TestDecodeOnceAndLenient: one malformed optional field (here nested in
// the merchant) leaves that field zero, keeps the raw JSON, is reported in
// DecodeWarnings, and does not fail the transaction or its page.
func TestDecodeOnceAndLenient(t *testing.T) {
	for _, tc := range []struct {
		name, json, field string
		check             func(*Transaction) bool
	}{
		{"merchant updated", `"merchant":{"id":"m","name":"Shop","updated":"yesterday"}`, "merchant.updated",
			func(tx *Transaction) bool {
				m, ok := tx.Merchant.Expanded()
				return ok && m.Name == "Shop" && m.Updated.IsZero()
			}},
		{"merchant latitude", `"merchant":{"id":"m","address":{"latitude":"51.5","city":"London"}}`, "merchant.address.latitude",
			func(tx *Transaction) bool { m, ok := tx.Merchant.Expanded(); return ok && m.Address.City == "London" }},
		{"settled as bool", `"settled":true`, "settled", func(tx *Transaction) bool { return tx.Settled.IsZero() }},
		{"metadata value", `"metadata":{"a":1}`, "metadata", func(tx *Transaction) bool { return tx.Metadata == nil }},
		{"categories", `"categories":{"a":"x"}`, "categories", func(tx *Transaction) bool { return tx.Categories == nil }},
		{"attachment created", `"attachments":[{"id":"a1","created":5}]`, "attachments[0].created",
			func(tx *Transaction) bool { return len(tx.Attachments) == 1 && tx.Attachments[0].ID == "a1" }},
		{"counterparty", `"counterparty":"x"`, "counterparty", func(tx *Transaction) bool { return tx.Counterparty == Counterparty{} }},
		{"merchant number", `"merchant":5`, "merchant", func(tx *Transaction) bool { return tx.Merchant.IsZero() }},
		{"local amount", `"local_amount":1.5`, "local_amount", func(tx *Transaction) bool { return tx.LocalAmount == 0 }},
		{"account balance", `"account_balance":"1"`, "account_balance", func(tx *Transaction) bool { return tx.AccountBalance == nil }},
	} {
		body := `{"transactions":[{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z",` + tc.json + `,"notes":"kept"},{"id":"tx_2"}]}`
		var page transactionPage
		if err := page.decodeOwned([]byte(body)); err != nil {
			t.Errorf("%s: the page failed: %v", tc.name, err)
			continue
		}
		tx := &page.Transactions[0]
		w := tx.DecodeWarnings
		if len(page.Transactions) != 2 || tx.Notes != "kept" || tx.Amount != -5 || len(w) != 1 || w[0].Field != tc.field || !tc.check(tx) {
			t.Errorf("%s: %+v, warnings %v; want one warning for %s", tc.name, tx, w, tc.field)
		}
		if !strings.Contains(string(tx.Raw), tc.json) {
			t.Errorf("%s: Raw lost the malformed value: %s", tc.name, tx.Raw)
		}
		if len(w) == 1 && !strings.Contains(w[0].Error(), tc.field) {
			t.Errorf("%s: warning text %q does not name the field", tc.name, w[0])
		}
	}
}

// TestDecodeStrictFields: a transaction cannot be used without its id,
// amount, currency and created time, so malformed values fail the page.
func TestDecodeStrictFields(t *testing.T) {
	for name, field := range map[string]string{
		"id":       `"id":5`,
		"amount":   `"amount":"1.50"`,
		"fraction": `"amount":1.5`,
		"currency": `"currency":false`,
		"created":  `"created":"31/01/2024"`,
		"syntax":   `"notes":tru`,
	} {
		body := `{"transactions":[{"id":"tx_1","amount":1,"currency":"GBP","created":"2024-01-01T00:00:00Z",` + field + `}]}`
		var page transactionPage
		err := page.decodeOwned([]byte(body))
		if err == nil {
			t.Errorf("%s: decoded %+v, want an error", name, page.Transactions)
		} else if key := strings.Split(field, `"`)[1]; name != "syntax" && !strings.Contains(err.Error(), `"`+key+`"`) {
			t.Errorf("%s: error %q does not name the field", name, err)
		}
		var tx Transaction
		if err := json.Unmarshal([]byte(`{"id":"tx_1",`+field+`}`), &tx); err == nil {
			t.Errorf("%s: Transaction.UnmarshalJSON accepted it", name)
		}
	}
}

// TestUnmarshalJSONCopiesRaw: a caller's buffer may be reused after
// json.Unmarshal returns, so the public decoders keep a copy.
func TestUnmarshalJSONCopiesRaw(t *testing.T) {
	buf := []byte(`{"id":"tx_1","amount":1,"currency":"GBP","merchant":{"id":"m1","name":"Shop"}}`)
	var tx Transaction
	if err := json.Unmarshal(buf, &tx); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = ' '
	}
	m, _ := tx.Merchant.Expanded()
	if !strings.HasPrefix(string(tx.Raw), `{"id":"tx_1"`) || m == nil || !strings.HasPrefix(string(m.Raw), `{"id":"m1"`) {
		t.Errorf("Raw changed with the caller's buffer: %s / %s", tx.Raw, m.Raw)
	}
}

func TestParseRFC3339UTCAgreesWithTimeParse(t *testing.T) {
	for _, s := range []string{
		"2024-01-31T09:30:00Z", "2024-01-31T09:30:00.1Z", "2024-01-31T09:30:00.123456789Z", "2024-02-29T00:00:00Z",
		"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-31T24:00:00Z", "2024-01-31T09:30:60Z",
		"2024-01-31T09:30:00.Z", "2024-01-31T09:30:00.1234567890Z", "2024-01-31t09:30:00Z", "0000-01-01T00:00:00Z",
		"2024-04-31T00:00:00Z", "2024-01-31T09:30:00+00:00",
	} {
		want, err := time.Parse(time.RFC3339Nano, s)
		got, ok := parseRFC3339UTC([]byte(s))
		if ok && (err != nil || !got.Equal(want) || got != want) {
			t.Errorf("%s: fast parse gave %v, time.Parse %v (%v)", s, got, want, err)
		}
	}
}

func TestTimestampRefusesYearsRFC3339CannotWrite(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), // year 10000 in UTC
	} {
		if b, err := json.Marshal(Timestamp{tm}); err == nil {
			t.Errorf("%v encoded as %s, want an error", tm, b)
		}
	}
	last := Timestamp{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}
	b, err := json.Marshal(last)
	if err != nil {
		t.Fatal(err)
	}
	var back Timestamp
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(last.Time) {
		t.Errorf("round trip of %s: %v, %v", b, back, err)
	}
}
