package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/webhook"
)

// Receive Monzo's transaction events: check the URL's secret, skip declined
// payments, and answer an error to make Monzo deliver again.
func ExampleNewHandler() {
	secret := "keep-me-in-your-config-not-in-code" // webhook.GenerateSecret() once, then stored

	h, err := webhook.NewHandler(webhook.Options{Secret: secret}, func(ctx context.Context, ev *webhook.Event) error {
		if ev.Type != webhook.TransactionCreated {
			return nil
		}
		tx := ev.Data
		if tx.IsDeclined() {
			fmt.Println("declined:", tx.DeclineReason)
			return nil
		}
		fmt.Printf("%s %s at %s\n", monzo.FormatAmount(tx.Amount, tx.Currency), tx.Currency, tx.Merchant)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	// In production: http.Handle("/monzo", h), and register the URL from
	// h.URL("https://example.com/monzo") with client.Webhooks.Create.
	// Here a test delivery goes straight to the handler.
	tx := monzo.Transaction{
		ID: "tx_0000AaBbCc", AccountID: "acc_0000AaBbCc", Amount: -350, Currency: "GBP",
		Merchant: monzo.MerchantRefFromMerchant(&monzo.Merchant{ID: "merch_1", Name: "Ozone Coffee"}),
	}
	u, _ := h.URL("https://example.com/monzo")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, webhook.NewTestRequest(u, webhook.NewTestEvent(tx)))
	fmt.Println(w.Code)

	// A redelivery of the same transaction is acknowledged but not handled twice.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, webhook.NewTestRequest(u, webhook.NewTestEvent(tx)))
	fmt.Println(w.Code)

	// A request without the secret is refused before its body is read.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, webhook.NewTestRequest("https://example.com/monzo", webhook.NewTestEvent(tx)))
	fmt.Println(w.Code)
	// Output:
	// -3.50 GBP at Ozone Coffee
	// 200
	// 200
	// 401
}

// Build the secret URL to register with Monzo.
func ExampleURLWithSecret() {
	secret := "Zm9yLWRvY3Mtb25seQ" // use webhook.GenerateSecret()
	u, err := webhook.URLWithSecret("https://example.com/monzo", secret)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output: https://example.com/monzo?token=Zm9yLWRvY3Mtb25seQ
}

// Test your own event handling with the helpers: build a delivery from a
// transaction and pass it to the handler.
func ExampleNewTestEvent() {
	var got string
	h, _ := webhook.NewHandler(webhook.Options{Secret: "test-secret"}, func(ctx context.Context, ev *webhook.Event) error {
		got = ev.Data.Description
		return nil
	})
	body := webhook.NewTestEvent(monzo.Transaction{ID: "tx_1", Amount: -1200, Currency: "GBP", Description: "TFL TRAVEL CH"})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, webhook.NewTestRequest("/monzo?token=test-secret", body))
	fmt.Println(w.Code == http.StatusOK, got)
	// Output: true TFL TRAVEL CH
}

// Hand the user's function the transaction as the API reports it, not as
// the request claims it: a forged delivery about a transaction that does
// not exist never reaches the function.
func ExampleVerifyWithClient() {
	client, err := monzo.NewClient(monzo.WithAccessToken("an access token of the account's owner"))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.Options{
		Secret: "the secret in the registered URL",
		Verify: webhook.VerifyWithClient(client),
	}, func(ctx context.Context, ev *webhook.Event) error {
		fmt.Println("verified:", ev.Data.ID, ev.Data.Amount)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/monzo", h)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
