package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// personalTxs returns the primary user's personal account ledger.
func personalTxs(t *testing.T, s *Server) []*transaction {
	t.Helper()
	s.bank.mu.Lock()
	defer s.bank.unlock()
	for _, id := range s.bank.accountOrder {
		if a := s.bank.accounts[id]; a.Type == accountTypeRetail {
			return a.Transactions
		}
	}
	t.Fatal("no personal account")
	return nil
}

// History length and volume are configurable (issue 10 item 3), in
// Options, and the history still ends at now with consistent balances.
func TestSeedHistoryDaysAndVolume(t *testing.T) {
	for _, c := range []struct {
		days, txs int
	}{{45, 0}, {800, 0}, {430, 5000}, {90, 20000}, {430, 1200}} {
		s, err := New(Options{Clock: NewFakeClock(testNow), HistoryDays: c.days, Transactions: c.txs})
		if err != nil {
			t.Fatal(err)
		}
		ledger := personalTxs(t, s)
		span := testNow.Sub(ledger[0].Created)
		if span < time.Duration(c.days-3)*24*time.Hour || span > time.Duration(c.days+2)*24*time.Hour {
			t.Errorf("%d days: history spans %s", c.days, span.Round(time.Hour))
		}
		if ledger[len(ledger)-1].Created.After(testNow) {
			t.Errorf("%d days: history runs past now", c.days)
		}
		if c.txs > 0 && len(ledger) != c.txs {
			t.Errorf("%d transactions asked, personal account holds %d", c.txs, len(ledger))
		}
		var sum int64
		for _, tx := range ledger {
			if !tx.declined() {
				sum += tx.Amount
			}
		}
		if got := balanceOf(t, s, ledger[0].AccountID); got != sum || got < 0 {
			t.Errorf("%d days, %d txs: balance %d, ledger sums to %d", c.days, c.txs, got, sum)
		}
		if got := s.SeedData(); got.HistoryDays != c.days || got.Transactions != c.txs {
			t.Errorf("SeedData = %+v", got)
		}
	}
	for _, bad := range []Options{{HistoryDays: MinHistoryDays - 1}, {HistoryDays: MaxHistoryDays + 1}, {Transactions: -1}} {
		if _, err := New(bad); err == nil || !strings.Contains(err.Error(), "must be") {
			t.Errorf("New(%+v) = %v, want a range error", bad, err)
		}
	}
}

// The control plane's reset and seed take the same options.
func TestControlSeedTakesHistoryOptions(t *testing.T) {
	e := setup(t)
	r := e.controlJSON(http.MethodPost, "/_emulator/seed", `{"history_days":100,"transactions":3000}`)
	wantStatus(t, r, http.StatusOK)
	if m := r.json(t); m["history_days"] != 100.0 || m["transactions"] != 3000.0 || m["seed"] != 1.0 {
		t.Errorf("health after seed: %s", r.body)
	}
	if n := len(personalTxs(t, e.s)); n != 3000 {
		t.Errorf("personal account holds %d transactions, want 3000", n)
	}
	// Reset keeps the data options unless told otherwise.
	wantStatus(t, e.controlJSON(http.MethodPost, "/_emulator/reset", `{"seed":9}`), http.StatusOK)
	if d := e.s.SeedData(); d != (SeedData{Seed: 9, HistoryDays: 100, Transactions: 3000}) {
		t.Errorf("after reset: %+v", d)
	}
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/seed", `{"history_days":3}`), http.StatusBadRequest, "bad_request.bad_param.seed")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/reset", `{"transactions":-5}`), http.StatusBadRequest, "bad_request.bad_param.seed")
}

// Creating a transaction encodes no event when nobody listens (issue 10
// item 3): no OnTransactionCreated hook of the user's, no webhook on the
// account.
func TestNoEventEncodingWhenNobodyListens(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	queued := func() int {
		e.s.bank.mu.Lock()
		defer e.s.bank.unlock()
		e.s.bank.addTransactionLocked(&transaction{AccountID: acc, Amount: 1, Scheme: schemeTopup, IsLoad: true})
		return len(e.s.bank.pendingEvents)
	}
	if n := queued(); n != 0 {
		t.Errorf("with nobody listening, %d events were encoded", n)
	}
	e.hook(tok.Access, acc, "https://example.com/hook")
	if n := queued(); n != 1 {
		t.Errorf("with a webhook on the account, %d events were encoded, want 1", n)
	}
}
