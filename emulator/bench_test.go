package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Speed lives in benchmarks, never in tests (issue 10 item 6): a loaded
// machine must not fail the build. See BENCHMARKS.md, section "Emulator".

// BenchmarkSeed measures New with the default seeded history (what every
// test pays once).
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{Clock: NewFakeClock(testNow)})
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	}
}

// BenchmarkSeedAndServe100k is issue 10's target: from nothing to the
// first page of a 100,000-transaction history served over HTTP (target:
// under a second). It includes New, a login and one GET /transactions.
func BenchmarkSeedAndServe100k(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{Clock: NewFakeClock(testNow), Transactions: 100_000})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(s.Handler())
		tok := benchLogin(b, s, ts)
		acc := benchAccount(s, accountTypeRetail)
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/transactions?limit=100&account_id="+acc, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := ts.Client().Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET /transactions: %v %v", resp, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		ts.Close()
		_ = s.Close()
	}
}

// benchLogin signs the primary user in with the default client through the
// consent page and the token endpoint, approves the grant and returns the
// access token.
func benchLogin(tb testing.TB, s *Server, ts *httptest.Server) string {
	tb.Helper()
	c := s.DefaultClient()
	authURL := ts.URL + "/?" + url.Values{"client_id": {c.ID}, "redirect_uri": {c.RedirectURI},
		"response_type": {"code"}, "state": {"bench"}}.Encode()
	loc, err := SubmitConsent(context.Background(), ts.Client(), authURL, Consent{})
	if err != nil {
		tb.Fatal(err)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {c.ID}, "client_secret": {c.Secret},
		"redirect_uri": {c.RedirectURI}, "code": {loc.Query().Get("code")}}
	resp, err := ts.Client().Post(ts.URL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("token exchange: %d %v", resp.StatusCode, err)
	}
	s.Approve(c.ID, "")
	return tok.AccessToken
}

// benchAccount returns the id of the primary user's account of type typ.
func benchAccount(s *Server, typ string) string {
	for _, a := range s.Users()[0].Accounts {
		if a.Type == typ {
			return a.ID
		}
	}
	return ""
}
