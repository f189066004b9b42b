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
	if n < 10 {
		t.Errorf("%d transactions yielded, want at least the first page of 10", n)
	}
}
