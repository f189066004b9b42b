package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBalance(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	for _, typ := range []string{accountTypeRetail, accountTypeRetailJoint, accountTypePrepaid} {
		acc := accountOf(t, e.primary(), typ)
		resp := e.get("/balance?account_id="+acc.ID, tok.Access)
		wantStatus(t, resp, http.StatusOK)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(resp.body, &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"balance", "total_balance", "balance_including_flexible_savings", "currency",
			"spend_today", "local_currency", "local_exchange_rate", "local_spend"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("%s balance lacks %s: %s", typ, k, resp.body)
			}
		}
		if string(raw["local_spend"]) != "[]" || string(raw["local_currency"]) != `""` || string(raw["local_exchange_rate"]) != "0" {
			t.Errorf("local fields: %s", resp.body)
		}
		var b balanceJSON
		if err := json.Unmarshal(resp.body, &b); err != nil {
			t.Fatal(err)
		}

		// Recompute from state.
		e.s.bank.mu.Lock()
		a := e.s.bank.accounts[acc.ID]
		var sum, pots, flex, spend int64
		for _, tx := range a.Transactions {
			if !tx.declined() {
				sum += tx.Amount
			}
		}
		for _, p := range e.s.bank.potsOfAccountLocked(acc.ID) {
			if !p.Deleted {
				pots += p.Balance
				if p.Type == potTypeFlexibleSavings {
					flex += p.Balance
				}
			}
		}
		dayStart := spendDayStart(e.clock.Now(), londonLocation())
		for _, tx := range a.Transactions {
			if !tx.Created.Before(dayStart) && tx.Amount < 0 && tx.IncludeInSpending && !tx.declined() {
				spend += tx.Amount
			}
		}
		e.s.bank.unlock()

		if b.Balance != sum {
			t.Errorf("%s: balance %d != sum of transactions %d", typ, b.Balance, sum)
		}
		if b.TotalBalance != b.Balance+pots || b.BalanceIncludingFlexibleSavings != b.Balance+flex {
			t.Errorf("%s: %+v, pots %d flexible %d", typ, b, pots, flex)
		}
		if b.SpendToday != spend || b.Currency != "GBP" {
			t.Errorf("%s: spend_today %d, want %d", typ, b.SpendToday, spend)
		}
		if typ == accountTypeRetail {
			if b.Balance <= 0 || pots == 0 || flex == 0 || b.SpendToday >= 0 {
				t.Errorf("personal balance should be positive with pots, flexible savings and spending today: %+v", b)
			}
		}
	}
}

func TestSpendDayStartsAt4amLondon(t *testing.T) {
	loc := londonLocation()
	if loc == time.UTC {
		t.Skip("no Europe/London zone data")
	}
	cases := []struct{ now, want string }{
		{"2026-07-01T02:59:00Z", "2026-06-30T03:00:00Z"}, // 03:59 BST: still yesterday
		{"2026-07-01T03:00:00Z", "2026-07-01T03:00:00Z"}, // 04:00 BST
		{"2026-01-15T12:00:00Z", "2026-01-15T04:00:00Z"}, // GMT
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		if got := spendDayStart(now, loc).UTC().Format(time.RFC3339); got != c.want {
			t.Errorf("spendDayStart(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

func TestBalanceErrors(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.partner().ID)
	resp := e.get("/balance", tok.Access)
	wantStatus(t, resp, http.StatusBadRequest)
	want := `{"code":"bad_request.missing_param.account_id","message":"The field 'account_id' is required"}`
	if got := strings.TrimSpace(string(resp.body)); got != want {
		t.Errorf("body %s, want %s", got, want)
	}
	// The partner may not read the primary user's personal account.
	personal := accountOf(t, e.primary(), accountTypeRetail)
	m := wantError(t, e.get("/balance?account_id="+personal.ID, tok.Access), http.StatusNotFound, "not_found.account")
	if m["params"].(map[string]any)["account_id"] != personal.ID {
		t.Errorf("params: %v", m["params"])
	}
	wantError(t, e.get("/balance?account_id=acc_nope", tok.Access), http.StatusNotFound, "not_found.account")
	joint := accountOf(t, e.primary(), accountTypeRetailJoint)
	wantStatus(t, e.get("/balance?account_id="+joint.ID, tok.Access), http.StatusOK)
}

// A card payment abroad shows on the balance as the real one does (issue
// 6 item 15): local_currency, local_exchange_rate and local_spend per
// currency, until the spending day ends.
func TestBalanceLocalSpendAfterForeignPayments(t *testing.T) {
	e := setup(t)
	// Move to a fresh spending day (15:09 the next day) with no foreign
	// spend yet.
	e.clock.Advance(24 * time.Hour)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	balance := func() map[string]any {
		t.Helper()
		r := e.get("/balance?account_id="+acc, tok.Access)
		wantStatus(t, r, http.StatusOK)
		return r.json(t)
	}
	local := func(b map[string]any) string {
		data, _ := json.Marshal([]any{b["local_currency"], b["local_exchange_rate"], b["local_spend"]})
		return string(data)
	}
	if got, want := local(balance()), `["",0,[]]`; got != want {
		t.Fatalf("before any foreign spend: %s, want %s", got, want)
	}
	for _, p := range []CardPayment{
		{AccountID: acc, Amount: 850, LocalAmount: 1000, LocalCurrency: "EUR", MerchantName: "Café de Flore"},
		{AccountID: acc, Amount: 425, LocalAmount: 500, LocalCurrency: "EUR", MerchantName: "Monoprix"},
		{AccountID: acc, Amount: 790, LocalAmount: 1000, LocalCurrency: "USD", MerchantName: "Joe's Pizza"},
		{AccountID: acc, Amount: 300, MerchantName: "Pret A Manger"}, // at home: not local spend
	} {
		if _, err := e.s.InjectCardPayment(p); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Minute)
	}
	if got, want := local(balance()), `["USD",1.2658,[{"currency":"EUR","spend_today":-1500},{"currency":"USD","spend_today":-1000}]]`; got != want {
		t.Errorf("after foreign spend: %s, want %s", got, want)
	}
	// The next spending day (from 04:00 London) starts clean.
	e.clock.Advance(14 * time.Hour)
	if got, want := local(balance()), `["",0,[]]`; got != want {
		t.Errorf("next day: %s, want %s", got, want)
	}
}
