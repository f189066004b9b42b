package monzo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// potsEnv is an emulator with the primary user logged in, plus a record of
// every transaction the emulator creates at runtime (the events webhooks are
// delivered from).
type potsEnv struct {
	t        *testing.T
	srv      *monzotest.Server
	client   *monzo.Client
	personal string // the primary user's current account

	mu     sync.Mutex
	events []monzo.Transaction
}

func newPotsEnv(t *testing.T, opts ...monzotest.Option) *potsEnv {
	t.Helper()
	opts = append([]monzotest.Option{monzotest.WithClientOptions(monzo.WithRetryPolicy(monzo.NoRetries()))}, opts...)
	srv := monzotest.NewServer(t, opts...)
	e := &potsEnv{t: t, srv: srv, client: srv.Client, personal: srv.AccountID(monzo.AccountTypeRetail)}
	srv.Emulator.OnTransactionCreated(func(ev emulator.TransactionEvent) {
		var tx monzo.Transaction
		if err := json.Unmarshal(ev.Transaction, &tx); err != nil {
			t.Errorf("transaction event is not a transaction: %v", err)
			return
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		e.events = append(e.events, tx)
	})
	return e
}

// created returns the transactions created so far.
func (e *potsEnv) created() []monzo.Transaction {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]monzo.Transaction(nil), e.events...)
}

// pot returns the personal account's pot with the given name.
func (e *potsEnv) pot(name string) monzo.Pot {
	e.t.Helper()
	pots, err := e.client.Pots.List(e.t.Context(), e.personal)
	if err != nil {
		e.t.Fatalf("listing pots: %v", err)
	}
	for _, p := range pots {
		if p.Name == name {
			return p
		}
	}
	e.t.Fatalf("no pot named %q among %d pots", name, len(pots))
	return monzo.Pot{}
}

func (e *potsEnv) balance() *monzo.Balance {
	e.t.Helper()
	b, err := e.client.Balance.Get(e.t.Context(), e.personal)
	if err != nil {
		e.t.Fatalf("reading the balance: %v", err)
	}
	return b
}

// raw sends an HTTP request straight to the emulator with the login's
// token, bypassing the library, and returns the status and decoded body.
func (e *potsEnv) raw(method, target string, form url.Values) (int, map[string]any) {
	e.t.Helper()
	ctx := e.t.Context()
	tok, err := e.srv.Login.Token(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := e.srv.HTTPClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		e.t.Fatalf("%s %s: status %d, body is not JSON: %v", method, target, resp.StatusCode, err)
	}
	return resp.StatusCode, m
}

func wantAPIError(t *testing.T, err error, status int, code string) *monzo.Error {
	t.Helper()
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want a *monzo.Error %d %s", err, status, code)
	}
	if apiErr.StatusCode != status || apiErr.Code != code {
		t.Fatalf("err = %d %s (%v), want %d %s", apiErr.StatusCode, apiErr.Code, err, status, code)
	}
	return apiErr
}

func TestPotsListDecodesEveryFieldAndFlagsDeletedPots(t *testing.T) {
	e := newPotsEnv(t)
	pots, err := e.client.Pots.List(t.Context(), e.personal)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]monzo.Pot{}
	for _, p := range pots {
		byName[p.Name] = p
		if !strings.HasPrefix(p.ID, "pot_") || p.CurrentAccountID != e.personal || p.Currency != "GBP" || p.Created.IsZero() || p.Updated.IsZero() || len(p.Raw) == 0 {
			t.Errorf("pot %q is missing basics: %+v", p.Name, p)
		}
	}
	car, ok := byName["Car fund"]
	if !ok || !car.Deleted || car.Balance != 0 {
		t.Errorf("the deleted pot should be listed and flagged: %+v (found %v)", car, ok)
	}
	hol := byName["Holidays"]
	if hol.Deleted || hol.Type != monzo.PotTypeDefault || hol.GoalAmount == nil || *hol.GoalAmount != 150000 || hol.Style != "beach_ball" || hol.CoverImageURL == "" {
		t.Errorf("Holidays = %+v", hol)
	}
	if rainy := byName["Rainy day"]; rainy.Type != monzo.PotTypeFlexibleSavings || rainy.GoalAmount != nil || rainy.ProductID == "" {
		t.Errorf("Rainy day = %+v", rainy)
	}
	if house := byName["House deposit"]; !house.Locked {
		t.Errorf("House deposit should be locked: %+v", house)
	}
	if xmas := byName["Christmas"]; !xmas.RoundUp || xmas.RoundUpMultiplier == nil || *xmas.RoundUpMultiplier != 2 || !xmas.HasVirtualCards {
		t.Errorf("Christmas = %+v", xmas)
	}
	// The raw JSON keeps the null-able fields as null, so callers can tell.
	var raw map[string]any
	if err := json.Unmarshal(byName["Rainy day"].Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if v, ok := raw["goal_amount"]; !ok || v != nil {
		t.Errorf("raw goal_amount = %v (present %v), want null", v, ok)
	}
	if got := hol.Money().String(); !strings.HasSuffix(got, " GBP") {
		t.Errorf("Money() = %q", got)
	}
}

func TestPotsListRequiresTheCurrentAccount(t *testing.T) {
	e := newPotsEnv(t)
	if _, err := e.client.Pots.List(t.Context(), " "); err == nil || !strings.Contains(err.Error(), "current account id is required") {
		t.Errorf("List(\" \") err = %v", err)
	}
	status, body := e.raw(http.MethodGet, "/pots", nil)
	if status != http.StatusBadRequest || body["code"] != "bad_request.missing_param.current_account_id" || body["message"] != "The field 'current_account_id' is required" {
		t.Errorf("GET /pots without current_account_id = %d %v", status, body)
	}
	// Someone else's account is refused: the partner shares the joint
	// account but not the primary user's personal one.
	partner := e.srv.Emulator.Users()[1]
	login := e.srv.LogIn(e.srv.Emulator.DefaultClient(), partner.ID)
	e.srv.Approve(login)
	partnerClient := e.srv.NewClient(login)
	_, err := partnerClient.Pots.List(t.Context(), e.personal)
	if !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("listing another user's pots: err = %v, want ErrNotFound", err)
	}
	joint, err := partnerClient.Pots.List(t.Context(), e.srv.AccountID(monzo.AccountTypeRetailJoint))
	if err != nil || len(joint) == 0 {
		t.Errorf("the partner listing the joint account's pots: %d pots, err %v", len(joint), err)
	}
}

func TestPotsDepositReplayMovesMoneyOnce(t *testing.T) {
	e := newPotsEnv(t)
	ctx := t.Context()
	before, pot := e.balance(), e.pot("Holidays")
	e.srv.Clock.Advance(time.Minute)

	d := monzo.PotDeposit{SourceAccountID: e.personal, Amount: 1234, DedupeID: monzo.NewDedupeID()}
	first, err := e.client.Pots.Deposit(ctx, pot.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	if first.Balance != pot.Balance+1234 || !first.Updated.After(pot.Updated.Time) || first.ID != pot.ID || len(first.Raw) == 0 {
		t.Errorf("after deposit pot = %+v, want balance %d and a later updated", first, pot.Balance+1234)
	}
	e.srv.Clock.Advance(time.Minute)
	replay, err := e.client.Pots.Deposit(ctx, pot.ID, d)
	if err != nil {
		t.Fatalf("replaying the deposit: %v", err)
	}
	if replay.Balance != first.Balance || !replay.Updated.Equal(first.Updated.Time) {
		t.Errorf("replay moved money: pot %d (updated %s), want %d (updated %s)", replay.Balance, replay.Updated, first.Balance, first.Updated)
	}
	after := e.balance()
	if after.Balance != before.Balance-1234 || after.TotalBalance != before.TotalBalance {
		t.Errorf("balance %d total %d, want %d total %d", after.Balance, after.TotalBalance, before.Balance-1234, before.TotalBalance)
	}
	txs := e.created()
	if len(txs) != 1 {
		t.Fatalf("%d transactions created, want 1", len(txs))
	}
	tx := txs[0]
	if tx.Amount != -1234 || tx.AccountID != e.personal || tx.Scheme != monzo.SchemePot || tx.Category != "savings" ||
		tx.IncludeInSpending || tx.Metadata["pot_id"] != pot.ID || !strings.Contains(tx.Description, "Holidays") || tx.IsPending() {
		t.Errorf("deposit transaction = %+v", tx)
	}

	// The same dedupe id for the other operation, or another pot, is a new move.
	w, err := e.client.Pots.Withdraw(ctx, pot.ID, monzo.PotWithdrawal{DestinationAccountID: e.personal, Amount: 1000, DedupeID: d.DedupeID})
	if err != nil {
		t.Fatal(err)
	}
	if w.Balance != first.Balance-1000 {
		t.Errorf("withdrawal with a deposit's dedupe id: pot balance %d, want %d", w.Balance, first.Balance-1000)
	}
	if txs := e.created(); len(txs) != 2 || txs[1].Amount != 1000 || txs[1].IsPending() {
		t.Errorf("after the withdrawal: transactions %+v", txs)
	}
}

func TestPotsBalancesStayConsistent(t *testing.T) {
	e := newPotsEnv(t)
	ctx := t.Context()
	start := e.balance()
	rainy, hol := e.pot("Rainy day"), e.pot("Holidays")
	type move struct {
		pot     monzo.Pot
		deposit bool
		amount  int64
	}
	moves := []move{{rainy, true, 5000}, {hol, true, 2500}, {rainy, false, 1200}, {hol, false, 500}, {rainy, true, 1}, {hol, false, 2000}}
	wantBalance := start.Balance
	wantPot := map[string]int64{rainy.ID: rainy.Balance, hol.ID: hol.Balance}
	for i, m := range moves {
		var got *monzo.Pot
		var err error
		if m.deposit {
			got, err = e.client.Pots.Deposit(ctx, m.pot.ID, monzo.PotDeposit{SourceAccountID: e.personal, Amount: m.amount, DedupeID: monzo.NewDedupeID()})
			wantBalance -= m.amount
			wantPot[m.pot.ID] += m.amount
		} else {
			got, err = e.client.Pots.Withdraw(ctx, m.pot.ID, monzo.PotWithdrawal{DestinationAccountID: e.personal, Amount: m.amount, DedupeID: monzo.NewDedupeID()})
			wantBalance += m.amount
			wantPot[m.pot.ID] -= m.amount
		}
		if err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		if got.Balance != wantPot[m.pot.ID] {
			t.Errorf("move %d: pot balance %d, want %d", i, got.Balance, wantPot[m.pot.ID])
		}
		// balance_including_flexible_savings counts the Rainy day pot
		// (flexible savings) but not Holidays.
		wantFlexible := start.BalanceIncludingFlexibleSavings + (wantBalance - start.Balance) + (wantPot[rainy.ID] - rainy.Balance)
		b := e.balance()
		if b.Balance != wantBalance || b.TotalBalance != start.TotalBalance || b.BalanceIncludingFlexibleSavings != wantFlexible {
			t.Errorf("move %d: balance %d total %d flexible %d, want %d %d %d", i,
				b.Balance, b.TotalBalance, b.BalanceIncludingFlexibleSavings, wantBalance, start.TotalBalance, wantFlexible)
		}
	}
	if got := len(e.created()); got != len(moves) {
		t.Errorf("%d transactions created, want %d", got, len(moves))
	}
	if e.pot("Rainy day").Balance != wantPot[rainy.ID] || e.pot("Holidays").Balance != wantPot[hol.ID] {
		t.Error("listed pot balances disagree with the moves")
	}
}

func TestPotsLockedPotRefusesWithdrawal(t *testing.T) {
	e := newPotsEnv(t)
	house := e.pot("House deposit")
	if house.Balance == 0 {
		// Deposits still work; make sure there is something to withdraw.
		if _, err := e.client.Pots.Deposit(t.Context(), house.ID, monzo.PotDeposit{SourceAccountID: e.personal, Amount: 100, DedupeID: monzo.NewDedupeID()}); err != nil {
			t.Fatal(err)
		}
	}
	before := e.pot("House deposit").Balance
	_, err := e.client.Pots.Withdraw(t.Context(), house.ID, monzo.PotWithdrawal{DestinationAccountID: e.personal, Amount: 1, DedupeID: monzo.NewDedupeID()})
	if !errors.Is(err, monzo.ErrForbidden) {
		t.Fatalf("withdrawing from a locked pot: err = %v, want ErrForbidden", err)
	}
	wantAPIError(t, err, http.StatusForbidden, "forbidden.pot_locked")
	if after := e.pot("House deposit").Balance; after != before {
		t.Errorf("locked pot balance moved from %d to %d", before, after)
	}
}

func TestPotsInsufficientFunds(t *testing.T) {
	e := newPotsEnv(t)
	ctx := t.Context()
	hol, start := e.pot("Holidays"), e.balance()
	_, err := e.client.Pots.Withdraw(ctx, hol.ID, monzo.PotWithdrawal{DestinationAccountID: e.personal, Amount: hol.Balance + 1, DedupeID: monzo.NewDedupeID()})
	wantAPIError(t, err, http.StatusBadRequest, "bad_request.insufficient_funds")
	if !errors.Is(err, monzo.ErrBadRequest) {
		t.Errorf("err = %v, want ErrBadRequest", err)
	}
	_, err = e.client.Pots.Deposit(ctx, hol.ID, monzo.PotDeposit{SourceAccountID: e.personal, Amount: start.Balance + 1, DedupeID: monzo.NewDedupeID()})
	wantAPIError(t, err, http.StatusBadRequest, "bad_request.insufficient_funds")
	if b := e.balance(); b.Balance != start.Balance || b.TotalBalance != start.TotalBalance {
		t.Errorf("a refused move changed the balance: %+v", b)
	}
	if n := len(e.created()); n != 0 {
		t.Errorf("refused moves created %d transactions", n)
	}
	// The whole balance can be moved.
	if _, err := e.client.Pots.Withdraw(ctx, hol.ID, monzo.PotWithdrawal{DestinationAccountID: e.personal, Amount: hol.Balance, DedupeID: monzo.NewDedupeID()}); err != nil {
		t.Errorf("withdrawing the whole pot: %v", err)
	}
}

func TestPotsAmountMustBePositive(t *testing.T) {
	e := newPotsEnv(t)
	hol := e.pot("Holidays")
	path := "/pots/" + hol.ID + "/deposit"
	for _, amount := range []string{"0", "-5", "abc", "10.50", ""} {
		form := url.Values{"source_account_id": {e.personal}, "dedupe_id": {monzo.NewDedupeID()}}
		if amount != "" {
			form.Set("amount", amount)
		}
		status, body := e.raw(http.MethodPut, path, form)
		if status != http.StatusBadRequest || body["code"] != "bad_request.bad_param.amount" || !strings.Contains(body["message"].(string), "must be greater than 0") {
			t.Errorf("amount %q: %d %v", amount, status, body)
		}
	}
	// Arguments in the query string are not read, as on the real API
	// (pymonzo issue #41): the request fails on the amount.
	q := url.Values{"destination_account_id": {e.personal}, "amount": {"100"}, "dedupe_id": {monzo.NewDedupeID()}}
	status, body := e.raw(http.MethodPut, "/pots/"+hol.ID+"/withdraw?"+q.Encode(), nil)
	if status != http.StatusBadRequest || body["code"] != "bad_request.bad_param.amount" {
		t.Errorf("query-string withdrawal: %d %v", status, body)
	}
	if e.pot("Holidays").Balance != hol.Balance || len(e.created()) != 0 {
		t.Error("a rejected request moved money")
	}
}

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return nil, errors.New("countingTransport: no network in this test")
}

func TestPotsMovesAreCheckedBeforeSending(t *testing.T) {
	ct := &countingTransport{}
	client, err := monzo.NewClient(monzo.WithBaseURL("https://api.monzo.example"), monzo.WithAccessToken("t"),
		monzo.WithHTTPClient(&http.Client{Transport: ct}), monzo.WithRetryPolicy(monzo.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ok := monzo.PotDeposit{SourceAccountID: "acc_1", Amount: 1, DedupeID: "d"}
	deposits := map[string]struct {
		pot  string
		d    monzo.PotDeposit
		want string
	}{
		"no pot":      {"", ok, "pot id is required"},
		"no account":  {"pot_1", monzo.PotDeposit{Amount: 1, DedupeID: "d"}, "PotDeposit.SourceAccountID is required"},
		"zero amount": {"pot_1", monzo.PotDeposit{SourceAccountID: "acc_1", DedupeID: "d"}, "PotDeposit.Amount must be greater than 0"},
		"negative":    {"pot_1", monzo.PotDeposit{SourceAccountID: "acc_1", Amount: -1, DedupeID: "d"}, "must be greater than 0"},
		"no dedupe":   {"pot_1", monzo.PotDeposit{SourceAccountID: "acc_1", Amount: 1}, "NewDedupeID"},
	}
	for name, tc := range deposits {
		if _, err := client.Pots.Deposit(ctx, tc.pot, tc.d); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, tc.want)
		}
	}
	withdrawals := map[string]struct {
		w    monzo.PotWithdrawal
		want string
	}{
		"no account":  {monzo.PotWithdrawal{Amount: 1, DedupeID: "d"}, "PotWithdrawal.DestinationAccountID is required"},
		"zero amount": {monzo.PotWithdrawal{DestinationAccountID: "acc_1", DedupeID: "d"}, "PotWithdrawal.Amount must be greater than 0"},
		"no dedupe":   {monzo.PotWithdrawal{DestinationAccountID: "acc_1", Amount: 1, DedupeID: "  "}, "reuse it on every retry"},
	}
	for name, tc := range withdrawals {
		if _, err := client.Pots.Withdraw(ctx, "pot_1", tc.w); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("withdraw %s: err = %v, want it to mention %q", name, err, tc.want)
		}
	}
	if _, err := client.Pots.List(ctx, ""); err == nil {
		t.Error("List with no account: no error")
	}
	if ct.n != 0 {
		t.Errorf("%d invalid requests reached the network", ct.n)
	}
}

func TestPotsDeletedPotRefusesMoves(t *testing.T) {
	e := newPotsEnv(t)
	car := e.pot("Car fund")
	_, err := e.client.Pots.Deposit(t.Context(), car.ID, monzo.PotDeposit{SourceAccountID: e.personal, Amount: 100, DedupeID: monzo.NewDedupeID()})
	if !errors.Is(err, monzo.ErrBadRequest) {
		t.Errorf("deposit into a deleted pot: err = %v, want ErrBadRequest", err)
	}
	if len(e.created()) != 0 {
		t.Error("a deposit into a deleted pot created a transaction")
	}
}

// lostFirstResponse is a RoundTripper in front of the real transport that
// sends the first request for real — the server processes it — then throws
// the answer away and tells the client 502 Bad Gateway, as a flaky proxy
// would. It records every request body it forwarded.
type lostFirstResponse struct {
	next http.RoundTripper

	mu     sync.Mutex
	bodies []string
	urls   []string
}

func (l *lostFirstResponse) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	first := len(l.bodies) == 0
	l.bodies = append(l.bodies, string(body))
	l.urls = append(l.urls, r.URL.String())
	l.mu.Unlock()
	if !first {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return &http.Response{
		Status: "502 Bad Gateway", StatusCode: http.StatusBadGateway, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/html"}},
		Body:    io.NopCloser(strings.NewReader("<html><body>502 Bad Gateway</body></html>")),
		Request: r,
	}, nil
}

func TestPotsRetriedDepositMovesMoneyOnce(t *testing.T) {
	e := newPotsEnv(t)
	ctx := context.Background()
	flaky := &lostFirstResponse{next: e.srv.HTTPClient.Transport}
	client := e.srv.NewClient(e.srv.Login,
		monzo.WithHTTPClient(&http.Client{Transport: flaky}),
		monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Second}))
	before, hol := e.balance(), e.pot("Holidays")

	dedupe := monzo.NewDedupeID()
	got, err := client.Pots.Deposit(ctx, hol.ID, monzo.PotDeposit{SourceAccountID: e.personal, Amount: 700, DedupeID: dedupe})
	if err != nil {
		t.Fatalf("deposit through a proxy that lost the first answer: %v", err)
	}
	if len(flaky.bodies) != 2 {
		t.Fatalf("%d attempts, want 2 (the first answer lost, then a retry)", len(flaky.bodies))
	}
	for i, b := range flaky.bodies {
		form, err := url.ParseQuery(b)
		if err != nil || form.Get("dedupe_id") != dedupe || form.Get("amount") != "700" || form.Get("source_account_id") != e.personal {
			t.Errorf("attempt %d body = %q, want the same form with dedupe_id %s", i+1, b, dedupe)
		}
		if strings.Contains(flaky.urls[i], "?") {
			t.Errorf("attempt %d sent a query string: %s", i+1, flaky.urls[i])
		}
	}
	if got.Balance != hol.Balance+700 {
		t.Errorf("pot balance %d, want %d", got.Balance, hol.Balance+700)
	}
	if b := e.balance(); b.Balance != before.Balance-700 {
		t.Errorf("account balance %d, want %d (money moved %d times?)", b.Balance, before.Balance-700, (before.Balance-b.Balance)/700)
	}
	if n := len(e.created()); n != 1 {
		t.Errorf("%d transactions created, want 1", n)
	}
}
