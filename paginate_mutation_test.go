package monzo_test

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
)

// TestAllStopsWhenTheServerIgnoresTheCursor: a server that answers every
// page as if no cursor had been sent would make the walk repeat the same
// page forever; All must stop with an error after the first repeat. (As a
// safety net for this test, the proxy answers an empty page from the fifth
// request on, so a walk that never notices ends without an error.)
func TestAllStopsWhenTheServerIgnoresTheCursor(t *testing.T) {
	e := newTxEnv(t)
	target, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	since := e.clock.Now().Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		r := pr.Out
		if r.URL.Path == "/transactions" {
			q := r.URL.Query()
			q.Set("since", since) // the cursor is ignored
			if requests.Add(1) >= 5 {
				q.Set("since", e.clock.Now().Add(time.Hour).Format(time.RFC3339))
			}
			r.URL.RawQuery = q.Encode()
		}
	}}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	c := e.srv.NewClient(e.srv.Login, monzo.WithBaseURL(front.URL), monzo.WithTokenSource(frontTokens{e.srv.Login.Tokens}), monzo.WithRetryPolicy(monzo.NoRetries()))

	var walkErr error
	n := 0
	for tx, err := range c.Transactions.All(t.Context(), e.personal, &monzo.TransactionListOptions{Limit: 10}) {
		if err != nil {
			walkErr = err
			break
		}
		_ = tx
		n++
	}
	if walkErr == nil || !strings.Contains(walkErr.Error(), "cursor did not advance") {
		t.Fatalf("walk ended after %d transactions and %d requests with %v; want the cursor error", n, requests.Load(), walkErr)
	}
	if got := requests.Load(); got != 2 {
		t.Errorf("%d list requests, want 2 (the page, then its repeat)", got)
	}
	if n != 10 {
		t.Errorf("%d transactions yielded, want the first page of 10 once (never its repeat)", n)
	}
}

// TestBackfillStopsWhenTheServerIgnoresTheCursor is the same check for the
// windowed walk: a window whose cursor does not move ends the walk with an
// error, and its first page is handed over once, never twice.
func TestBackfillStopsWhenTheServerIgnoresTheCursor(t *testing.T) {
	e := newTxEnv(t)
	target, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now().Add(-30 * 24 * time.Hour)
	var requests atomic.Int64
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		r := pr.Out
		if r.URL.Path == "/transactions" {
			q := r.URL.Query()
			if strings.HasPrefix(q.Get("since"), "tx_") {
				q.Set("since", start.Format(time.RFC3339)) // the id cursor is ignored
			}
			if requests.Add(1) >= 5 {
				q.Set("since", e.clock.Now().Add(time.Hour).Format(time.RFC3339))
			}
			r.URL.RawQuery = q.Encode()
		}
	}}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	c := e.srv.NewClient(e.srv.Login, monzo.WithBaseURL(front.URL), monzo.WithTokenSource(frontTokens{e.srv.Login.Tokens}), monzo.WithRetryPolicy(monzo.NoRetries()))

	var walkErr error
	seen := map[string]int{}
	for tx, err := range c.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{Since: start, Window: 60 * 24 * time.Hour, PageSize: 10, Concurrency: 1}) {
		if err != nil {
			walkErr = err
			break
		}
		seen[tx.ID]++
	}
	if walkErr == nil || !strings.Contains(walkErr.Error(), "cursor did not advance") {
		t.Fatalf("walk ended after %d transactions and %d requests with %v; want the cursor error", len(seen), requests.Load(), walkErr)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s yielded %d times", id, n)
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d transactions yielded, want the first page of 10", len(seen))
	}
}
