package monzo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

func TestDoSendsQueriesAndForms(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	account := srv.AccountID(monzo.AccountTypeRetail)

	var who monzo.WhoAmI
	if err := srv.Client.Do(ctx, http.MethodGet, "/ping/whoami", nil, &who); err != nil || who.UserID != srv.User.ID {
		t.Fatalf("GET /ping/whoami: %+v, %v", who, err)
	}

	// GET params go in the query string, merged with one the path carries.
	var accounts struct {
		Accounts []monzo.Account `json:"accounts"`
	}
	err := srv.Client.Do(ctx, http.MethodGet, "accounts?account_type=uk_retail_joint", url.Values{"ignored_by_monzo": {"x"}}, &accounts)
	if err != nil || len(accounts.Accounts) != 1 || accounts.Accounts[0].ID != srv.AccountID(monzo.AccountTypeRetailJoint) {
		t.Fatalf("GET /accounts?account_type=uk_retail_joint: %+v, %v", accounts.Accounts, err)
	}
	var balance json.RawMessage
	if err := srv.Client.Do(ctx, http.MethodGet, "/balance", url.Values{"account_id": {account}}, &balance); err != nil {
		t.Fatal(err)
	}
	var b struct{ Currency string }
	if err := json.Unmarshal(balance, &b); err != nil || b.Currency != "GBP" {
		t.Fatalf("GET /balance kept as raw JSON: %s (%v)", balance, err)
	}

	// POST and PATCH params are a form body.
	err = srv.Client.Do(ctx, http.MethodPost, "/feed", url.Values{
		"account_id": {account}, "type": {"basic"},
		"params[title]": {"From Do"}, "params[image_url]": {"https://example.com/i.png"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if items := srv.Emulator.FeedItems(account); len(items) != 1 || items[0].Params["title"] != "From Do" {
		t.Fatalf("feed after POST /feed: %+v", items)
	}
	txID := payByCard(srv, 450, "Pret A Manger")
	if err := srv.Client.Do(ctx, http.MethodPatch, "/transactions/"+txID, url.Values{"metadata[trip]": {"lisbon"}}, nil); err != nil {
		t.Fatal(err)
	}
	tx, err := srv.Client.Transactions.Get(ctx, txID, nil)
	if err != nil || tx.Metadata["trip"] != "lisbon" {
		t.Fatalf("metadata after PATCH: %v (%v)", tx.Metadata, err)
	}

	// DELETE params go in the query string; an empty answer leaves v alone.
	hook, err := srv.Client.Webhooks.Create(ctx, account, "https://example.com/hook")
	if err != nil {
		t.Fatal(err)
	}
	got := json.RawMessage(`"untouched"`)
	if err := srv.Client.Do(ctx, http.MethodDelete, "/webhooks/"+url.PathEscape(hook.ID), nil, &got); err != nil {
		t.Fatal(err)
	}
	if hooks, _ := srv.Client.Webhooks.List(ctx, account); len(hooks) != 0 {
		t.Fatalf("webhooks after DELETE: %+v", hooks)
	}

	// API errors are the typed errors every call returns.
	err = srv.Client.Do(ctx, http.MethodGet, "/transactions/tx_nope", nil, nil)
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || !errors.Is(err, monzo.ErrNotFound) || apiErr.Path != "/transactions/tx_nope" {
		t.Fatalf("GET of a missing transaction: %v", err)
	}
}

func TestDoRefusesBadMethodsAndPathsBeforeSending(t *testing.T) {
	srv := monzotest.NewServer(t)
	c, counter := countingClient(t, srv)
	for _, tc := range []struct{ method, path string }{
		{"FETCH", "/accounts"},
		{"get", "/accounts"}, // methods are upper case, as net/http's constants
		{"GET", ""},
		{"GET", "/"},
		{"GET", "https://evil.example/accounts"},
		{"GET", "//evil.example/accounts"},
		{"GET", "mailto:someone"},
		{"GET", "/accounts/../oauth2/token"},
		{"GET", "/accounts/%2e%2e/oauth2/token"},
		{"GET", "/accounts//x"},
		{"GET", "/accounts#frag"},
		{"GET", "/accounts?a=%zz"},
	} {
		err := c.Do(context.Background(), tc.method, tc.path, nil, nil)
		if !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("Do(%q, %q) = %v, want ErrInvalidArgument", tc.method, tc.path, err)
		}
	}
	if n := counter.count(""); n != 0 {
		t.Errorf("%d requests sent for bad arguments", n)
	}
}

// A token the server has expired while our clock still trusts it is refused
// once, refreshed once and the request retried with the new token: a
// refused token means the API did nothing, so even a POST is safe to resend.
func TestDoRefreshesARefusedExpiredTokenOnceAndRetries(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			srv := monzotest.NewServer(t)
			ctx := context.Background()
			account := srv.AccountID(monzo.AccountTypeRetail)
			skewed := *srv.Login.Config
			skewed.Clock = func() time.Time { return srv.Clock.Now().Add(-2 * emulator.DefaultAccessTokenTTL) }
			counter := &attemptCounter{base: srv.HTTPClient.Transport, counts: map[string]int{}}
			skewed.HTTPClient = &http.Client{Transport: counter}
			tokens, err := oauth.NewTokenSource(&skewed, srv.Login.Store)
			if err != nil {
				t.Fatal(err)
			}
			old, _ := srv.Login.Store.Load(ctx)
			c := srv.NewClient(srv.Login, monzo.WithTokenSource(tokens), monzo.WithHTTPClient(&http.Client{Transport: counter}))
			srv.Clock.Advance(emulator.DefaultAccessTokenTTL + time.Minute)

			if method == http.MethodGet {
				var who monzo.WhoAmI
				if err := c.Do(ctx, method, "/ping/whoami", nil, &who); err != nil || who.UserID != srv.User.ID {
					t.Fatalf("GET /ping/whoami with an expired token: %+v, %v", who, err)
				}
			} else {
				form := url.Values{"account_id": {account}, "type": {"basic"}, "params[title]": {"Once"}, "params[image_url]": {"https://example.com/i.png"}}
				if err := c.Do(ctx, method, "/feed", form, nil); err != nil {
					t.Fatalf("POST /feed with an expired token: %v", err)
				}
				if items := srv.Emulator.FeedItems(account); len(items) != 1 {
					t.Fatalf("%d feed items, want exactly 1", len(items))
				}
			}
			if n := counter.count("POST /oauth2/token"); n != 1 {
				t.Errorf("%d refreshes, want exactly 1", n)
			}
			if saved, _ := srv.Login.Store.Load(ctx); saved.AccessToken == old.AccessToken {
				t.Error("the refreshed token was not stored")
			}
		})
	}
}

// count returns how many requests went to key ("POST /oauth2/token"), or
// to anywhere for "".
func (a *attemptCounter) count(key string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for k, c := range a.counts {
		if key == "" || k == key {
			n += c
		}
	}
	return n
}
