package monzo

import (
	"bytes"
	"strings"
	"testing"
)

// decodesLikeEncodingJSON decodes body with the page decoder and with
// encoding/json (decode_ref_test.go) and reports any difference.
func decodesLikeEncodingJSON(t *testing.T, name, body string) {
	t.Helper()
	want, err := refDecodePage([]byte(body))
	if err != nil {
		t.Fatalf("%s: the reference refuses the body: %v", name, err)
	}
	var p transactionPage
	if err := p.decodeOwned([]byte(body)); err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if len(p.Transactions) != len(want) {
		t.Errorf("%s: %d transactions, want %d", name, len(p.Transactions), len(want))
		return
	}
	for i := range want {
		got := p.Transactions[i]
		if diff := sameTransaction(got, want[i]); diff != "" {
			t.Errorf("%s: transaction %d: %s", name, i, diff)
		}
		if len(got.DecodeWarnings) != 0 {
			t.Errorf("%s: transaction %d: warnings %v", name, i, got.DecodeWarnings)
		}
		if !bytes.Equal(got.Raw, want[i].Raw) {
			t.Errorf("%s: transaction %d: Raw %s, want %s", name, i, got.Raw, want[i].Raw)
		}
	}
}

// Members that are null, repeated, or null after a value decode as
// encoding/json decodes them: null clears a pointer, map or slice, and the
// last of repeated keys wins.
func TestNullAndRepeatedMembersDecodeLikeEncodingJSON(t *testing.T) {
	const head = `{"transactions":[{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z",`
	for name, members := range map[string]string{
		"balance null":           `"account_balance":null`,
		"balance then null":      `"account_balance":7,"account_balance":null`,
		"balance null then set":  `"account_balance":null,"account_balance":7`,
		"address null":           `"merchant":{"id":"m","name":"Shop","address":null}`,
		"address then null":      `"merchant":{"id":"m","address":{"city":"London"},"address":null}`,
		"counterparty null":      `"counterparty":null`,
		"counterparty then null": `"counterparty":{"name":"A"},"counterparty":null`,
		"attachments null":       `"attachments":[{"id":"a1"}],"attachments":null`,
		"attachment null":        `"attachments":[null,{"id":"a2"}]`,
		"merchant null":          `"merchant":"m1","merchant":null`,
		"merchant empty":         `"merchant":""`,
		"metadata null":          `"metadata":{"a":"b"},"metadata":null`,
		"metadata twice":         `"metadata":{"a":"b"},"metadata":{"c":"d"}`,
		"categories null":        `"categories":{"a":1},"categories":null`,
		"categories twice":       `"categories":{"a":1},"categories":{"b":-2}`,
		"settled null":           `"settled":"2024-01-02T00:00:00Z","settled":null`,
		"settled empty":          `"settled":""`,
		"notes null":             `"notes":"x","notes":null`,
	} {
		decodesLikeEncodingJSON(t, name, head+members+`}]}`)
	}
}

// A repeated optional member whose later value has the wrong type keeps
// the earlier value and warns, for every kind of field alike.
func TestWrongTypedRepeatKeepsTheEarlierValue(t *testing.T) {
	const head = `{"transactions":[{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z",`
	for _, c := range []struct {
		members, field string
		kept           func(*Transaction) bool
	}{
		{`"merchant":{"id":"m","address":{"zoom_level":17,"zoom_level":1.5}}`, "merchant.address.zoom_level",
			func(tx *Transaction) bool { m, ok := tx.Merchant.Expanded(); return ok && m.Address.ZoomLevel == 17 }},
		{`"merchant":{"id":"m","address":{"latitude":51.5,"latitude":"x"}}`, "merchant.address.latitude",
			func(tx *Transaction) bool { m, ok := tx.Merchant.Expanded(); return ok && m.Address.Latitude == 51.5 }},
		{`"local_amount":-250,"local_amount":"x"`, "local_amount", func(tx *Transaction) bool { return tx.LocalAmount == -250 }},
		{`"notes":"lunch","notes":5`, "notes", func(tx *Transaction) bool { return tx.Notes == "lunch" }},
		{`"is_load":true,"is_load":"no"`, "is_load", func(tx *Transaction) bool { return tx.IsLoad }},
	} {
		var p transactionPage
		if err := p.decodeOwned([]byte(head + c.members + `}]}`)); err != nil {
			t.Errorf("%s: %v", c.members, err)
			continue
		}
		tx := &p.Transactions[0]
		if w := tx.DecodeWarnings; len(w) != 1 || w[0].Field != c.field || !c.kept(tx) {
			t.Errorf("%s: %+v, warnings %v; want the first value kept and one warning for %s", c.members, tx, w, c.field)
		}
	}
}

// An attachment that is not an object is skipped with a warning naming
// its index; the attachments around it are kept.
func TestAttachmentOfTheWrongTypeIsSkippedWithAWarning(t *testing.T) {
	body := `{"transactions":[{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z",` +
		`"attachments":[{"id":"a1"},"a2",{"id":"a3"}]}]}`
	var p transactionPage
	if err := p.decodeOwned([]byte(body)); err != nil {
		t.Fatal(err)
	}
	tx := p.Transactions[0]
	if w := tx.DecodeWarnings; len(w) != 1 || w[0].Field != "attachments[1]" || !strings.Contains(w[0].Error(), "got a string") {
		t.Errorf("warnings %v, want one for attachments[1] saying it is a string", w)
	}
	if len(tx.Attachments) != 2 || tx.Attachments[0].ID != "a1" || tx.Attachments[1].ID != "a3" {
		t.Errorf("attachments %+v, want a1 and a3", tx.Attachments)
	}
}

// The body of a single-transaction call: null is no transaction, and the
// last of repeated members wins, as with encoding/json.
func TestTransactionResponseNullAndRepeated(t *testing.T) {
	const tx = `{"id":"tx_1","amount":-5,"currency":"GBP","created":"2024-01-01T00:00:00Z"}`
	for body, wantID := range map[string]string{
		`{"transaction":null}`:                          "",
		`{"transaction":` + tx + `,"transaction":null}`: "",
		`{"transaction":null,"transaction":` + tx + `}`: "tx_1",
		`{"transaction":` + tx + `}`:                    "tx_1",
		`{"other":1}`:                                   "",
	} {
		var p transactionResponse
		if err := p.decodeOwned([]byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		switch {
		case wantID == "" && p.Transaction != nil:
			t.Errorf("%s: transaction %+v, want none", body, p.Transaction)
		case wantID != "" && (p.Transaction == nil || p.Transaction.ID != wantID):
			t.Errorf("%s: transaction %+v, want %s", body, p.Transaction, wantID)
		}
	}
}
