package monzo

import (
	"strings"
	"testing"
)

// FuzzRawPageAgreesWithDecode checks the quick reading a concurrent walk
// does of the pages it holds undecoded: for any body, its count and last
// id are those decoding gives, its refusal is decoding's own error, and
// decoding the page later fails only where the quick reading could not
// look (a wrong type in a field a transaction cannot do without).
func FuzzRawPageAgreesWithDecode(f *testing.F) {
	for _, seed := range []string{
		samplePage,
		`{"transactions":[]}`,
		`{"transactions":null}`,
		`{"other":1}`,
		`{"transactions":[{"id":"tx_1"},{"ID":"tx_2"}]}`,
		`{"Transactions":[{"id":"tx_1"}],"transactions":[{"id":"tx_3","id":"tx_4"}]}`,
		`{"transactions":[{"id":"tx_\u0031"}]}`,
		`{"transactions":[{"id":"tx_é"}]}`,
		`{"transactions":[{"amount":1}]}`,
		`{"transactions":[{"id":"tx_1"},{"amount":1}]}`,
		`{"transactions":[null]}`,
		`{"transactions":[{"id":7}]}`,
		`{"transactions":[{"id":"tx_1","amount":"12"}]}`,
		`{"transactions":[{"id":"tx_1","created":"yesterday"}]}`,
		`{"transactions":[{"id":"tx_1"}]} x`,
		`{"transactions":[{"id":"tx_1",}]}`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var full transactionPage
		fullErr := full.decodeOwned(append([]byte(nil), data...))
		// A page wanted at once is decoded on arrival, exactly as listPage
		// would.
		now := rawTransactionPage{decodeNow: true}
		if err := now.decodeOwned(append([]byte(nil), data...)); (err == nil) != (fullErr == nil) || (err != nil && err.Error() != fullErr.Error()) {
			t.Fatalf("decoded on arrival: %v; decoding says %v", err, fullErr)
		} else if err == nil {
			txs, _ := now.decode()
			if now.count != len(full.Transactions) || len(txs) != now.count || (now.count > 0 && now.lastID != full.Transactions[now.count-1].ID) {
				t.Fatalf("decoded on arrival: count %d, last id %q, %d decoded; decoding found %d", now.count, now.lastID, len(txs), len(full.Transactions))
			}
		}

		var raw rawTransactionPage
		rawErr := raw.decodeOwned(append([]byte(nil), data...))
		if rawErr != nil {
			if fullErr == nil || rawErr.Error() != fullErr.Error() {
				t.Fatalf("quick reading refuses it with %v; decoding says %v", rawErr, fullErr)
			}
			return
		}
		txs, err := raw.decode()
		if (err == nil) != (fullErr == nil) {
			t.Fatalf("decoding the held page: %v; decoding on arrival: %v", err, fullErr)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "monzo: decoding the GET /transactions response: "+fullErr.Error()) {
				t.Fatalf("decoding the held page says %q, want the client's %q", err, fullErr)
			}
			return
		}
		if raw.count != len(full.Transactions) || len(txs) != raw.count {
			t.Fatalf("count %d, decoded %d, decoding on arrival %d", raw.count, len(txs), len(full.Transactions))
		}
		if raw.count > 0 && raw.lastID != full.Transactions[raw.count-1].ID {
			t.Fatalf("last id %q, decoding says %q", raw.lastID, full.Transactions[raw.count-1].ID)
		}
	})
}
