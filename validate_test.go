package monzo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// Every argument the client refuses before sending anything gives an error
// that matches ErrInvalidArgument (and no API sentinel), starts with the
// package name, and sends no request.
func TestInvalidArgumentsAreRefusedBeforeSending(t *testing.T) {
	var hits atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, `{"code":"bad_request"}`, http.StatusBadRequest)
	}))
	defer server.Close()
	c, err := monzo.NewClient(monzo.WithBaseURL(server.URL), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	okReceipt := func() *monzo.Receipt {
		return &monzo.Receipt{ExternalID: "e", TransactionID: "tx_1", Total: 1, Currency: "GBP", Items: []monzo.ReceiptItem{{Description: "d", Amount: 1, Currency: "GBP"}}}
	}
	deposit := monzo.PotDeposit{SourceAccountID: "acc_1", Amount: 100, DedupeID: "d"}
	withdrawal := monzo.PotWithdrawal{DestinationAccountID: "acc_1", Amount: 100, DedupeID: "d"}
	calls := map[string]func() error{
		"Balance.Get without an account": func() error { _, err := c.Balance.Get(ctx, " "); return err },
		"Pots.List without an account":   func() error { _, err := c.Pots.List(ctx, ""); return err },
		"Pots.Deposit without a pot":     func() error { _, err := c.Pots.Deposit(ctx, "", deposit); return err },
		"Pots.Deposit of nothing": func() error {
			d := deposit
			d.Amount = 0
			_, err := c.Pots.Deposit(ctx, "pot_1", d)
			return err
		},
		"Pots.Deposit without a dedupe id": func() error {
			d := deposit
			d.DedupeID = ""
			_, err := c.Pots.Deposit(ctx, "pot_1", d)
			return err
		},
		"Pots.Withdraw without an account": func() error {
			w := withdrawal
			w.DestinationAccountID = ""
			_, err := c.Pots.Withdraw(ctx, "pot_1", w)
			return err
		},
		"Pots.Withdraw of a negative amount": func() error {
			w := withdrawal
			w.Amount = -5
			_, err := c.Pots.Withdraw(ctx, "pot_1", w)
			return err
		},
		"Transactions.List without an account": func() error {
			_, err := c.Transactions.List(ctx, "", nil)
			return err
		},
		"Transactions.List with a limit over 100": func() error {
			_, err := c.Transactions.List(ctx, "acc_1", &monzo.TransactionListOptions{Limit: 101})
			return err
		},
		"Transactions.List with Since and SinceID": func() error {
			_, err := c.Transactions.List(ctx, "acc_1", &monzo.TransactionListOptions{Since: time.Now(), SinceID: "tx_1"})
			return err
		},
		"Transactions.All without an account": func() error {
			for _, err := range c.Transactions.All(ctx, "", nil) {
				return err
			}
			return nil
		},
		"Transactions.Backfill with a negative window": func() error {
			for _, err := range c.Transactions.Backfill(ctx, "acc_1", &monzo.BackfillOptions{Since: time.Now().Add(-time.Hour), Window: -time.Hour}) {
				return err
			}
			return nil
		},
		"Transactions.Backfill with Since and AfterID": func() error {
			for _, err := range c.Transactions.Backfill(ctx, "acc_1", &monzo.BackfillOptions{Since: time.Now().Add(-time.Hour), AfterID: "tx_1"}) {
				return err
			}
			return nil
		},
		"Transactions.Backfill with a page over 100": func() error {
			for _, err := range c.Transactions.Backfill(ctx, "acc_1", &monzo.BackfillOptions{Since: time.Now().Add(-time.Hour), PageSize: 101}) {
				return err
			}
			return nil
		},
		"Transactions.Get without an id": func() error { _, err := c.Transactions.Get(ctx, "", nil); return err },
		"Transactions.Annotate without metadata": func() error {
			_, err := c.Transactions.Annotate(ctx, "tx_1", nil)
			return err
		},
		"Transactions.Annotate with a bracketed key": func() error {
			_, err := c.Transactions.Annotate(ctx, "tx_1", map[string]string{"a[b]": "c"})
			return err
		},
		"Feed.Create without a title": func() error {
			return c.Feed.Create(ctx, monzo.FeedItem{AccountID: "acc_1", Params: monzo.BasicFeedParams{ImageURL: "https://x/i.png"}})
		},
		"Feed.Create with a relative link": func() error {
			return c.Feed.Create(ctx, monzo.FeedItem{AccountID: "acc_1", URL: "/rent", Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://x/i.png"}})
		},
		"Attachments.Upload without a size": func() error {
			_, err := c.Attachments.Upload(ctx, monzo.AttachmentUpload{FileName: "a", FileType: "image/png"})
			return err
		},
		"Attachments.Register without a transaction": func() error {
			_, err := c.Attachments.Register(ctx, monzo.AttachmentRegistration{FileURL: "https://x", FileType: "image/png"})
			return err
		},
		"Attachments.Deregister without an id": func() error { return c.Attachments.Deregister(ctx, "") },
		"Attachments.Attach without a body": func() error {
			_, err := c.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: "tx_1", FileName: "a", FileType: "image/png"})
			return err
		},
		"Attachments.Attach with a negative size": func() error {
			_, err := c.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: "tx_1", FileName: "a", FileType: "image/png", Body: strings.NewReader("x"), Size: -1})
			return err
		},
		"Receipts.Put of a nil receipt": func() error { return c.Receipts.Put(ctx, nil) },
		"Receipts.Put without items": func() error {
			r := okReceipt()
			r.Items = nil
			return c.Receipts.Put(ctx, r)
		},
		"Receipts.Put with a bad currency": func() error {
			r := okReceipt()
			r.Currency = "pounds"
			return c.Receipts.Put(ctx, r)
		},
		"Receipts.Get without an id":    func() error { _, err := c.Receipts.Get(ctx, ""); return err },
		"Receipts.Delete without an id": func() error { return c.Receipts.Delete(ctx, "") },
		"Webhooks.Create without an account": func() error {
			_, err := c.Webhooks.Create(ctx, "", "https://example.com/h")
			return err
		},
		"Webhooks.Create with a relative URL": func() error {
			_, err := c.Webhooks.Create(ctx, "acc_1", "/hook?token=s3cret")
			return err
		},
		"Webhooks.List without an account":    func() error { _, err := c.Webhooks.List(ctx, ""); return err },
		"Webhooks.Delete without an id":       func() error { return c.Webhooks.Delete(ctx, "") },
		"ParseAmount of a comma":              func() error { _, err := monzo.ParseAmount("1,000", "GBP"); return err },
		"ParseAmount in a malformed currency": func() error { _, err := monzo.ParseAmount("1", "gbp"); return err },
		"NewClient with a relative base URL":  func() error { _, err := monzo.NewClient(monzo.WithBaseURL("/api")); return err },
		"NewClient with a nil HTTP client":    func() error { _, err := monzo.NewClient(monzo.WithHTTPClient(nil)); return err },
		"NewClient with zero attempts": func() error {
			_, err := monzo.NewClient(monzo.WithRetryPolicy(monzo.RetryPolicy{}))
			return err
		},
	}
	for name, call := range calls {
		err := call()
		switch {
		case err == nil:
			t.Errorf("%s: no error", name)
		case !errors.Is(err, monzo.ErrInvalidArgument):
			t.Errorf("%s: %v does not match ErrInvalidArgument", name, err)
		case errors.Is(err, monzo.ErrBadRequest):
			t.Errorf("%s: %v matches ErrBadRequest, which is for Monzo's answers", name, err)
		case !strings.HasPrefix(err.Error(), "monzo: "):
			t.Errorf("%s: %q does not start with the package name", name, err)
		case strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%s: %q repeats a URL's secret", name, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server; invalid arguments must be refused before sending", n)
	}
	if _, err := monzo.ParseAmount("1,000", "GBP"); !errors.Is(err, monzo.ErrInvalidAmount) {
		t.Errorf("ParseAmount: %v no longer matches ErrInvalidAmount", err)
	}
}

// Errors name the call the same way whatever the base URL's path: the
// method and the API path with a leading slash.
func TestErrorsNameTheCallRelativeToTheBaseURL(t *testing.T) {
	w := newWire(t)
	_, err := w.client.Balance.Get(context.Background(), "acc_nobody")
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want a *monzo.Error", err)
	}
	if apiErr.Method != "GET" || apiErr.Path != "/balance" || !strings.HasPrefix(err.Error(), "monzo: GET /balance: ") {
		t.Errorf("Method %q, Path %q, text %q; want GET /balance without the base path %s", apiErr.Method, apiErr.Path, err, apiPrefix)
	}
}

// A Retry-After date is measured against the client's clock, not the wall
// clock, so a client running on an emulator's clock waits what was asked.
func TestRetryAfterDateUsesTheClientClock(t *testing.T) {
	now := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/ping/whoami", Status: http.StatusTooManyRequests, RetryAfter: now.Add(9 * time.Second).Format(http.TimeFormat)})
	c := srv.NewClient(srv.Login, monzo.WithClock(func() time.Time { return now }), monzo.WithRetryPolicy(monzo.NoRetries()))
	_, err := c.WhoAmI(context.Background())
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 9*time.Second {
		t.Fatalf("err = %v (RetryAfter %v), want a 429 asking for 9s", err, apiErr)
	}
}
