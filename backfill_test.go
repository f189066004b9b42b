package monzo_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
)

// backfill drains a Backfill walk: the transactions handed over, the last
// progress reported and the error that ended it, if any.
func backfill(t *testing.T, c *monzo.Client, account string, opts *monzo.BackfillOptions) ([]*monzo.Transaction, monzo.BackfillProgress, error) {
	t.Helper()
	var progress monzo.BackfillProgress
	var o monzo.BackfillOptions
	if opts != nil {
		o = *opts
	}
	o.OnProgress = func(p monzo.BackfillProgress) { progress = p }
	var got []*monzo.Transaction
	for tx, err := range c.Transactions.Backfill(t.Context(), account, &o) {
		if err != nil {
			return got, progress, err
		}
		got = append(got, tx)
	}
	return got, progress, nil
}

// sameIDs fails the test unless got and want hold the same transactions in
// the same order.
func sameIDs(t *testing.T, what string, got, want []*monzo.Transaction) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d transactions, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Fatalf("%s: differ at %d: %s vs %s", what, i, got[i].ID, want[i].ID)
		}
	}
}

func TestBackfillInsideTheWindow(t *testing.T) {
	e := newTxEnv(t)
	all := collect(t, e.client.Transactions.All(t.Context(), e.personal, nil))

	for _, concurrency := range []int{1, 3, 0, monzo.MaxBackfillConcurrency} {
		t.Run(fmt.Sprint("concurrency=", concurrency), func(t *testing.T) {
			got, progress, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{
				Since:       all[0].Created.Add(-24 * time.Hour),
				Window:      45 * 24 * time.Hour,
				PageSize:    40,
				Concurrency: concurrency,
			})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, "backfill vs All", got, all)
			if progress.Fetched != len(all) || progress.LastID != all[len(all)-1].ID {
				t.Fatalf("final progress %+v, want %d ending %s", progress, len(all), all[len(all)-1].ID)
			}
			if !progress.Reached.Equal(e.clock.Now()) {
				t.Errorf("Reached = %s, want the walk's start %s", progress.Reached, e.clock.Now())
			}
		})
	}

	// Resuming after the last stored transaction finds nothing new, then
	// exactly the transactions after a point in the middle.
	got, progress, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{AfterID: all[len(all)-1].ID})
	if err != nil || len(got) != 0 || progress.Fetched != 0 || progress.LastID != all[len(all)-1].ID {
		t.Fatalf("resume from the end: %d handed over, %+v, %v", len(got), progress, err)
	}
	mid := len(all) - 321
	got, progress, err = backfill(t, e.client, e.personal, &monzo.BackfillOptions{AfterID: all[mid].ID, Window: 10 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "resume from the middle", got, all[mid+1:])
	if progress.Fetched != 320 {
		t.Errorf("progress.Fetched = %d, want 320", progress.Fetched)
	}
}

// TestBackfillWithoutOptionsStartsAtTheAccount checks that nil options walk
// the whole history, from the account's creation.
func TestBackfillWithoutOptionsStartsAtTheAccount(t *testing.T) {
	e := newTxEnv(t)
	all := collect(t, e.client.Transactions.All(t.Context(), e.personal, nil))
	var got []*monzo.Transaction
	for tx, err := range e.client.Transactions.Backfill(t.Context(), e.personal, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tx)
	}
	sameIDs(t, "nil options", got, all)

	_, _, err := backfill(t, e.client, "acc_doesnotexist", nil)
	if err == nil || !strings.Contains(err.Error(), "BackfillOptions.Since") {
		t.Errorf("unknown account: err = %v, want advice to set Since", err)
	}
}

// TestBackfillWindowBoundaries walks 0, 1 and k whole windows, and Until
// just before and just after a window boundary: each must hand over exactly
// what one All over the same range does, without an error.
func TestBackfillWindowBoundaries(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	const window = 20 * 24 * time.Hour
	since := e.clock.Now().Add(-80 * 24 * time.Hour).Truncate(time.Hour)
	for name, until := range map[string]time.Time{
		"0 windows":              since,
		"1 window":               since.Add(window),
		"3 windows":              since.Add(3 * window),
		"just before a boundary": since.Add(3*window - time.Second),
		"just after a boundary":  since.Add(3*window + time.Second),
		"a nanosecond after":     since.Add(2*window + 1),
	} {
		t.Run(name, func(t *testing.T) {
			var want []*monzo.Transaction
			if until.After(since) {
				want = collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Since: since, Before: until}))
			}
			for _, concurrency := range []int{1, 4} {
				got, progress, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{Since: since, Until: until, Window: window, PageSize: 25, Concurrency: concurrency})
				if err != nil {
					t.Fatalf("concurrency %d: %v", concurrency, err)
				}
				sameIDs(t, fmt.Sprint("concurrency ", concurrency), got, want)
				if !progress.Reached.Equal(until) || progress.Fetched != len(want) {
					t.Errorf("concurrency %d: progress %+v, want Reached %s and %d fetched", concurrency, progress, until, len(want))
				}
			}
		})
	}
	if len(collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Since: since, Before: since.Add(window)}))) == 0 {
		t.Fatal("the first window is empty: the boundary cases prove nothing")
	}
}

// shortPages puts a proxy in front of the emulator that serves at most max
// transactions per page whatever limit is asked for, as a server that caps
// pages may; it counts the list requests. It returns a client using it.
func shortPages(t *testing.T, e *txEnv, max int, requests *atomic.Int64) *monzo.Client {
	t.Helper()
	target, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		r := pr.Out
		if r.URL.Path == "/transactions" {
			requests.Add(1)
			q := r.URL.Query()
			if n, _ := strconv.Atoi(q.Get("limit")); n == 0 || n > max {
				q.Set("limit", strconv.Itoa(max))
			}
			r.URL.RawQuery = q.Encode()
		}
	}}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return e.srv.NewClient(e.srv.Login, monzo.WithBaseURL(front.URL), monzo.WithTokenSource(frontTokens{e.srv.Login.Tokens}), monzo.WithRetryPolicy(monzo.NoRetries()))
}

// TestShortPagesLoseNothing walks the history through a server that returns
// fewer transactions than asked for: All and Backfill must still reach the
// end with every transaction, because a short page alone does not prove a
// query is exhausted.
func TestShortPagesLoseNothing(t *testing.T) {
	e := newTxEnv(t)
	all := collect(t, e.client.Transactions.All(t.Context(), e.personal, nil))
	var requests atomic.Int64
	capped := shortPages(t, e, 7, &requests)

	sameIDs(t, "All with 7-item pages", collect(t, capped.Transactions.All(t.Context(), e.personal, nil)), all)
	if min := int64(len(all)/7 + 1); requests.Load() < min {
		t.Errorf("All made %d requests for %d transactions in pages of 7", requests.Load(), len(all))
	}
	for _, concurrency := range []int{1, 8} {
		got, _, err := backfill(t, capped, e.personal, &monzo.BackfillOptions{Since: all[0].Created.Time, Window: 60 * 24 * time.Hour, Concurrency: concurrency})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, fmt.Sprint("Backfill with 7-item pages, concurrency ", concurrency), got, all)
	}
}

// TestBackfillSkipsTheEmptyPageOnlyWhenCertain counts requests: in a closed
// window, a page smaller than one the server already sent ends the window
// without asking for an empty page; an open window (up to now) still asks.
func TestBackfillSkipsTheEmptyPageOnlyWhenCertain(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	var requests atomic.Int64
	c := shortPages(t, e, monzo.MaxPageSize, &requests) // no cap: counts only
	const window, pageSize = 10 * 24 * time.Hour, 10
	since := e.clock.Now().Add(-60 * 24 * time.Hour)
	until := since.Add(5 * window)

	// What each window holds, from one walk per window.
	want := 0
	var sizes []int
	for ws := since; ws.Before(until); ws = ws.Add(window) {
		n := len(collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Since: ws, Before: ws.Add(window)})))
		sizes = append(sizes, n)
		// Full pages, then either a short page that ends the window or an
		// empty one.
		want += n/pageSize + 1
	}
	if sizes[0] < pageSize {
		t.Fatalf("window sizes %v: the first must hold a full page so the server's page size is known", sizes)
	}
	got, _, err := backfill(t, c, e.personal, &monzo.BackfillOptions{Since: since, Until: until, Window: window, PageSize: pageSize, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != int64(want) {
		t.Errorf("closed windows %v: %d requests, want %d", sizes, n, want)
	}
	total := 0
	for _, n := range sizes {
		total += n
	}
	if len(got) != total {
		t.Fatalf("handed over %d, windows hold %d", len(got), total)
	}

	// Up to now the last window is open: it ends on an empty page.
	requests.Store(0)
	recent := e.clock.Now().Add(-5 * 24 * time.Hour)
	n := len(collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Since: recent})))
	if _, _, err := backfill(t, c, e.personal, &monzo.BackfillOptions{Since: recent, PageSize: pageSize}); err != nil {
		t.Fatal(err)
	}
	// Every page, then the empty one: (n+9)/10 + 1.
	if got, want := requests.Load(), int64((n+pageSize-1)/pageSize+1); got != want {
		t.Errorf("open window of %d transactions: %d requests, want %d", n, got, want)
	}
}

// TestBackfillStopsWhenTheWindowCloses moves the emulator's clock past the
// 5-minute full-history window in the middle of a backfill, checks the typed
// progress error, and then resumes after a fresh login.
func TestBackfillStopsWhenTheWindowCloses(t *testing.T) {
	e := newTxEnv(t)
	all := collect(t, e.client.Transactions.All(t.Context(), e.personal, nil))

	var got []string
	var err error
	for tx, werr := range e.client.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{
		Since: all[0].Created.Time, Window: 7 * 24 * time.Hour, PageSize: 20, Concurrency: 1}) {
		if werr != nil {
			err = werr
			break
		}
		got = append(got, tx.ID)
		if len(got) == 150 {
			e.clock.Advance(6 * time.Minute)
		}
	}
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("err = %v, want *BackfillIncompleteError", err)
	}
	if !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("errors.Is(err, ErrVerificationRequired) = false for %v", err)
	}
	// One worker, pages of 20: what it fetched before the clock moved is
	// handed over, and it can be ahead of transaction 150 by the rest of
	// that page, two pages queued in its window and, once that window is
	// fetched, four pages of the next and one in hand (walk.go's headQueue
	// and pagesPerWorker): at most 170 + 7*20. How far it got depends on
	// timing; that it stopped, and that what it handed over is a prefix
	// of the history, does not.
	if incomplete.Fetched != len(got) || incomplete.Fetched < 150 || incomplete.Fetched > 310 || incomplete.Fetched >= len(all) {
		t.Errorf("Fetched = %d, handed over %d of %d (the clock moved at 150, pages are 20)", incomplete.Fetched, len(got), len(all))
	}
	if incomplete.LastID != got[len(got)-1] {
		t.Errorf("LastID = %s, want %s", incomplete.LastID, got[len(got)-1])
	}
	lastTx := all[len(got)-1]
	if incomplete.Reached.Before(lastTx.Created.Time) || incomplete.Reached.After(lastTx.Created.Add(7*24*time.Hour)) {
		t.Errorf("Reached = %s, last transaction created %s", incomplete.Reached, lastTx.Created)
	}
	for _, want := range []string{"fetched " + strconv.Itoa(len(got)), "log in again and sync within 5 minutes of approving access in the app", incomplete.LastID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	// Resuming with the same grant still fails: the resume point is more
	// than 90 days old.
	if _, _, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{AfterID: incomplete.LastID}); !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("resume without logging in again: err = %v", err)
	}
	// After logging in again, resuming (concurrently) completes the
	// history exactly.
	fresh := e.login(e.srv.Emulator.DefaultClient())
	rest, progress, err := backfill(t, fresh, e.personal, &monzo.BackfillOptions{AfterID: incomplete.LastID, Window: 60 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range rest {
		got = append(got, tx.ID)
	}
	if len(got) != len(all) || progress.Fetched != len(all)-incomplete.Fetched {
		t.Fatalf("after resuming: %d transactions (%d this time), want %d", len(got), progress.Fetched, len(all))
	}
	for i := range all {
		if got[i] != all[i].ID {
			t.Fatalf("differ at %d: %s vs %s", i, got[i], all[i].ID)
		}
	}
}

// TestConcurrentBackfillStopsWhenTheWindowCloses closes the history window
// while many windows are in flight: whatever was handed over before the
// error is a complete prefix, and resuming from it finds the rest exactly.
func TestConcurrentBackfillStopsWhenTheWindowCloses(t *testing.T) {
	e := newTxEnv(t)
	all := collect(t, e.client.Transactions.All(t.Context(), e.personal, nil))
	var got []*monzo.Transaction
	var err error
	for tx, werr := range e.client.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{
		Since: all[0].Created.Time, Window: 5 * 24 * time.Hour, PageSize: 10, Concurrency: 8}) {
		if werr != nil {
			err = werr
			break
		}
		got = append(got, tx)
		if len(got) == 100 {
			e.clock.Advance(6 * time.Minute)
		}
	}
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) || !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Fatalf("err = %v, want a BackfillIncompleteError for verification", err)
	}
	if incomplete.Fetched != len(got) || len(got) >= len(all) {
		t.Fatalf("Fetched = %d, handed over %d of %d", incomplete.Fetched, len(got), len(all))
	}
	sameIDs(t, "prefix", got, all[:len(got)])
	rest, _, err := backfill(t, e.login(e.srv.Emulator.DefaultClient()), e.personal, &monzo.BackfillOptions{AfterID: incomplete.LastID})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "after resuming", append(got, rest...), all)
}

func TestBackfillRecentHistoryAfterTheWindow(t *testing.T) {
	e := newTxEnv(t)
	e.clock.Advance(time.Hour)
	since := e.clock.Now().Add(-80 * 24 * time.Hour)
	want := collect(t, e.client.Transactions.All(t.Context(), e.personal, &monzo.TransactionListOptions{Since: since}))
	got, _, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no recent history")
	}
	sameIDs(t, "recent history", got, want)
}

// TestBackfillSharesBackoff answers the first list request with 429 and
// checks that every worker then holds its requests for the Retry-After,
// not only the one that was refused. A proxy holds the other answers until
// the refused request's retry starts waiting, so the requests that follow
// all start after the 429 was seen.
func TestBackfillSharesBackoff(t *testing.T) {
	e := newTxEnv(t)
	target, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	var release sync.Once
	var refused atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/transactions" {
			if refused.CompareAndSwap(false, true) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, `{"code":"rate_limited","message":"Too many requests"}`)
				return
			}
			select {
			case <-released:
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c := e.srv.NewClient(e.srv.Login, monzo.WithBaseURL(front.URL), monzo.WithTokenSource(frontTokens{e.srv.Login.Tokens}), monzo.WithRetryPolicy(monzo.DefaultRetryPolicy()))

	var mu sync.Mutex
	var waits []time.Duration
	// The fake clock does not move while "sleeping", so a pause once
	// started holds every later request: each records one wait.
	monzo.SetSleep(c, func(_ context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		release.Do(func() { close(released) })
		return nil
	})
	since := e.clock.Now().Add(-80 * 24 * time.Hour)
	want := collect(t, e.client.Transactions.All(t.Context(), e.personal, &monzo.TransactionListOptions{Since: since}))
	got, _, err := backfill(t, c, e.personal, &monzo.BackfillOptions{Since: since, Window: 5 * 24 * time.Hour, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "after a 429", got, want)
	// 16 windows, 4 workers: at most 3 other requests were under way when
	// the 429 came; every later request waited, as did the retry. Without
	// sharing, only the retry would.
	mu.Lock()
	defer mu.Unlock()
	if len(waits) < 10 {
		t.Errorf("%d waits recorded (%v), want the whole walk to back off", len(waits), waits)
	}
	for _, d := range waits {
		if d != 7*time.Second {
			t.Errorf("waited %s, want the server's Retry-After of 7s", d)
		}
	}
}

// TestBackfillIncompleteNeverSaysStartAgain fails a walk before anything
// was fetched: the error must not advise repeating what just failed.
func TestBackfillIncompleteNeverSaysStartAgain(t *testing.T) {
	e := newTxEnv(t)
	if err := e.srv.Emulator.InjectFault(emulator.Fault{Method: http.MethodGet, Path: "/transactions", Status: http.StatusInternalServerError, Times: 100}); err != nil {
		t.Fatal(err)
	}
	got, _, err := backfill(t, e.client, e.personal, &monzo.BackfillOptions{Since: e.clock.Now().Add(-30 * 24 * time.Hour), Concurrency: 1})
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) || len(got) != 0 || incomplete.Fetched != 0 {
		t.Fatalf("err = %v after %d, want a BackfillIncompleteError with nothing fetched", err, len(got))
	}
	msg := err.Error()
	if strings.Contains(msg, "start again") || !strings.Contains(msg, "nothing was fetched") {
		t.Errorf("message %q should say nothing was fetched, not to start again", msg)
	}
}

// TestBackfillBreakStopsTheWalk breaks out of the loop early: no more
// transactions and no more progress reports after the break.
func TestBackfillBreakStopsTheWalk(t *testing.T) {
	e := newTxEnv(t)
	reports := 0
	n := 0
	for _, err := range e.client.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{
		Since: e.clock.Now().Add(-80 * 24 * time.Hour), Window: 24 * time.Hour, PageSize: 5,
		OnProgress: func(monzo.BackfillProgress) { reports++ }}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 12 {
			break
		}
	}
	if n != 12 || reports > 12 {
		t.Errorf("handed over %d, %d progress reports", n, reports)
	}
}

func TestBackfillValidatesOptions(t *testing.T) {
	c, err := monzo.NewClient(monzo.WithBaseURL("http://127.0.0.1:1"), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for name, tc := range map[string]struct {
		account string
		opts    *monzo.BackfillOptions
	}{
		"no account":        {" ", &monzo.BackfillOptions{Since: now}},
		"since and afterid": {"acc_1", &monzo.BackfillOptions{Since: now, AfterID: "tx_1"}},
		"window too big":    {"acc_1", &monzo.BackfillOptions{Since: now, Window: 400 * 24 * time.Hour}},
		"negative window":   {"acc_1", &monzo.BackfillOptions{Since: now, Window: -time.Hour}},
		"page too big":      {"acc_1", &monzo.BackfillOptions{Since: now, PageSize: 101}},
		"concurrency":       {"acc_1", &monzo.BackfillOptions{Since: now, Concurrency: 33}},
		"since after until": {"acc_1", &monzo.BackfillOptions{Since: now, Until: now.Add(-time.Hour)}},
		"until past 9999":   {"acc_1", &monzo.BackfillOptions{Since: now, Until: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		errs := 0
		for tx, err := range c.Transactions.Backfill(t.Context(), tc.account, tc.opts) {
			var incomplete *monzo.BackfillIncompleteError
			if tx != nil || err == nil || errors.As(err, &incomplete) || !errors.Is(err, monzo.ErrInvalidArgument) || !strings.HasPrefix(err.Error(), "monzo: ") {
				t.Errorf("%s: yielded %v, %v; want one plain validation error", name, tx, err)
			}
			errs++
		}
		if errs != 1 {
			t.Errorf("%s: %d errors, want 1", name, errs)
		}
	}
}
