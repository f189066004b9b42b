package emulator

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSettleTransaction: a pending payment settles at the clock's now and
// the API shows it settled; settling it again, settling a declined payment
// and settling an unknown id are refused, each saying why.
func TestSettleTransaction(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	pending, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 450, MerchantName: "Pret A Manger", Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	declined, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 450, MerchantName: "Pret A Manger", DeclineReason: "INSUFFICIENT_FUNDS"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(24 * time.Hour)
	if err := e.s.SettleTransaction(pending); err != nil {
		t.Fatalf("settling a pending payment: %v", err)
	}
	resp := e.get("/transactions/"+pending, tok.Access)
	wantStatus(t, resp, http.StatusOK)
	tx, _ := resp.json(t)["transaction"].(map[string]any)
	if want := formatTime(e.clock.Now()); tx["settled"] != want || tx["amount_is_pending"] != false {
		t.Errorf("after settling: settled %v, amount_is_pending %v; want %s, false", tx["settled"], tx["amount_is_pending"], want)
	}

	for _, tc := range []struct{ id, why string }{
		{pending, "already settled"},
		{declined, "declined"},
		{"tx_nope", "no transaction"},
	} {
		if err := e.s.SettleTransaction(tc.id); err == nil || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("SettleTransaction(%s) = %v, want an error saying %q", tc.id, err, tc.why)
		}
	}
}
