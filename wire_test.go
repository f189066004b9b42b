package monzo_test

// Request assertions in the manner of go-github's tests: every service call
// is checked for its method, path, query and body against
// docs/api-notes.md#endpoints, so that a lenient emulator (which accepts,
// say, expand=merchant as well as expand[]=merchant) cannot hide a client
// that speaks the wrong dialect. The API is mounted under a sub-path, so a
// call that builds an absolute URL, or drops the base path, misses it and
// fails. Each call still makes its round trip through the emulator.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// apiPrefix is where the wire tests mount the API.
const apiPrefix = "/mounted/api"

// wireRequest is one request as the server saw it, the prefix stripped.
type wireRequest struct {
	Method, Path, RawQuery string
	Query                  url.Values
	Header                 http.Header
	Body                   []byte
}

// form parses a form-encoded body.
func (r wireRequest) form(t *testing.T) url.Values {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("%s %s: Content-Type = %q, want a form body", r.Method, r.Path, ct)
	}
	v, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatalf("%s %s: the body %q is not form-encoded: %v", r.Method, r.Path, r.Body, err)
	}
	return v
}

// wire records every request that reaches the mounted API and passes it on
// to the emulator.
type wire struct {
	srv    *monzotest.Server
	client *monzo.Client

	mu   sync.Mutex
	seen []wireRequest
}

func newWire(t *testing.T) *wire {
	t.Helper()
	srv := monzotest.NewServer(t)
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{srv: srv}
	// SetURL also gives the emulator its own host, so the URLs it hands out
	// (upload and file URLs) point at itself, as Monzo's point at its storage.
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(target) }}
	mux := http.NewServeMux()
	mux.Handle(apiPrefix+"/", http.StripPrefix(apiPrefix, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.mu.Lock()
		w.seen = append(w.seen, wireRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		w.mu.Unlock()
		proxy.ServeHTTP(rw, r)
	})))
	// Anything outside the mount point is a client bug.
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the API's base path: %s %s", r.Method, r.URL.Path)
		http.Error(rw, `{"code":"not_found.outside_base_path"}`, http.StatusNotFound)
	})
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)
	w.client = srv.NewClient(srv.Login, monzo.WithBaseURL(front.URL+apiPrefix), monzo.WithTokenSource(frontTokens{srv.Login.Tokens}))
	return w
}

// frontTokens hands a login's access tokens to a client whose base URL is a
// test front that forwards only the API. It hides the source's own API host
// (monzo.APIHostReporter) on purpose: NewClient rightly refuses a source that
// refreshes at another host than the client calls, and here the other host
// is the emulator behind the front, not a stranger.
type frontTokens struct{ src monzo.TokenSource }

func (f frontTokens) AccessToken(ctx context.Context) (string, error) {
	return f.src.AccessToken(ctx)
}

// take returns the requests seen since the last take.
func (w *wire) take() []wireRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.seen
	w.seen = nil
	return out
}

// want describes the one request a call must make.
type want struct {
	method, path string
	// query is the exact query string's values (nil: no query at all).
	query url.Values
	// form is the exact form body (nil: no body at all).
	form url.Values
}

// expectOne checks that exactly one request was made and that it matches.
func (w *wire) expectOne(t *testing.T, call string, wt want) wireRequest {
	t.Helper()
	seen := w.take()
	if len(seen) != 1 {
		t.Fatalf("%s made %d requests, want 1: %+v", call, len(seen), seen)
	}
	r := seen[0]
	checkRequest(t, call, r, wt)
	return r
}

func checkRequest(t *testing.T, call string, r wireRequest, wt want) {
	t.Helper()
	if r.Method != wt.method || r.Path != wt.path {
		t.Errorf("%s sent %s %s, want %s %s", call, r.Method, r.Path, wt.method, wt.path)
	}
	if !valuesEqual(r.Query, wt.query) {
		t.Errorf("%s sent query %q, want %v", call, r.RawQuery, wt.query)
	}
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "Bearer ") || len(auth) <= len("Bearer ") {
		t.Errorf("%s: Authorization = %q, want a bearer token", call, auth)
	}
	if accept := r.Header.Get("Accept"); accept != "application/json" {
		t.Errorf("%s: Accept = %q, want application/json", call, accept)
	}
	switch {
	case wt.form == nil && len(r.Body) > 0:
		t.Errorf("%s sent a body %q, want none", call, r.Body)
	case wt.form != nil:
		if got := r.form(t); !valuesEqual(got, wt.form) {
			t.Errorf("%s sent form %v, want %v", call, got, wt.form)
		}
	}
}

// valuesEqual compares url.Values, treating nil and empty alike.
func valuesEqual(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		if !slices.Equal(av, b[k]) {
			return false
		}
	}
	return true
}

func TestWireFormat(t *testing.T) {
	w := newWire(t)
	c, srv := w.client, w.srv
	ctx := context.Background()
	account := srv.AccountID(monzo.AccountTypeRetail)
	txID := cardPayment(t, srv)
	w.take()

	t.Run("WhoAmI", func(t *testing.T) {
		if _, err := c.WhoAmI(ctx); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "WhoAmI", want{method: "GET", path: "/ping/whoami"})
	})

	t.Run("Accounts.List", func(t *testing.T) {
		if _, err := c.Accounts.List(ctx, nil); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Accounts.List(nil)", want{method: "GET", path: "/accounts"})
		if _, err := c.Accounts.List(ctx, &monzo.AccountListOptions{Type: monzo.AccountTypeRetailJoint}); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Accounts.List(joint)", want{method: "GET", path: "/accounts", query: url.Values{"account_type": {"uk_retail_joint"}}})
	})

	t.Run("Balance.Get", func(t *testing.T) {
		if _, err := c.Balance.Get(ctx, account); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Balance.Get", want{method: "GET", path: "/balance", query: url.Values{"account_id": {account}}})
	})

	var potID string
	t.Run("Pots.List", func(t *testing.T) {
		pots, err := c.Pots.List(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Pots.List", want{method: "GET", path: "/pots", query: url.Values{"current_account_id": {account}}})
		for _, p := range pots {
			if !p.Deleted && !p.Locked {
				potID = p.ID
			}
		}
		if potID == "" {
			t.Fatal("no open, unlocked pot to move money with")
		}
	})

	t.Run("Pots.Deposit and Withdraw", func(t *testing.T) {
		dedupe := monzo.NewDedupeID()
		if _, err := c.Pots.Deposit(ctx, potID, monzo.PotDeposit{SourceAccountID: account, Amount: 1050, DedupeID: dedupe}); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Pots.Deposit", want{method: "PUT", path: "/pots/" + potID + "/deposit",
			form: url.Values{"source_account_id": {account}, "amount": {"1050"}, "dedupe_id": {dedupe}}})
		dedupe = monzo.NewDedupeID()
		if _, err := c.Pots.Withdraw(ctx, potID, monzo.PotWithdrawal{DestinationAccountID: account, Amount: 50, DedupeID: dedupe}); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Pots.Withdraw", want{method: "PUT", path: "/pots/" + potID + "/withdraw",
			form: url.Values{"destination_account_id": {account}, "amount": {"50"}, "dedupe_id": {dedupe}}})
	})

	t.Run("Transactions.Get", func(t *testing.T) {
		if _, err := c.Transactions.Get(ctx, txID, nil); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Transactions.Get(nil)", want{method: "GET", path: "/transactions/" + txID})
		if _, err := c.Transactions.Get(ctx, txID, &monzo.TransactionGetOptions{ExpandMerchant: true}); err != nil {
			t.Fatal(err)
		}
		r := w.expectOne(t, "Transactions.Get(expand)", want{method: "GET", path: "/transactions/" + txID, query: url.Values{"expand[]": {"merchant"}}})
		// The brackets are part of the parameter's name (expand[]=merchant),
		// whether or not they are percent-encoded.
		if raw, _ := url.QueryUnescape(r.RawQuery); raw != "expand[]=merchant" {
			t.Errorf("Transactions.Get(expand) query = %q, want expand[]=merchant", r.RawQuery)
		}
	})

	t.Run("Transactions.Annotate", func(t *testing.T) {
		if _, err := c.Transactions.Annotate(ctx, txID, map[string]string{"notes": "lunch", "project": "x"}); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Transactions.Annotate", want{method: "PATCH", path: "/transactions/" + txID,
			form: url.Values{"metadata[notes]": {"lunch"}, "metadata[project]": {"x"}}})
	})

	t.Run("Feed.Create", func(t *testing.T) {
		item := monzo.FeedItem{AccountID: account, URL: "https://example.com/x", Params: monzo.BasicFeedParams{
			Title: "Hello", ImageURL: "https://example.com/i.png", Body: "World", BackgroundColor: "#FCF1EE", TitleColor: "#333333", BodyColor: "#444444"}}
		if err := c.Feed.Create(ctx, item); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Feed.Create", want{method: "POST", path: "/feed", form: url.Values{
			"account_id": {account}, "type": {"basic"}, "url": {"https://example.com/x"},
			"params[title]": {"Hello"}, "params[image_url]": {"https://example.com/i.png"}, "params[body]": {"World"},
			"params[background_color]": {"#FCF1EE"}, "params[title_color]": {"#333333"}, "params[body_color]": {"#444444"},
		}})
	})

	t.Run("Attachments", func(t *testing.T) {
		urls, err := c.Attachments.Upload(ctx, monzo.AttachmentUpload{FileName: "r.png", FileType: "image/png", ContentLength: 3})
		if err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Attachments.Upload", want{method: "POST", path: "/attachment/upload",
			form: url.Values{"file_name": {"r.png"}, "file_type": {"image/png"}, "content_length": {"3"}}})
		att, err := c.Attachments.Register(ctx, monzo.AttachmentRegistration{ExternalID: txID, FileURL: urls.FileURL, FileType: "image/png"})
		if err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Attachments.Register", want{method: "POST", path: "/attachment/register",
			form: url.Values{"external_id": {txID}, "file_url": {urls.FileURL}, "file_type": {"image/png"}}})
		if err := c.Attachments.Deregister(ctx, att.ID); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Attachments.Deregister", want{method: "POST", path: "/attachment/deregister", form: url.Values{"id": {att.ID}}})

		// Attach is Upload, the bytes to the (pre-signed, absolute) upload
		// URL, then Register; only the API calls go through the base URL.
		if _, err := c.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: txID, FileName: "a.gif", FileType: "image/gif", Body: strings.NewReader("GIF89a"), Size: 6}); err != nil {
			t.Fatal(err)
		}
		seen := w.take()
		if len(seen) != 2 {
			t.Fatalf("Attach made %d API requests, want 2: %+v", len(seen), seen)
		}
		checkRequest(t, "Attach (upload)", seen[0], want{method: "POST", path: "/attachment/upload",
			form: url.Values{"file_name": {"a.gif"}, "file_type": {"image/gif"}, "content_length": {"6"}}})
		reg := seen[1].form(t)
		checkRequest(t, "Attach (register)", seen[1], want{method: "POST", path: "/attachment/register",
			form: url.Values{"external_id": {txID}, "file_url": reg["file_url"], "file_type": {"image/gif"}}})
		if !strings.HasPrefix(reg.Get("file_url"), srv.URL+"/") {
			t.Errorf("Attach registered file_url %q, want the one Upload answered", reg.Get("file_url"))
		}
	})

	t.Run("Receipts", func(t *testing.T) {
		receipt := &monzo.Receipt{ExternalID: "order-1", TransactionID: txID, Total: 1299, Currency: "GBP",
			Items:    []monzo.ReceiptItem{{Description: "Sandwich", Amount: 1299, Currency: "GBP", Quantity: 1}},
			Payments: []monzo.ReceiptPayment{{Type: monzo.ReceiptPaymentCard, Amount: 1299, Currency: "GBP", LastFour: "1234"}}}
		if err := c.Receipts.Put(ctx, receipt); err != nil {
			t.Fatal(err)
		}
		seen := w.take()
		if len(seen) != 1 {
			t.Fatalf("Receipts.Put made %d requests, want 1", len(seen))
		}
		r := seen[0]
		// The one JSON body of the API (docs/api-notes.md#receipts).
		if r.Method != "PUT" || r.Path != "/transaction-receipts" || r.RawQuery != "" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Receipts.Put sent %s %s?%s (%s), want PUT /transaction-receipts with a JSON body", r.Method, r.Path, r.RawQuery, r.Header.Get("Content-Type"))
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("Receipts.Put body %q is not JSON: %v", r.Body, err)
		}
		for key, value := range map[string]any{"external_id": "order-1", "transaction_id": txID, "total": float64(1299), "currency": "GBP"} {
			if body[key] != value {
				t.Errorf("Receipts.Put body[%q] = %v, want %v", key, body[key], value)
			}
		}
		if _, has := body["id"]; has {
			t.Error("Receipts.Put sent an id, which Monzo sets")
		}
		items, _ := body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["description"] != "Sandwich" {
			t.Errorf("Receipts.Put items = %v", body["items"])
		}
		payments, _ := body["payments"].([]any)
		if len(payments) != 1 || payments[0].(map[string]any)["type"] != "card" || payments[0].(map[string]any)["last_four"] != "1234" {
			t.Errorf("Receipts.Put payments = %v", body["payments"])
		}

		if _, err := c.Receipts.Get(ctx, "order-1"); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Receipts.Get", want{method: "GET", path: "/transaction-receipts", query: url.Values{"external_id": {"order-1"}}})
		if err := c.Receipts.Delete(ctx, "order-1"); err != nil {
			t.Fatal(err)
		}
		// The id goes in the query string, never a DELETE body.
		w.expectOne(t, "Receipts.Delete", want{method: "DELETE", path: "/transaction-receipts", query: url.Values{"external_id": {"order-1"}}})
	})

	t.Run("Webhooks", func(t *testing.T) {
		hook, err := c.Webhooks.Create(ctx, account, "https://example.com/hook?token=s3cret")
		if err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Webhooks.Create", want{method: "POST", path: "/webhooks",
			form: url.Values{"account_id": {account}, "url": {"https://example.com/hook?token=s3cret"}}})
		if _, err := c.Webhooks.List(ctx, account); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Webhooks.List", want{method: "GET", path: "/webhooks", query: url.Values{"account_id": {account}}})
		if err := c.Webhooks.Delete(ctx, hook.ID); err != nil {
			t.Fatal(err)
		}
		w.expectOne(t, "Webhooks.Delete", want{method: "DELETE", path: "/webhooks/" + hook.ID})
	})
}
