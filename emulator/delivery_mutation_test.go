package emulator

import (
	"testing"
	"time"
)

// TestDeliveryCountsOnly2xxAsDelivered: a receiver's 3xx answer is a
// failed attempt that is retried (Monzo retries any non-2xx answer); the
// edge of the 2xx range, 299, is a success.
func TestDeliveryCountsOnly2xxAsDelivered(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	rc := newReceiver(t, 300, 299)
	e.hook(tok.Access, acc, rc.ts.URL+"/hook?token=s")

	if _, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 450, MerchantName: "Pret A Manger"}); err != nil {
		t.Fatal(err)
	}
	d := waitDeliveries(t, e.s, 1)
	if d[0].Succeeded || d[0].StatusCode != 300 || d[0].NextAttempt.IsZero() || d[0].Error == "" {
		t.Fatalf("a 300 answer was recorded as %+v, want a failed attempt with a retry planned", d[0])
	}
	waitSleepers(t, e.clock, 1)
	e.clock.Advance(WebhookFirstBackoff)
	d = waitDeliveries(t, e.s, 2)
	if !d[1].Succeeded || d[1].StatusCode != 299 || !d[1].NextAttempt.IsZero() {
		t.Fatalf("a 299 answer was recorded as %+v, want a success", d[1])
	}
	e.clock.Advance(time.Hour)
	_ = e.s.Close()
	if n := rc.hits(); n != 2 {
		t.Fatalf("receiver hit %d times, want 2", n)
	}
}
