package emulator

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"
)

func newTestServer(t *testing.T, seed int64, now time.Time) *Server {
	t.Helper()
	s, err := New(Options{Seed: seed, Clock: NewFakeClock(now)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dump renders all seeded data as JSON, as a client would see it.
func dump(t *testing.T, s *Server) string {
	t.Helper()
	var out struct {
		Users    []UserSummary
		Accounts []accountJSON
		Pots     []potJSON
		Balances []balanceJSON
		Txs      []transactionJSON
		Client   OAuthClient
	}
	out.Users = s.Users()
	s.bank.mu.Lock()
	defer s.bank.unlock()
	for _, id := range s.bank.accountOrder {
		a := s.bank.accounts[id]
		out.Accounts = append(out.Accounts, s.bank.renderAccountLocked(a))
		b, _ := s.bank.balanceLocked(a, s.bank.now())
		out.Balances = append(out.Balances, b)
		for _, p := range s.bank.potsOfAccountLocked(id) {
			out.Pots = append(out.Pots, p.render())
		}
		for _, tx := range a.Transactions {
			out.Txs = append(out.Txs, s.bank.renderTransactionLocked(tx, "", true))
		}
	}
	out.Client = *s.bank.clients[s.bank.defaultClientID]
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := dump(t, newTestServer(t, 7, testNow)), dump(t, newTestServer(t, 7, testNow))
	if a != b {
		t.Fatal("same seed and time gave different data")
	}
	if c := dump(t, newTestServer(t, 8, testNow)); c == a {
		t.Fatal("different seeds gave the same data")
	}
	// Reset regenerates the same data.
	s := newTestServer(t, 7, testNow)
	s.Reset()
	if dump(t, s) != a {
		t.Fatal("Reset with the same seed and time changed the data")
	}
}

func TestSeedOnlyIDsAreStableAcrossClockTimes(t *testing.T) {
	a, b := newTestServer(t, 3, testNow), newTestServer(t, 3, testNow.Add(50*24*time.Hour))
	if a.DefaultClient() != b.DefaultClient() {
		t.Error("default client changed with the clock")
	}
	ua, ub := a.Users(), b.Users()
	for i := range ua {
		if ua[i].ID != ub[i].ID {
			t.Errorf("user %d id changed with the clock: %s vs %s", i, ua[i].ID, ub[i].ID)
		}
	}
}

func TestSeedCoverage(t *testing.T) {
	s := newTestServer(t, 1, testNow)
	s.bank.mu.Lock()
	defer s.bank.unlock()
	now := s.bank.now()
	if len(s.bank.users) != 2 || len(s.bank.merchants) < 12 {
		t.Errorf("%d users, %d merchants", len(s.bank.users), len(s.bank.merchants))
	}
	var personal, joint, prepaid *account
	for _, id := range s.bank.accountOrder {
		switch a := s.bank.accounts[id]; a.Type {
		case accountTypeRetail:
			personal = a
		case accountTypeRetailJoint:
			joint = a
		case accountTypePrepaid:
			prepaid = a
		}
	}
	if personal == nil || joint == nil || prepaid == nil || !prepaid.Closed || len(joint.OwnerIDs) != 2 {
		t.Fatal("missing or malformed accounts")
	}
	txs := personal.Transactions
	if len(txs) < 1000 {
		t.Errorf("personal account has %d transactions, want > 1000", len(txs))
	}
	if n := len(joint.Transactions); n < 50 || n >= len(txs) {
		t.Errorf("joint account has %d transactions", n)
	}
	if span := now.Sub(txs[0].Created); span < 420*24*time.Hour {
		t.Errorf("history spans %s, want ≥ 420 days", span)
	}
	if txs[len(txs)-1].Created.After(now) {
		t.Error("history runs past now")
	}

	schemes, categories, currencies := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var pendingRecent, declined, foreign, online int
	for _, a := range []*account{personal, joint} {
		var running int64
		for _, tx := range a.Transactions {
			schemes[tx.Scheme] = true
			categories[tx.Category] = true
			if !tx.declined() {
				running += tx.Amount
				if running < 0 {
					t.Fatalf("%s balance went negative at %s", a.Type, tx.ID)
				}
			} else {
				declined++
				if !tx.pending() {
					t.Errorf("declined %s is settled", tx.ID)
				}
			}
			if tx.pending() && !tx.declined() && now.Sub(tx.Created) < 72*time.Hour {
				pendingRecent++
			}
			if tx.pending() && !tx.declined() && now.Sub(tx.Created) > 72*time.Hour {
				t.Errorf("%s still pending after 3 days", tx.ID)
			}
			if tx.LocalCurrency != "GBP" {
				currencies[tx.LocalCurrency] = true
				foreign++
				if tx.Currency != "GBP" || tx.LocalAmount == tx.Amount {
					t.Errorf("foreign spend %s: %d %s = %d %s", tx.ID, tx.LocalAmount, tx.LocalCurrency, tx.Amount, tx.Currency)
				}
			}
			if m := s.bank.merchants[tx.MerchantID]; m != nil && m.Online && m.Address.Country == "GLO" {
				online++
			}
		}
		if running != a.Balance {
			t.Errorf("%s: stored balance %d, transactions imply %d", a.Type, a.Balance, running)
		}
	}
	// 3-D Secure checks: amount 0, never in spending, each followed within a
	// minute by the card authorisation it approved, at the same merchant.
	var secured int
	for i, tx := range personal.Transactions {
		if tx.Scheme != scheme3DSecure {
			continue
		}
		secured++
		if tx.Amount != 0 || tx.LocalAmount != 0 || tx.countsInSpending() || tx.declined() || tx.pending() || tx.MerchantID == "" {
			t.Errorf("3-D Secure row %s: amount %d, local %d, in spending %v, declined %v, pending %v, merchant %q",
				tx.ID, tx.Amount, tx.LocalAmount, tx.countsInSpending(), tx.declined(), tx.pending(), tx.MerchantID)
		}
		var auth *transaction
		for _, next := range personal.Transactions[i+1:] {
			if next.Created.Sub(tx.Created) > time.Minute {
				break
			}
			if next.Scheme == schemeMastercard && next.MerchantID == tx.MerchantID && next.Amount < 0 {
				auth = next
				break
			}
		}
		if auth == nil {
			t.Errorf("3-D Secure row %s (%s) has no card payment at the same merchant within a minute", tx.ID, tx.Created)
		}
	}
	if secured < 3 {
		t.Errorf("%d 3-D Secure rows, want at least 3", secured)
	}

	for _, want := range []string{schemeMastercard, schemeFasterPayments, schemeP2P, schemePot, schemeTopup, schemeBacs, schemeAccountInterest, scheme3DSecure} {
		if !schemes[want] {
			t.Errorf("no %s transactions", want)
		}
	}
	for _, want := range []string{"general", "eating_out", "groceries", "transport", "shopping", "bills", "entertainment",
		"holidays", "cash", "income", "savings", "transfers"} {
		if !categories[want] {
			t.Errorf("no %s transactions", want)
		}
	}
	if !currencies["EUR"] || !currencies["USD"] || foreign < 10 {
		t.Errorf("foreign spends: %d in %v", foreign, currencies)
	}
	if pendingRecent == 0 || declined == 0 || online == 0 {
		t.Errorf("pending %d, declined %d, online %d", pendingRecent, declined, online)
	}

	var deleted, locked, flexible, jointPots int
	for _, id := range s.bank.potOrder {
		p := s.bank.pots[id]
		var implied int64
		for _, tx := range s.bank.accounts[p.CurrentAccountID].Transactions {
			if tx.Metadata["pot_id"] == p.ID {
				implied -= tx.Amount
			}
		}
		if implied != p.Balance || p.Balance < 0 {
			t.Errorf("pot %s: balance %d, transfers imply %d", p.Name, p.Balance, implied)
		}
		if p.Deleted {
			deleted++
			if p.Balance != 0 {
				t.Errorf("deleted pot %s holds %d", p.Name, p.Balance)
			}
		}
		if p.Locked {
			locked++
		}
		if p.Type == potTypeFlexibleSavings {
			flexible++
		}
		if p.CurrentAccountID == joint.ID {
			jointPots++
		}
	}
	if deleted == 0 || locked == 0 || flexible == 0 || jointPots == 0 || len(s.bank.potOrder) < 5 {
		t.Errorf("pots: %d deleted, %d locked, %d flexible, %d joint, %d total", deleted, locked, flexible, jointPots, len(s.bank.potOrder))
	}
}

var (
	idPattern        = regexp.MustCompile(`^[a-z0-9]+_0000[0-9A-Za-z]{18}$`)
	receiptIDPattern = regexp.MustCompile(`^receipt_0000[0-9A-Za-z]{14}$`)
)

func TestIDsAreWellFormedAndMonotonic(t *testing.T) {
	s := newTestServer(t, 1, testNow)
	s.bank.mu.Lock()
	defer s.bank.unlock()
	var ids []string
	for _, id := range s.bank.accountOrder {
		a := s.bank.accounts[id]
		if !idPattern.MatchString(a.ID) {
			t.Errorf("bad account id %s", a.ID)
		}
		for i, tx := range a.Transactions {
			if !idPattern.MatchString(tx.ID) || tx.ID[:3] != "tx_" {
				t.Fatalf("bad transaction id %s", tx.ID)
			}
			if i > 0 && tx.ID <= a.Transactions[i-1].ID {
				t.Fatalf("id order != created order at %s (%s) after %s (%s)", tx.ID, tx.Created, a.Transactions[i-1].ID, a.Transactions[i-1].Created)
			}
			ids = append(ids, tx.ID)
		}
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != len(ids) {
		t.Error("duplicate transaction ids")
	}
	for _, id := range append(append([]string{}, s.bank.userOrder...), s.bank.potOrder...) {
		if !idPattern.MatchString(id) {
			t.Errorf("bad id %s", id)
		}
	}
	for id := range s.bank.merchants {
		if !idPattern.MatchString(id) || !idPattern.MatchString(s.bank.merchants[id].GroupID) {
			t.Errorf("bad merchant ids %s %s", id, s.bank.merchants[id].GroupID)
		}
	}

	// Fresh ids: same millisecond, later millisecond, receipts.
	t0 := testNow
	a, b, c := s.bank.newID("tx", t0), s.bank.newID("tx", t0), s.bank.newID("tx", t0.Add(time.Millisecond))
	if !(a < b && b < c) {
		t.Errorf("ids not monotonic: %s %s %s", a, b, c)
	}
	if r := s.bank.newReceiptID(t0); !receiptIDPattern.MatchString(r) {
		t.Errorf("bad receipt id %s", r)
	}
	if cl := s.bank.clients[s.bank.defaultClientID].ID; !idPattern.MatchString(cl) {
		t.Errorf("bad client id %s", cl)
	}
}

// The seed covers more than the common case (issue 6 item 15): several
// decline reasons, local currencies and merchant countries, and bank
// transfers whose counterparty carries a user_id.
func TestSeedCoversDeclinesCurrenciesCountries(t *testing.T) {
	e := setup(t)
	s := e.s
	s.bank.mu.Lock()
	reasons, currencies, countries := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, tx := range s.bank.transactions {
		if tx.declined() {
			reasons[tx.DeclineReason] = true
		}
		if tx.LocalCurrency != "" {
			currencies[tx.LocalCurrency] = true
		}
		if m := s.bank.merchants[tx.MerchantID]; m != nil {
			countries[m.Address.Country] = true
		}
		if tx.Scheme == schemeFasterPayments && tx.Counterparty.UserID == "" {
			t.Errorf("seeded Faster Payment %s has no counterparty.user_id", tx.ID)
		}
	}
	s.bank.unlock()
	for _, want := range []string{"INSUFFICIENT_FUNDS", "INVALID_PIN", "OTHER", "SCA_NOT_AUTHENTICATED_CARD_NOT_PRESENT"} {
		if !reasons[want] {
			t.Errorf("no seeded decline with reason %s (have %v)", want, reasons)
		}
	}
	for _, want := range []string{"GBP", "EUR", "USD", "CAD"} {
		if !currencies[want] {
			t.Errorf("no seeded spend in %s (have %v)", want, currencies)
		}
	}
	for _, want := range []string{"GBR", "FRA", "USA", "CAN", "GLO"} {
		if !countries[want] {
			t.Errorf("no seeded merchant in %s (have %v)", want, countries)
		}
	}
}

// Injected Faster Payments look like seeded ones: counterparty.user_id is
// set, and stays the same for the same counterparty (issue 6 item 15).
func TestInjectedFasterPaymentsCarryCounterpartyUserID(t *testing.T) {
	e := setup(t)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	ids := map[string]string{}
	for i, p := range []FasterPayment{
		{AccountID: acc, Amount: 100, CounterpartyName: "ACME PAYROLL", CounterpartySortCode: "200000", CounterpartyAccountNumber: "12345678"},
		{AccountID: acc, Amount: 200, CounterpartyName: "ACME PAYROLL", CounterpartySortCode: "200000", CounterpartyAccountNumber: "12345678"},
		{AccountID: acc, Amount: 50, CounterpartyName: "J SMITH", CounterpartySortCode: "309634", CounterpartyAccountNumber: "87654321"},
	} {
		inject := e.s.InjectFasterPaymentIn
		if i == 2 {
			inject = e.s.InjectFasterPaymentOut
		}
		id, err := inject(p)
		if err != nil {
			t.Fatal(err)
		}
		e.s.bank.mu.Lock()
		uid := e.s.bank.transactions[id].Counterparty.UserID
		e.s.bank.unlock()
		if !regexp.MustCompile(`^anonuser_[0-9a-f]{22}$`).MatchString(uid) {
			t.Errorf("payment %d: counterparty.user_id = %q, want anonuser_ + 22 hex digits", i, uid)
		}
		ids[p.CounterpartyName+p.CounterpartyAccountNumber] = uid
		if i == 1 && ids["ACME PAYROLL12345678"] != uid {
			t.Errorf("the same counterparty got two user ids")
		}
	}
	if len(ids) != 2 || ids["ACME PAYROLL12345678"] == ids["J SMITH87654321"] {
		t.Errorf("counterparty user ids: %v", ids)
	}
}
