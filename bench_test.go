package monzo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// BenchmarkTransactionsAll walks an account's whole history (about 1,700
// transactions, 17 pages) through the typed iterator, and, as the baseline
// in the same run, through bare net/http + encoding/json into maps with the
// same requests. The ratio of the two is the cost of typed decoding, raw-JSON
// retention and the client's request path.
func BenchmarkTransactionsAll(b *testing.B) {
	srv := monzotest.NewServer(b)
	ctx := context.Background()
	account := srv.AccountID(monzo.AccountTypeRetail)
	tok, err := srv.Login.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}

	b.Run("monzokit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range srv.Client.Transactions.All(ctx, account, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n < 1000 {
				b.Fatalf("walked %d transactions", n)
			}
		}
	})

	b.Run("baseline-nethttp-maps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, since := 0, ""
			for {
				q := url.Values{"account_id": {account}, "limit": {"100"}}
				if since != "" {
					q.Set("since", since)
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/transactions?"+q.Encode(), nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				resp, err := srv.HTTPClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				var page struct {
					Transactions []map[string]any `json:"transactions"`
				}
				err = json.NewDecoder(resp.Body).Decode(&page)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Transactions)
				if len(page.Transactions) < 100 {
					break
				}
				since = page.Transactions[len(page.Transactions)-1]["id"].(string)
			}
			if n < 1000 {
				b.Fatalf("walked %d transactions", n)
			}
		}
	})
}

// BenchmarkDecodeTransactionPage decodes one real-shaped page of 100
// expanded transactions: into []monzo.Transaction (keeping each one's raw
// JSON), and, as the baseline, into generic maps.
func BenchmarkDecodeTransactionPage(b *testing.B) {
	srv := monzotest.NewServer(b)
	ctx := context.Background()
	tok, err := srv.Login.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}
	q := url.Values{"account_id": {srv.AccountID(monzo.AccountTypeRetail)}, "limit": {"100"}, "expand[]": {"merchant"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/transactions?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := srv.HTTPClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var raw json.RawMessage
	err = json.NewDecoder(resp.Body).Decode(&raw)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))

	b.Run("monzokit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var page struct {
				Transactions []monzo.Transaction `json:"transactions"`
			}
			if err := json.Unmarshal(raw, &page); err != nil || len(page.Transactions) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-maps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var page struct {
				Transactions []map[string]any `json:"transactions"`
			}
			if err := json.Unmarshal(raw, &page); err != nil || len(page.Transactions) != 100 {
				b.Fatal(err)
			}
		}
	})
}
