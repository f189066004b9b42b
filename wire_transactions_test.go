package monzo_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
)

// The transaction walks' requests, checked against
// docs/api-notes.md#pagination: GET /transactions with account_id, since (a
// time or a transaction id), before (a time), limit (1 to 100) and
// expand[]=merchant, and nothing else.
func TestWireFormatTransactions(t *testing.T) {
	w := newWire(t)
	c, srv := w.client, w.srv
	ctx := context.Background()
	account := srv.AccountID(monzo.AccountTypeRetail)
	start := srv.Emulator.Clock().Now().Add(-time.Minute).Truncate(time.Second)
	var ids []string
	for i := range 5 {
		id, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: account, Amount: int64(100 + i), MerchantName: "Corner Shop"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	end := srv.Emulator.Clock().Now().Add(time.Minute).Truncate(time.Second)
	w.take()

	t.Run("List", func(t *testing.T) {
		if _, err := c.Transactions.List(ctx, account, &monzo.TransactionListOptions{Since: start, Before: end, Limit: 7, ExpandMerchant: true}); err != nil {
			t.Fatal(err)
		}
		r := w.expectOne(t, "List", want{method: "GET", path: "/transactions", query: url.Values{
			"account_id": {account}, "since": {start.UTC().Format(time.RFC3339)}, "before": {end.UTC().Format(time.RFC3339)},
			"limit": {"7"}, "expand[]": {"merchant"}}})
		if strings.Contains(r.RawQuery, "expand=") {
			t.Errorf("List sent %q: the parameter is expand[], not expand", r.RawQuery)
		}
		if _, err := c.Transactions.List(ctx, account, &monzo.TransactionListOptions{SinceID: ids[0]}); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "List(SinceID)", want{method: "GET", path: "/transactions", query: url.Values{"account_id": {account}, "since": {ids[0]}}})
	})

	t.Run("All", func(t *testing.T) {
		var got []string
		for tx, err := range c.Transactions.All(ctx, account, &monzo.TransactionListOptions{Since: start, Limit: 2, ExpandMerchant: true}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, tx.ID)
		}
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Fatalf("All yielded %v, want %v", got, ids)
		}
		seen := w.take()
		// Pages of 2, 2, 1, then the empty page that ends the walk.
		if len(seen) != 4 {
			t.Fatalf("All made %d requests, want 4", len(seen))
		}
		for i, r := range seen {
			since := start.UTC().Format(time.RFC3339)
			if i > 0 {
				// The cursor is the last id of the previous page.
				since = got[min(2*i, len(got))-1]
			}
			checkRequest(t, "All page "+strconv.Itoa(i), r, want{method: "GET", path: "/transactions", query: url.Values{
				"account_id": {account}, "since": {since}, "limit": {"2"}, "expand[]": {"merchant"}}})
		}
	})

	t.Run("Backfill", func(t *testing.T) {
		var got []string
		for tx, err := range c.Transactions.Backfill(ctx, account, &monzo.BackfillOptions{Since: start, Until: end, PageSize: 3, ExpandMerchant: true}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, tx.ID)
		}
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Fatalf("Backfill handed over %v, want %v", got, ids)
		}
		seen := w.take()
		if len(seen) == 0 {
			t.Fatal("Backfill made no requests")
		}
		for i, r := range seen {
			call := "Backfill request " + strconv.Itoa(i)
			if r.Method != "GET" || r.Path != "/transactions" || len(r.Body) > 0 {
				t.Errorf("%s: %s %s with body %q, want GET /transactions without a body", call, r.Method, r.Path, r.Body)
			}
			for key := range r.Query {
				switch key {
				case "account_id", "since", "before", "limit", "expand[]":
				default:
					t.Errorf("%s sent the unknown parameter %q (%s)", call, key, r.RawQuery)
				}
			}
			if r.Query.Get("account_id") != account || r.Query.Get("expand[]") != "merchant" {
				t.Errorf("%s query %q lacks account_id or expand[]=merchant", call, r.RawQuery)
			}
			if n, err := strconv.Atoi(r.Query.Get("limit")); err != nil || n != 3 {
				t.Errorf("%s: limit = %q, want 3", call, r.Query.Get("limit"))
			}
			since := r.Query.Get("since")
			if _, err := time.Parse(time.RFC3339Nano, since); err != nil && !strings.HasPrefix(since, "tx_") {
				t.Errorf("%s: since = %q, want an RFC 3339 time or a transaction id", call, since)
			}
			if before := r.Query.Get("before"); before != "" {
				if _, err := time.Parse(time.RFC3339Nano, before); err != nil {
					t.Errorf("%s: before = %q, want an RFC 3339 time (ids are not accepted there)", call, before)
				}
			}
		}
	})
}
