package webhook_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/monzokit/monzo/webhook"
)

// FuzzParse feeds arbitrary bodies to Parse: it never panics, its errors
// name the package, and an accepted transaction.created event survives a
// round trip through NewTestEvent. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"type":"transaction.created","data":{"id":"tx_1","amount":-350,"currency":"GBP","created":"2024-01-31T09:30:00Z","merchant":{"id":"merch_1","name":"Cafe"}}}`))
	f.Add([]byte(`{"type":"transaction.updated","data":{}}`))
	f.Add([]byte(`{"type":"transaction.created","data":{"id":"tx_1","settled":true}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := webhook.Parse(body)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "webhook: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if ev.Type != webhook.TransactionCreated {
			return
		}
		back, err := webhook.Parse(webhook.NewTestEvent(ev.Data))
		if err != nil {
			t.Fatalf("NewTestEvent of a parsed event does not parse: %v", err)
		}
		a, b := ev.Data, back.Data
		// encoding/json may re-escape the raw JSON (& as \u0026): compare
		// its meaning, not its bytes.
		var ra, rb any
		if json.Unmarshal(a.Raw, &ra) != nil || json.Unmarshal(b.Raw, &rb) != nil || !reflect.DeepEqual(ra, rb) ||
			a.ID != b.ID || a.Amount != b.Amount || a.Currency != b.Currency || !a.Created.Equal(b.Created.Time) {
			t.Fatalf("round trip changed the transaction: %+v\nvs %+v", a, b)
		}
	})
}
