package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fuzzBank is one emulator shared by every input of FuzzAPIRequest: state
// carries over from input to input, as it does for a server hammered by a
// hostile client, and its invariants must survive all of them.
type fuzzBank struct {
	s                *Server
	token            string
	acc, pot, tx, us string
}

var (
	fuzzOnce  sync.Once
	fuzzState *fuzzBank
	fuzzErr   error
)

// newFuzzBank builds the shared server and signs the primary user in
// through the bank's own operations (no network).
func newFuzzBank() (*fuzzBank, error) {
	s, err := New(Options{Clock: NewFakeClock(testNow), HistoryDays: 45})
	if err != nil {
		return nil, err
	}
	c, u := s.DefaultClient(), s.Users()[0]
	loc, apiErr := s.bank.authorize(url.Values{"client_id": {c.ID}, "redirect_uri": {c.RedirectURI},
		"response_type": {"code"}, "state": {"f"}, "user_id": {u.ID}, "decision": {"allow"}})
	if apiErr != nil {
		return nil, apiErr
	}
	redirect, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	tok, apiErr := s.bank.exchangeCode(c.ID, c.Secret, c.RedirectURI, redirect.Query().Get("code"))
	if apiErr != nil {
		return nil, apiErr
	}
	s.Approve(c.ID, u.ID)
	f := &fuzzBank{s: s, token: tok.AccessToken, us: u.ID}
	s.bank.mu.Lock()
	defer s.bank.unlock()
	for _, id := range s.bank.accountOrder {
		if a := s.bank.accounts[id]; a.Type == accountTypeRetail && a.ownedBy(u.ID) {
			f.acc = a.ID
			f.tx = a.Transactions[len(a.Transactions)-1].ID
		}
	}
	for _, id := range s.bank.potOrder {
		if p := s.bank.pots[id]; p.CurrentAccountID == f.acc && !p.Deleted {
			f.pot = p.ID
			break
		}
	}
	return f, nil
}

// expand puts the fixture's real ids where an input says {acc}, {pot},
// {tx} or {user}, so that inputs reach past the "not found" answers.
func (f *fuzzBank) expand(s string) string {
	return strings.NewReplacer("{acc}", f.acc, "{pot}", f.pot, "{tx}", f.tx, "{user}", f.us).Replace(s)
}

// checkInvariants fails when the ledger no longer adds up: every balance
// equals its account's non-declined transactions, no balance of a pot is
// negative, and every transaction is in its account's ledger once.
func (f *fuzzBank) checkInvariants(t *testing.T) {
	b := f.s.bank
	b.mu.Lock()
	defer b.unlock()
	seen := map[string]bool{}
	for _, a := range b.accounts {
		var sum int64
		for _, tx := range a.Transactions {
			if seen[tx.ID] {
				t.Fatalf("transaction %s is in a ledger twice", tx.ID)
			}
			seen[tx.ID] = true
			if !tx.declined() {
				sum += tx.Amount
			}
		}
		if sum != a.Balance {
			t.Fatalf("account %s: balance %d, its transactions add up to %d", a.ID, a.Balance, sum)
		}
	}
	for _, p := range b.pots {
		if p.Balance < 0 {
			t.Fatalf("pot %s: negative balance %d", p.ID, p.Balance)
		}
	}
}

// FuzzAPIRequest sends arbitrary requests (method, path with query,
// content type, body) to the API with a valid token and checks that the
// emulator never panics or answers 5xx, that its JSON answers parse and
// its errors carry a code, and that no input breaks the ledger. The
// control plane and logout are left out: they are meant to change
// everything.
func FuzzAPIRequest(f *testing.F) {
	seeds := []struct{ method, path, ctype, body string }{
		{"GET", "/accounts", "", ""},
		{"GET", "/balance?account_id={acc}", "", ""},
		{"GET", "/pots?current_account_id={acc}", "", ""},
		{"PUT", "/pots/{pot}/deposit", "application/x-www-form-urlencoded", "source_account_id={acc}&amount=100&dedupe_id=d1"},
		{"PUT", "/pots/{pot}/withdraw/", "application/x-www-form-urlencoded", "destination_account_id={acc}&amount=9223372036854775807&dedupe_id=d2"},
		{"PUT", "/pots/{pot}/deposit", "application/x-www-form-urlencoded", "source_account_id={acc}&amount=1&amount=-5&dedupe_id=d3"},
		{"PUT", "/pots/{pot}/withdraw", "application/x-www-form-urlencoded", "destination_account_id={acc}&amount=40000&dedupe_id=w1"},
		{"PUT", "/pots/{pot}/deposit", "application/x-www-form-urlencoded", "source_account_id={acc}&amount=100000000&dedupe_id=d4"},
		{"GET", "/transactions?account_id={acc}&expand[]=merchant&limit=100&since=2020-01-01T00:00:00Z", "", ""},
		{"GET", "/transactions?account_id={acc}&since={tx}&before=9999-12-31T23:59:59Z&limit=-1", "", ""},
		{"GET", "/transactions/{tx}?expand[]=merchant", "", ""},
		{"PATCH", "/transactions/{tx}", "application/x-www-form-urlencoded", "metadata[notes]=hi&metadata[k]="},
		{"PATCH", "/transactions/..%2F{tx}", "application/x-www-form-urlencoded", "metadata[%zz]=1"},
		{"POST", "/feed", "application/x-www-form-urlencoded", "account_id={acc}&type=basic&params[title]=t&params[image_url]=https://e.x/i.png"},
		{"POST", "/attachment/upload", "application/x-www-form-urlencoded", "file_name=../../r.png&file_type=image/png&content_length=-4"},
		{"POST", "/attachment/register", "application/x-www-form-urlencoded", "external_id={tx}&file_url=javascript:x&file_type=text/html"},
		{"POST", "/attachment/deregister", "application/x-www-form-urlencoded", "id=attach_%00"},
		{"PUT", "/transaction-receipts", "application/json", `{"transaction_id":"{tx}","external_id":"e","total":1,"currency":"GBP","items":[{"description":"a","amount":1,"currency":"GBP","quantity":1e308}]}`},
		{"PUT", "/transaction-receipts/", "application/json", `{"transaction_id":"{tx}","external_id":"e","total":-9223372036854775808,"currency":"GBP","items":[]}`},
		{"GET", "/transaction-receipts?external_id=e", "", ""},
		{"DELETE", "/transaction-receipts?external_id=e&external_id=f", "", ""},
		{"POST", "/webhooks", "application/x-www-form-urlencoded", "account_id={acc}&url=https://e.x/h"},
		{"GET", "/webhooks?account_id={acc}", "", ""},
		{"DELETE", "/webhooks/webhook_%2e%2e", "", ""},
		{"GET", "/ping/whoami", "", ""},
		{"POST", "/oauth2/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=x&client_id=a&client_secret=b"},
		{"BREW", "/accounts", "text/plain", "\xff\xfe"},
		{"PUT", "/pots/{pot}/deposit", "application/json", `{"amount":1}`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.ctype, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, target, ctype string, body []byte) {
		fuzzOnce.Do(func() { fuzzState, fuzzErr = newFuzzBank() })
		if fuzzErr != nil {
			t.Fatal(fuzzErr)
		}
		fb := fuzzState
		target = fb.expand(target)
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") || !validMethod(method) {
			return // not a request line a client can send
		}
		if u, err := url.PathUnescape(strings.ToLower(target)); err != nil || strings.Contains(u, "_emulator") || strings.Contains(u, "logout") {
			return
		}
		req, err := http.NewRequest(method, "http://emulator.test"+target, bytes.NewReader([]byte(fb.expand(string(body)))))
		if err != nil {
			return
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+fb.token)
		rec := httptest.NewRecorder()
		fb.s.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: status %d: %s", method, target, rec.Code, rec.Body)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			var v any
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				t.Fatalf("%s %s: status %d, body is not JSON: %v: %q", method, target, rec.Code, err, rec.Body)
			}
			if m, ok := v.(map[string]any); rec.Code >= 400 && (!ok || m["code"] == "" || m["message"] == "") {
				t.Fatalf("%s %s: status %d, error without code and message: %s", method, target, rec.Code, rec.Body)
			}
		}
		fb.checkInvariants(t)
	})
}

// validMethod reports whether m is an HTTP token (what a request line can
// carry).
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?={}`, r) {
			return false
		}
	}
	return true
}
