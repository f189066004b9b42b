package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/webhook"
)

// A real-shaped card payment event: merchant expanded, extra fields.
const cardEvent = `{
  "type": "transaction.created",
  "data": {
    "account_id": "acc_00008gju41AHyfLUzBUk8A",
    "amount": -350,
    "created": "2015-09-04T14:28:40Z",
    "currency": "GBP",
    "description": "Ozone Coffee Roasters",
    "id": "tx_00008zjky19HyFLAzlUk7t",
    "category": "eating_out",
    "is_load": false,
    "settled": "",
    "merchant": {
      "address": {"address": "98 Southgate Road", "city": "London", "country": "GB", "latitude": 51.54151, "longitude": -0.08482, "postcode": "N1 3JD", "region": "Greater London"},
      "created": "2015-08-22T12:20:18Z",
      "group_id": "grp_00008zIcpbBOaAr7TTP3sv",
      "id": "merch_00008zIcpbAKe8shBxXUtl",
      "logo": "https://pbs.twimg.com/profile_images/527043602623389696/68_SgUWJ.jpeg",
      "emoji": "☕",
      "name": "The De Beauvoir Deli Co.",
      "category": "eating_out"
    },
    "metadata": {"mcc": "5812"},
    "scheme": "mastercard",
    "some_future_field": {"x": 1}
  }
}`

func TestParseCardPayment(t *testing.T) {
	ev, err := webhook.Parse([]byte(cardEvent))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != webhook.TransactionCreated {
		t.Errorf("Type = %q", ev.Type)
	}
	tx := ev.Data
	if tx.ID != "tx_00008zjky19HyFLAzlUk7t" || tx.Amount != -350 || tx.Currency != "GBP" || tx.Category != monzo.CategoryEatingOut {
		t.Errorf("transaction decoded wrongly: %+v", tx)
	}
	if !tx.IsPending() || tx.IsDeclined() {
		t.Errorf("want a pending, not declined payment: settled=%v decline=%q", tx.Settled, tx.DeclineReason)
	}
	m, ok := tx.Merchant.Expanded()
	if !ok || m.Name != "The De Beauvoir Deli Co." || m.ID != "merch_00008zIcpbAKe8shBxXUtl" {
		t.Errorf("merchant not expanded: %+v", tx.Merchant)
	}
	if !strings.Contains(string(tx.Raw), "some_future_field") || !strings.Contains(string(ev.Raw), "some_future_field") {
		t.Error("unknown fields were not kept in Raw")
	}
}

func TestParseDeclined(t *testing.T) {
	body := `{"type":"transaction.created","data":{"id":"tx_1","amount":-100,"currency":"GBP","settled":"","merchant":null,"decline_reason":"INSUFFICIENT_FUNDS","include_in_spending":false}}`
	ev, err := webhook.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Data.IsDeclined() || ev.Data.DeclineReason != monzo.DeclineInsufficientFunds || !ev.Data.Merchant.IsZero() {
		t.Errorf("declined payment decoded wrongly: %+v", ev.Data)
	}
}

func TestParseUnknownTypeKeepsRaw(t *testing.T) {
	body := `{"type":"transaction.updated","data":{"anything":true}}`
	ev, err := webhook.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "transaction.updated" || ev.Data.ID != "" || string(ev.Raw) != body {
		t.Errorf("unknown event = %+v", ev)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"not json":        `<html>`,
		"array":           `[]`,
		"no type":         `{"data":{"id":"tx_1"}}`,
		"no data":         `{"type":"transaction.created"}`,
		"null data":       `{"type":"transaction.created","data":null}`,
		"data not object": `{"type":"transaction.created","data":"tx_1"}`,
		"no id":           `{"type":"transaction.created","data":{"amount":1}}`,
		"bad amount":      `{"type":"transaction.created","data":{"id":"tx_1","amount":"1.50"}}`,
		"truncated":       cardEvent[:200],
		"empty":           ``,
		"type wrong kind": `{"type":1,"data":{}}`,
	} {
		if ev, err := webhook.Parse([]byte(body)); err == nil {
			t.Errorf("%s: Parse succeeded: %+v", name, ev)
		}
	}
}

// TestParseKeepsEventsWithABadOptionalField: an optional field of the
// wrong type (here the old boolean "settled") is reported in the
// transaction's DecodeWarnings instead of losing the event.
func TestParseKeepsEventsWithABadOptionalField(t *testing.T) {
	ev, err := webhook.Parse([]byte(`{"type":"transaction.created","data":{"id":"tx_1","amount":-5,"currency":"GBP","settled":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	w := ev.Data.DecodeWarnings
	if ev.Data.ID != "tx_1" || ev.Data.Amount != -5 || !ev.Data.Settled.IsZero() || len(w) != 1 || w[0].Field != "settled" {
		t.Errorf("event = %+v, warnings %v; want tx_1 with a zero Settled and one warning for settled", ev.Data, w)
	}
}

func TestNewTestEventRoundTrips(t *testing.T) {
	tx := monzo.Transaction{
		ID: "tx_0000A1", AccountID: "acc_1", Amount: -1250, Currency: "GBP",
		Description: "PRET A MANGER", Category: monzo.CategoryEatingOut,
		Merchant: monzo.MerchantRefFromMerchant(&monzo.Merchant{ID: "merch_1", Name: "Pret A Manger"}),
		Metadata: map[string]string{"mcc": "5814"},
	}
	ev, err := webhook.Parse(webhook.NewTestEvent(tx))
	if err != nil {
		t.Fatal(err)
	}
	got := ev.Data
	if got.ID != tx.ID || got.Amount != tx.Amount || got.Metadata["mcc"] != "5814" || got.Merchant.String() != "Pret A Manger" {
		t.Errorf("round trip lost data: %+v", got)
	}

	// A transaction decoded from JSON is replayed byte for byte.
	var fromAPI monzo.Transaction
	if err := json.Unmarshal([]byte(`{"id":"tx_2","amount":5,"weird":[1,2]}`), &fromAPI); err != nil {
		t.Fatal(err)
	}
	if body := webhook.NewTestEvent(fromAPI); !strings.Contains(string(body), `"weird":[1,2]`) {
		t.Errorf("NewTestEvent did not replay Raw: %s", body)
	}
}
