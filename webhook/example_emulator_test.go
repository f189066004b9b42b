package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/webhook"
)

// The whole loop against the in-process emulator: serve a handler, register
// its secret URL as a webhook, and receive a card payment made on the
// account. Against Monzo the only differences are the client (from
// monzo.NewClient with an oauth token source) and a handler reachable from
// the internet.
func Example_endToEnd() {
	ctx := context.Background()
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)

	// 1. The receiving end: a handler guarded by a secret.
	received := make(chan monzo.Transaction, 1)
	h, err := webhook.NewHandler(webhook.Options{Secret: webhook.GenerateSecret()}, func(ctx context.Context, ev *webhook.Event) error {
		received <- ev.Data
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewServer(h)
	defer receiver.Close()

	// 2. Register its URL, secret included, on the account.
	hookURL, err := h.URL(receiver.URL + "/monzo")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Webhooks.Create(ctx, accountID, hookURL); err != nil {
		log.Fatal(err)
	}

	// 3. Someone pays by card (the emulator's test hook).
	if _, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: accountID, Amount: 385, MerchantName: "Pret A Manger"}); err != nil {
		log.Fatal(err)
	}
	select {
	case tx := <-received:
		fmt.Println(monzo.FormatAmount(tx.Amount, tx.Currency), tx.Currency, "at", tx.Merchant)
	case <-time.After(30 * time.Second): // a guard: delivery takes milliseconds
		log.Fatal("no webhook event arrived")
	}
	// Output: -3.85 GBP at Pret A Manger
}
