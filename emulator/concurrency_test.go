package emulator

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse exercises the lock (run with -race).
func TestConcurrentUse(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 10 {
				switch i % 4 {
				case 0:
					e.get("/balance?account_id="+acc.ID, tok.Access)
				case 1:
					e.get("/accounts", tok.Access)
				case 2:
					e.s.Approve("", "")
					e.clock.Advance(time.Millisecond)
				case 3:
					e.s.bank.mu.Lock()
					e.s.bank.addTransactionLocked(&transaction{AccountID: acc.ID, Amount: 1, Scheme: schemeTopup, IsLoad: true})
					e.s.bank.unlock()
				}
			}
		})
	}
	wg.Wait()
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	a := e.s.bank.accounts[acc.ID]
	var sum int64
	for i, tx := range a.Transactions {
		if !tx.declined() {
			sum += tx.Amount
		}
		if i > 0 && txLess(tx, a.Transactions[i-1]) {
			t.Fatal("ledger out of order")
		}
	}
	if sum != a.Balance {
		t.Errorf("balance %d, transactions imply %d", a.Balance, sum)
	}
}

func TestBaseURL(t *testing.T) {
	e := setup(t)
	r := httptest.NewRequest(http.MethodGet, "http://emulator.local:8080/x", nil)
	if got := e.s.baseURL(r); got != "http://emulator.local:8080" {
		t.Errorf("baseURL from Host = %s", got)
	}
	s, err := New(Options{BaseURL: "https://monzo.test"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.baseURL(r); got != "https://monzo.test" {
		t.Errorf("baseURL from options = %s", got)
	}
}
