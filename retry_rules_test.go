package monzo_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// attemptCounter counts the requests a client sends per method and path,
// and can fail the first one with a network error before it is sent.
type attemptCounter struct {
	base http.RoundTripper

	mu       sync.Mutex
	counts   map[string]int
	dropNext bool
}

func (a *attemptCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.counts[req.Method+" "+req.URL.Path]++
	drop := a.dropNext
	a.dropNext = false
	a.mu.Unlock()
	if drop {
		return nil, &netError{}
	}
	return a.base.RoundTrip(req)
}

// netError is what a reset connection looks like to the client.
type netError struct{}

func (*netError) Error() string   { return "read tcp: connection reset by peer" }
func (*netError) Unwrap() error   { return syscall.ECONNRESET }
func (*netError) Timeout() bool   { return false }
func (*netError) Temporary() bool { return true }

// retryOp is one API call and how it must behave when its first attempt
// fails after (lost response) or before (network error) the server sees it.
type retryOp struct {
	name, method, path string
	// safe calls are retried; the others are sent exactly once.
	safe bool
	call func(ctx context.Context, c *monzo.Client) error
}

func retryOps(t *testing.T, srv *monzotest.Server) []retryOp {
	t.Helper()
	ctx := context.Background()
	account := srv.AccountID(monzo.AccountTypeRetail)
	pay := func() string {
		id, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: account, Amount: 1250, MerchantName: "Pret A Manger"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	txID := pay()
	pots, err := srv.Client.Pots.List(ctx, account)
	if err != nil {
		t.Fatal(err)
	}
	var potID string
	for _, p := range pots {
		if !p.Deleted && !p.Locked {
			potID = p.ID
		}
	}
	receipt := func(externalID string) *monzo.Receipt {
		return &monzo.Receipt{ExternalID: externalID, TransactionID: txID, Total: 1250, Currency: "GBP",
			Items: []monzo.ReceiptItem{{Description: "Coffee", Amount: 1250, Currency: "GBP", Quantity: 1}}}
	}
	return []retryOp{
		{"whoami", "GET", "/ping/whoami", true, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.WhoAmI(ctx)
			return err
		}},
		{"annotate", "PATCH", "/transactions/" + txID, true, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.Transactions.Annotate(ctx, txID, map[string]string{"retried": "yes"})
			return err
		}},
		{"pot deposit", "PUT", "/pots/" + potID + "/deposit", true, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.Pots.Deposit(ctx, potID, monzo.PotDeposit{SourceAccountID: account, Amount: 100, DedupeID: monzo.NewDedupeID()})
			return err
		}},
		{"receipt put", "PUT", "/transaction-receipts", true, func(ctx context.Context, c *monzo.Client) error {
			return c.Receipts.Put(ctx, receipt(monzo.NewDedupeID()))
		}},
		{"receipt delete", "DELETE", "/transaction-receipts", true, func(ctx context.Context, c *monzo.Client) error {
			id := monzo.NewDedupeID()
			if err := srv.Client.Receipts.Put(ctx, receipt(id)); err != nil {
				return err
			}
			return c.Receipts.Delete(ctx, id)
		}},
		{"attachment upload", "POST", "/attachment/upload", true, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.Attachments.Upload(ctx, monzo.AttachmentUpload{FileName: "r.png", FileType: "image/png", ContentLength: 10})
			return err
		}},
		{"attachment deregister", "POST", "/attachment/deregister", true, func(ctx context.Context, c *monzo.Client) error {
			a, err := srv.Client.Attachments.Register(ctx, monzo.AttachmentRegistration{ExternalID: txID, FileURL: "https://example.com/r.png", FileType: "image/png"})
			if err != nil {
				return err
			}
			return c.Attachments.Deregister(ctx, a.ID)
		}},
		{"webhook delete", "DELETE", "", true, func(ctx context.Context, c *monzo.Client) error {
			w, err := srv.Client.Webhooks.Create(ctx, account, "https://example.com/hook")
			if err != nil {
				return err
			}
			return c.Webhooks.Delete(ctx, w.ID)
		}},
		// Client.Do cannot know which calls are safe to repeat: it retries
		// GET only.
		{"Do GET", "GET", "/balance", true, func(ctx context.Context, c *monzo.Client) error {
			return c.Do(ctx, http.MethodGet, "/balance", url.Values{"account_id": {account}}, nil)
		}},
		{"Do POST", "POST", "/feed", false, func(ctx context.Context, c *monzo.Client) error {
			return c.Do(ctx, http.MethodPost, "/feed", url.Values{"account_id": {account}, "type": {"basic"},
				"params[title]": {"Hi"}, "params[image_url]": {"https://example.com/i.png"}}, nil)
		}},
		{"Do PATCH", "PATCH", "/transactions/" + txID, false, func(ctx context.Context, c *monzo.Client) error {
			return c.Do(ctx, http.MethodPatch, "/transactions/"+txID, url.Values{"metadata[raw]": {"yes"}}, nil)
		}},
		{"Do PUT", "PUT", "/pots/" + potID + "/deposit", false, func(ctx context.Context, c *monzo.Client) error {
			return c.Do(ctx, http.MethodPut, "/pots/"+potID+"/deposit", url.Values{"source_account_id": {account}, "amount": {"100"}, "dedupe_id": {monzo.NewDedupeID()}}, nil)
		}},
		{"Do DELETE", "DELETE", "", false, func(ctx context.Context, c *monzo.Client) error {
			w, err := srv.Client.Webhooks.Create(ctx, account, "https://example.com/hook3")
			if err != nil {
				return err
			}
			return c.Do(ctx, http.MethodDelete, "/webhooks/"+w.ID, nil, nil)
		}},
		{"feed create", "POST", "/feed", false, func(ctx context.Context, c *monzo.Client) error {
			return c.Feed.Create(ctx, monzo.FeedItem{AccountID: account, Params: monzo.BasicFeedParams{Title: "Hi", ImageURL: "https://example.com/i.png"}})
		}},
		{"attachment register", "POST", "/attachment/register", false, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.Attachments.Register(ctx, monzo.AttachmentRegistration{ExternalID: txID, FileURL: "https://example.com/r.png", FileType: "image/png"})
			return err
		}},
		{"webhook create", "POST", "/webhooks", false, func(ctx context.Context, c *monzo.Client) error {
			_, err := c.Webhooks.Create(ctx, account, "https://example.com/hook2")
			return err
		}},
	}
}

func countingClient(t *testing.T, srv *monzotest.Server) (*monzo.Client, *attemptCounter) {
	t.Helper()
	counter := &attemptCounter{base: srv.HTTPClient.Transport, counts: map[string]int{}}
	c := srv.NewClient(srv.Login, monzo.WithHTTPClient(&http.Client{Transport: counter}))
	monzo.SetSleep(c, func(context.Context, time.Duration) error { return nil })
	return c, counter
}

// TestRetryOnlyWhatIsSafeToRepeatAfterLostResponse: the server does the
// work, then the response is lost (a 502 from a proxy). Safe calls are
// retried and succeed — deletes included, though the retry finds the thing
// gone — and unsafe calls are sent once and report the failure.
func TestRetryOnlyWhatIsSafeToRepeatAfterLostResponse(t *testing.T) {
	srv := monzotest.NewServer(t)
	ops := retryOps(t, srv)
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			c, counter := countingClient(t, srv)
			// Path "" (the webhook id is only known inside the call) faults
			// every request with the method. Set-up requests go through
			// srv.Client, whose requests use other methods or paths.
			srv.Emulator.ClearFaults()
			if err := srv.Emulator.InjectFault(emulator.Fault{Method: op.method, Path: op.path, Status: http.StatusBadGateway, AfterHandling: true}); err != nil {
				t.Fatal(err)
			}
			err := op.call(context.Background(), c)
			srv.Emulator.ClearFaults()
			attempts := totalAttempts(counter, op.method)
			if op.safe {
				if err != nil || attempts != 2 {
					t.Fatalf("safe call: err %v after %d attempts, want success after 2", err, attempts)
				}
				return
			}
			if !errors.Is(err, monzo.ErrServer) || attempts != 1 {
				t.Fatalf("unsafe call: err %v after %d attempts, want the 502 after exactly 1", err, attempts)
			}
		})
	}
}

// TestRetryOnlyWhatIsSafeToRepeatAfterNetworkError: the first attempt dies
// on the network.
func TestRetryOnlyWhatIsSafeToRepeatAfterNetworkError(t *testing.T) {
	srv := monzotest.NewServer(t)
	for _, op := range retryOps(t, srv) {
		t.Run(op.name, func(t *testing.T) {
			c, counter := countingClient(t, srv)
			counter.mu.Lock()
			counter.dropNext = true
			counter.mu.Unlock()
			err := op.call(context.Background(), c)
			attempts := totalAttempts(counter, op.method)
			if op.safe {
				if err != nil || attempts != 2 {
					t.Fatalf("safe call: err %v after %d attempts, want success after 2", err, attempts)
				}
				return
			}
			if !errors.Is(err, syscall.ECONNRESET) || attempts != 1 {
				t.Fatalf("unsafe call: err %v after %d attempts, want the network error after exactly 1", err, attempts)
			}
		})
	}
}

// totalAttempts counts what the client sent with method.
func totalAttempts(a *attemptCounter, method string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for key, c := range a.counts {
		if len(key) > len(method) && key[:len(method)+1] == method+" " {
			n += c
		}
	}
	return n
}
