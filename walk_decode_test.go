package monzo_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
)

// TestBackfillDecodeErrorInOrder: a concurrent walk decodes each page when
// its turn comes, so a page that does not decode ends the walk after every
// transaction before it, with the error the client gives for that page on
// arrival.
func TestBackfillDecodeErrorInOrder(t *testing.T) {
	const bad = 450
	h := newHistoryServer(1000, 400*24*time.Hour, time.Now().Add(-time.Hour))
	h.cache = false
	// Transaction 450's amount arrives as a string: the page is well-formed
	// JSON, but a transaction without a usable amount cannot be decoded.
	amount := regexp.MustCompile(`("id":"tx_000000000450"[^}]*?"amount":)(-?\d+)`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.Write(amount.ReplaceAll(rec.Body.Bytes(), []byte(`$1"$2"`)))
	}))
	defer srv.Close()
	c, err := monzo.NewClient(monzo.WithBaseURL(srv.URL), monzo.WithHTTPClient(srv.Client()), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}

	var allErr error
	for _, err := range c.Transactions.All(t.Context(), h.account, nil) {
		if err != nil {
			allErr = err
		}
	}
	const want = `monzo: decoding the GET /transactions response: transactions[`
	if allErr == nil || !strings.HasPrefix(allErr.Error(), want) || !strings.Contains(allErr.Error(), `transaction "tx_000000000450": field "amount"`) {
		t.Fatalf("All: %v, want a decoding error naming transaction 450's amount", allErr)
	}

	got, _, err := backfill(t, c, h.account, &monzo.BackfillOptions{Since: h.start, Window: 20 * 24 * time.Hour, Concurrency: 4})
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("Backfill: %v, want a *BackfillIncompleteError", err)
	}
	if inner := incomplete.Err.Error(); !strings.HasPrefix(inner, want) || !strings.Contains(inner, `transaction "tx_000000000450": field "amount"`) {
		t.Errorf("Backfill stopped with %q, want the error All gives", inner)
	}
	// Everything before the bad page, in order, and nothing after it. The
	// windows hold 50 transactions each (20 days of one every 9.6 hours),
	// so the bad transaction opens the tenth window's only page.
	if len(got) != bad {
		t.Fatalf("Backfill handed over %d transactions before the error, want %d", len(got), bad)
	}
	for i, tx := range got {
		if want := fmt.Sprintf("tx_%012d", i); tx.ID != want {
			t.Fatalf("transaction %d is %s, want %s", i, tx.ID, want)
		}
	}
	if incomplete.Fetched != len(got) || incomplete.LastID != got[len(got)-1].ID {
		t.Errorf("progress %+v, want %d fetched up to %s", incomplete.BackfillProgress, len(got), got[len(got)-1].ID)
	}
}
