package webhook_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test in this package
// asserted.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/webhook"
)

// TestParseSaysWhichPartIsMissing: a malformed transaction.created event is
// rejected with an error naming what is missing, because the handler sends
// that message back to whoever posted it.
func TestParseSaysWhichPartIsMissing(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"type":"transaction.created"}`, `has no "data"`},
		{`{"type":"transaction.created","data":null}`, `has no "data"`},
		{`{"type":"transaction.created","data":{"amount":1}}`, `has no "id"`},
		{`{"data":{"id":"tx_1"}}`, `has no "type"`},
		{`<html>`, `not a JSON event object`},
	} {
		_, err := webhook.Parse([]byte(tc.body))
		if err == nil || !strings.HasPrefix(err.Error(), "webhook: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s) = %v, want a webhook error saying %q", tc.body, err, tc.want)
		}
	}
}

// TestHandlerVerifyReturningNothingIs500: a VerifyFunc that returns neither
// a transaction nor an error must not let the posted (unverified) event
// through; the handler answers 500 so Monzo delivers again.
func TestHandlerVerifyReturningNothingIs500(t *testing.T) {
	var rec recorder
	verify := func(context.Context, *webhook.Event) (*monzo.Transaction, error) { return nil, nil }
	_, u := serve(t, webhook.Options{Verify: verify}, rec.handle)
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_nothing"))); status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", status)
	}
	if rec.count() != 0 {
		t.Fatalf("the function ran %d times on an unverified event", rec.count())
	}
}

// TestVerifyWithClientAcceptsAnEventWithoutAccount: the account check only
// applies when the event names an account. An event without account_id
// about a transaction the client can read is verified, and the function
// gets the API's copy (which carries the account).
func TestVerifyWithClientAcceptsAnEventWithoutAccount(t *testing.T) {
	srv := monzotest.NewServer(t)
	acc := srv.AccountID(monzo.AccountTypeRetail)
	txID, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: acc, Amount: 250, MerchantName: "Tesco"})
	if err != nil {
		t.Fatal(err)
	}
	verify := webhook.VerifyWithClient(srv.Client)
	tx, err := verify(context.Background(), &webhook.Event{Type: webhook.TransactionCreated, Data: monzo.Transaction{ID: txID}})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if tx.ID != txID || tx.AccountID != acc || tx.Amount != -250 {
		t.Fatalf("verify returned %+v, want the API's copy of %s on %s", tx, txID, acc)
	}
}

// TestSecretNeverPrintedByOptionsOrHandler: the webhook secret is the only
// proof a delivery comes from Monzo; no fmt verb may print it, and the
// description still tells the settings apart.
func TestSecretNeverPrintedByOptionsOrHandler(t *testing.T) {
	noop := func(context.Context, *webhook.Event) error { return nil }
	verify := func(context.Context, *webhook.Event) (*monzo.Transaction, error) { return nil, nil }
	plain := webhook.Options{Secret: testSecret}
	verified := webhook.Options{Secret: testSecret, Verify: verify, DedupeSize: -1}
	hPlain, err := webhook.NewHandler(plain, noop)
	if err != nil {
		t.Fatal(err)
	}
	hVerified, err := webhook.NewHandler(verified, noop)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		value any
		want  []string
	}{
		{"Options", plain, []string{"Verify: false"}},
		{"Options with Verify", verified, []string{"Verify: true", "DedupeSize: -1"}},
		{"Handler with defaults", hPlain, []string{"Verify: false", "Timeout: 5s", "Dedupe: 10000 events, 24h0m0s", "MaxBodyBytes: 1048576"}},
		{"Handler with Verify, no dedupe", hVerified, []string{"Verify: true", "Dedupe: off"}},
	} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, tc.value)
			if strings.Contains(out, testSecret) || strings.Contains(out, fmt.Sprintf("%x", testSecret)) {
				t.Errorf("%s under %s prints the secret: %s", tc.name, verb, out)
			}
		}
		s := fmt.Sprint(tc.value)
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s = %s, want it to say %q", tc.name, s, w)
			}
		}
	}
}

// TestHandlerDefaultsReachTheWire: with zero Options the handler caps the
// body at DefaultMaxBodyBytes exactly.
func TestHandlerDefaultsReachTheWire(t *testing.T) {
	h, err := webhook.NewHandler(webhook.Options{Secret: testSecret}, func(context.Context, *webhook.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	event := webhook.NewTestEvent(cardPayment("tx_big"))
	// Pad the JSON object with spaces to exactly the limit, then one byte past.
	for _, tc := range []struct {
		size int
		want int
	}{{webhook.DefaultMaxBodyBytes, http.StatusOK}, {webhook.DefaultMaxBodyBytes + 1, http.StatusRequestEntityTooLarge}} {
		body := append(append([]byte(nil), event...), strings.Repeat(" ", tc.size-len(event))...)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, webhook.NewTestRequest("/?token="+testSecret, body))
		if w.Code != tc.want {
			t.Errorf("%d-byte body: status %d, want %d", tc.size, w.Code, tc.want)
		}
	}
}
