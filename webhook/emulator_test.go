package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/webhook"
)

// inbox collects the events a handler received, for waiting on them.
type inbox struct {
	mu     sync.Mutex
	events []*webhook.Event
	grew   chan struct{}
}

func newInbox() *inbox { return &inbox{grew: make(chan struct{})} }

func (b *inbox) handle(ctx context.Context, ev *webhook.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events = append(b.events, ev)
	close(b.grew)
	b.grew = make(chan struct{})
	return nil
}

// wait returns once n events arrived (or fails after a real-time bound).
func (b *inbox) wait(t *testing.T, n int) []*webhook.Event {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		b.mu.Lock()
		got, grew := append([]*webhook.Event(nil), b.events...), b.grew
		b.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-grew:
		case <-timeout.C:
			t.Fatalf("received %d events, want %d", len(got), n)
		}
	}
}

// receive starts a webhook.Handler on a real server and registers it on
// the account with the server's client.
func receive(t *testing.T, srv *monzotest.Server, accountID string, opts webhook.Options) *inbox {
	t.Helper()
	box := newInbox()
	opts.Secret = webhook.GenerateSecret()
	h, err := webhook.NewHandler(opts, box.handle)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	u, err := h.URL(ts.URL + "/monzo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.Webhooks.Create(context.Background(), accountID, u); err != nil {
		t.Fatal(err)
	}
	return box
}

func TestEndToEndCardPayment(t *testing.T) {
	srv := monzotest.NewServer(t)
	acc := srv.AccountID(monzo.AccountTypeRetail)
	box := receive(t, srv, acc, webhook.Options{})

	txID, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: acc, Amount: 385, MerchantName: "Pret A Manger", Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	declinedID, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: acc, Amount: 120, MerchantName: "Pret A Manger", DeclineReason: "INVALID_CVC"})
	if err != nil {
		t.Fatal(err)
	}
	events := box.wait(t, 2)
	byID := map[string]monzo.Transaction{}
	for _, ev := range events {
		if ev.Type != webhook.TransactionCreated {
			t.Errorf("type %q", ev.Type)
		}
		byID[ev.Data.ID] = ev.Data
	}
	tx := byID[txID]
	m, ok := tx.Merchant.Expanded()
	if !ok || m.Name != "Pret A Manger" || tx.Amount != -385 || !tx.IsPending() || tx.AccountID != acc || tx.Scheme != monzo.SchemeMastercard {
		t.Fatalf("card payment = %+v (merchant %+v)", tx, m)
	}
	if d := byID[declinedID]; !d.IsDeclined() || d.DeclineReason != monzo.DeclineInvalidCVC || d.IncludeInSpending {
		t.Fatalf("declined = %+v", d)
	}

	// The emulator saw the handler's 200s.
	for _, rec := range srv.Emulator.Deliveries() {
		if !rec.Succeeded || rec.Attempt != 1 {
			t.Errorf("delivery %+v", rec)
		}
	}
}

func TestEndToEndPotDeposit(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	box := receive(t, srv, acc, webhook.Options{})

	pots, err := srv.Client.Pots.List(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	var pot *monzo.Pot
	for i := range pots {
		if !pots[i].Deleted {
			pot = &pots[i]
			break
		}
	}
	if pot == nil {
		t.Fatal("no live pot")
	}
	if _, err := srv.Client.Pots.Deposit(ctx, pot.ID, monzo.PotDeposit{SourceAccountID: acc, Amount: 1000, DedupeID: monzo.NewDedupeID()}); err != nil {
		t.Fatal(err)
	}
	ev := box.wait(t, 1)[0]
	if ev.Data.Amount != -1000 || ev.Data.Scheme != monzo.SchemePot || ev.Data.Metadata["pot_id"] != pot.ID || !ev.Data.Merchant.IsZero() {
		t.Fatalf("pot deposit event = %+v", ev.Data)
	}
}

func TestEndToEndHandlerFailureIsRetriedByTheEmulator(t *testing.T) {
	srv := monzotest.NewServer(t)
	acc := srv.AccountID(monzo.AccountTypeRetail)
	calls := 0
	var mu sync.Mutex
	h, err := webhook.NewHandler(webhook.Options{Secret: "e2e-secret-0123456789"}, func(ctx context.Context, ev *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return context.DeadlineExceeded // e.g. the database timed out
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	u, _ := h.URL(ts.URL)
	if _, err := srv.Client.Webhooks.Create(context.Background(), acc, u); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Emulator.InjectFasterPaymentIn(emulator.FasterPayment{AccountID: acc, Amount: 5000, CounterpartyName: "ACME"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := srv.Emulator.WaitDeliveries(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d[0].StatusCode != http.StatusInternalServerError {
		t.Fatalf("first attempt = %+v, want 500 from the failing handler", d[0])
	}
	srv.Clock.Advance(emulator.WebhookFirstBackoff)
	if d, err = srv.Emulator.WaitDeliveries(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if !d[1].Succeeded {
		t.Fatalf("retry = %+v", d[1])
	}
	// A redelivery after success is acknowledged without a third call:
	// replay the recorded body.
	resp, err := http.Post(u, "application/json", bytesReader(d[1].Body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != http.StatusOK || calls != 2 {
		t.Fatalf("replay: status %d, calls %d", resp.StatusCode, calls)
	}
}

func TestVerifyWithClientAgainstEmulator(t *testing.T) {
	srv := monzotest.NewServer(t)
	acc := srv.AccountID(monzo.AccountTypeRetail)
	joint := srv.AccountID(monzo.AccountTypeRetailJoint)
	txID, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: acc, Amount: 999, MerchantName: "Tesco"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.Transactions.Get(context.Background(), txID, nil); err != nil {
		var apiErr *monzo.Error
		if asAPIError(err, &apiErr) && apiErr.Code == "not_found.endpoint" {
			t.Skip("the emulator does not serve GET /transactions/{id} yet")
		}
		t.Fatal(err)
	}

	box := newInbox()
	h, err := webhook.NewHandler(webhook.Options{Secret: "verify-secret-0123456789", Verify: webhook.VerifyWithClient(srv.Client)}, box.handle)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	u, _ := h.URL(ts.URL)

	// A forged body about a real transaction: the handler gets the API's copy.
	forged := monzo.Transaction{ID: txID, AccountID: acc, Amount: -1, Currency: "GBP", Description: "FORGED"}
	if status, _ := post(t, u, webhook.NewTestEvent(forged)); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := box.wait(t, 1)[0].Data
	if got.Amount != -999 || got.Description == "FORGED" || got.Merchant.String() != "Tesco" {
		t.Fatalf("handler got %+v, want the API's copy", got)
	}

	// A transaction that does not exist is dropped with a 200.
	if status, _ := post(t, u, webhook.NewTestEvent(monzo.Transaction{ID: "tx_0000ThisDoesNotExist00", AccountID: acc})); status != http.StatusOK {
		t.Fatalf("unknown transaction: status %d", status)
	}
	// So is a real transaction claimed for another account.
	other, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: acc, Amount: 5, MerchantName: "Tesco"})
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, u, webhook.NewTestEvent(monzo.Transaction{ID: other, AccountID: joint})); status != http.StatusOK {
		t.Fatalf("wrong account: status %d", status)
	}
	box.mu.Lock()
	n := len(box.events)
	box.mu.Unlock()
	if n != 1 {
		t.Fatalf("handler called %d times, want 1 (only the verified event)", n)
	}

	// An API failure (here: the client's access is pending approval) is a
	// 500, so Monzo retries.
	pendingLogin := srv.LogIn(srv.RegisterClient("pending", true), "")
	hPending, _ := webhook.NewHandler(webhook.Options{Secret: "verify-secret-0123456789", Verify: webhook.VerifyWithClient(srv.NewClient(pendingLogin, monzo.WithRetryPolicy(monzo.NoRetries())))}, box.handle)
	w := httptest.NewRecorder()
	hPending.ServeHTTP(w, webhook.NewTestRequest("/?token=verify-secret-0123456789", webhook.NewTestEvent(monzo.Transaction{ID: txID})))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("pending approval: status %d, want 500", w.Code)
	}
}
