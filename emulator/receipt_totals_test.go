package emulator

import (
	"math"
	"net/http"
	"strings"
	"testing"
)

// txAmount reads a transaction's absolute amount and currency, and its
// local ones.
func txAmount(e *env, id string) (amount int64, currency string, local int64, localCurrency string) {
	e.t.Helper()
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	tx := e.s.bank.transactions[id]
	abs := func(v int64) int64 { return max(v, -v) }
	return abs(tx.Amount), tx.Currency, abs(tx.LocalAmount), tx.LocalCurrency
}

// consistentReceipt is a receipt whose every sum agrees, for a purchase of
// total: items with VAT included, a sub-item breakdown, a card payment.
func consistentReceipt(externalID, txID, currency string, total int64) map[string]any {
	first := total / 2
	return map[string]any{
		"external_id": externalID, "transaction_id": txID, "total": total, "currency": currency,
		"items": []any{
			map[string]any{"description": "Meal deal", "amount": first, "currency": currency, "sub_items": []any{
				map[string]any{"description": "Sandwich", "amount": first - 1, "currency": currency},
				map[string]any{"description": "Crisps", "amount": 1, "currency": currency},
			}},
			map[string]any{"description": "Bananas", "amount": total - first, "currency": currency},
		},
		"taxes":    []any{map[string]any{"description": "VAT (included)", "amount": total / 6, "currency": currency}},
		"payments": []any{map[string]any{"type": "card", "amount": total, "currency": currency}},
	}
}

// Receipts whose amounts do not add up are accepted, as Monzo accepts
// them (its own examples do not add up), and each problem comes back as a
// Warning header and in Server.Receipts; a sum too big for an int64 is
// refused.
func TestReceiptTotalsAreCheckedNotRefused(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := cardTx(e, acc)
	total, currency, _, _ := txAmount(e, txID)
	items := func(b map[string]any) []any { return b["items"].([]any) }
	item := func(b map[string]any, i int) map[string]any { return items(b)[i].(map[string]any) }

	put := func(name string, body map[string]any) ([]string, ReceiptRecord) {
		t.Helper()
		r := e.putReceipt(token, body)
		if r.status != http.StatusOK || len(r.body) != 0 {
			t.Fatalf("%s: status %d %s, want 200 and an empty body: receipts that do not add up are accepted", name, r.status, r.body)
		}
		wantStatus(t, e.get(receiptPath(body["external_id"].(string)), token), http.StatusOK)
		for _, rec := range e.s.Receipts() {
			if strings.Contains(string(rec.Receipt), `"external_id":"`+body["external_id"].(string)+`"`) {
				return r.header.Values("Warning"), rec
			}
		}
		t.Fatalf("%s: not stored", name)
		return nil, ReceiptRecord{}
	}

	// Consistent receipts draw no warning: VAT included in the prices or
	// added on top (the documented form) are both fine.
	if warnings, rec := put("consistent", consistentReceipt("ok-1", txID, currency, total)); len(warnings) != 0 || len(rec.Warnings) != 0 {
		t.Errorf("a consistent receipt drew warnings %q / %q", warnings, rec.Warnings)
	}
	onTop := consistentReceipt("ok-2", txID, currency, total)
	item(onTop, 1)["amount"] = total - total/2 - 10
	onTop["taxes"] = []any{map[string]any{"description": "VAT", "amount": 10, "currency": currency}}
	if warnings, _ := put("taxes on top", onTop); len(warnings) != 0 {
		t.Errorf("items plus taxes equal to the total drew warnings %q", warnings)
	}
	// A payment abroad may be receipted in its local currency.
	foreign := txWhere(e, acc, func(tx *transaction) bool {
		return tx.Scheme == schemeMastercard && !tx.declined() && tx.LocalCurrency != "" && tx.LocalCurrency != tx.Currency
	})
	_, _, local, localCurrency := txAmount(e, foreign)
	if warnings, _ := put("local currency", consistentReceipt("ok-3", foreign, localCurrency, local)); len(warnings) != 0 {
		t.Errorf("a receipt in the local currency of a payment abroad drew warnings %q", warnings)
	}

	cases := []struct {
		name  string
		edit  func(b map[string]any)
		warns string
	}{
		{"sub-items", func(b map[string]any) { item(b, 0)["sub_items"].([]any)[1].(map[string]any)["amount"] = 2 },
			"items[0].amount is"},
		{"items against total", func(b map[string]any) { item(b, 1)["amount"] = 1; b["taxes"] = []any{} },
			"the items add up to"},
		{"items and taxes against total", func(b map[string]any) { item(b, 1)["amount"] = 1 }, "with the taxes"},
		{"payments", func(b map[string]any) {
			b["payments"] = append(b["payments"].([]any), map[string]any{"type": "cash", "amount": 5, "currency": currency})
		}, "the payments add up to"},
		{"currency", func(b map[string]any) { item(b, 1)["currency"] = "EUR" }, "items[1].currency is EUR"},
		{"transaction", func(b map[string]any) {
			b["total"] = total + 1
			item(b, 1)["amount"] = total - total/2 + 1
			b["payments"].([]any)[0].(map[string]any)["amount"] = total + 1
		}, "but transaction " + txID + " is for"},
	}
	for _, c := range cases {
		body := consistentReceipt("bad-"+strings.ReplaceAll(c.name, " ", "-"), txID, currency, total)
		c.edit(body)
		warnings, rec := put(c.name, body)
		if len(warnings) != 1 || !strings.Contains(warnings[0], c.warns) || !strings.HasPrefix(warnings[0], `299 monzo-emulator "receipt: `) {
			t.Errorf("%s: Warning headers %q, want one saying %q", c.name, warnings, c.warns)
		}
		if len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], c.warns) {
			t.Errorf("%s: stored warnings %q, want one saying %q", c.name, rec.Warnings, c.warns)
		}
	}

	// Monzo's own documented example: accepted, with what does not add up.
	docs := map[string]any{"external_id": "docs", "transaction_id": txID, "total": 1299, "currency": "GBP",
		"items": []any{map[string]any{"description": "Burger", "amount": 539, "currency": "GBP", "tax": 77, "sub_items": []any{
			map[string]any{"description": "Extra cheese", "amount": 100, "currency": "GBP"},
			map[string]any{"description": "Free extra topping promotion", "amount": -100, "currency": "GBP"},
		}}}}
	if warnings, _ := put("docs example", docs); len(warnings) < 2 {
		t.Errorf("the docs' example drew warnings %q, want the sub-items and the total", warnings)
	}

	// A sum that cannot be held is refused, and nothing is stored.
	huge := consistentReceipt("huge", txID, currency, total)
	item(huge, 0)["sub_items"] = []any{}
	item(huge, 0)["amount"] = int64(math.MaxInt64)
	item(huge, 1)["amount"] = int64(math.MaxInt64)
	wantError(t, e.putReceipt(token, huge), http.StatusBadRequest, "bad_request.bad_param.items")
	wantError(t, e.get(receiptPath("huge"), token), http.StatusNotFound, "not_found.receipt")
}
