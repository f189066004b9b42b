package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
	"github.com/monzokit/monzo/webhook"
)

// The whole loop against the in-process emulator: serve a handler, register
// its secret URL as a webhook, and receive a card payment made on the
// account. Against Monzo the only differences are the base URL and a
// handler reachable from the internet.
func Example_endToEnd() {
	ctx := context.Background()
	emu, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))})
	if err != nil {
		log.Fatal(err)
	}
	api := httptest.NewServer(emu.Handler())
	defer api.Close()
	defer emu.Close()
	client, accountID := exampleLogin(ctx, emu, api)

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
	if _, err := emu.InjectCardPayment(emulator.CardPayment{AccountID: accountID, Amount: 385, MerchantName: "Pret A Manger"}); err != nil {
		log.Fatal(err)
	}
	tx := <-received
	fmt.Println(monzo.FormatAmount(tx.Amount, tx.Currency), tx.Currency, "at", tx.Merchant)
	// Output: -3.85 GBP at Pret A Manger
}

// exampleLogin logs the emulator's primary user in through the real OAuth
// flow, approves the access "in the app", and returns a client and the
// user's current account.
func exampleLogin(ctx context.Context, emu *emulator.Server, api *httptest.Server) (*monzo.Client, string) {
	def := emu.DefaultClient()
	cfg := &oauth.Config{ClientID: def.ID, ClientSecret: def.Secret, RedirectURL: def.RedirectURI,
		AuthURL: api.URL, APIBaseURL: api.URL, HTTPClient: api.Client()}
	state, err := oauth.NewState()
	if err != nil {
		log.Fatal(err)
	}
	redirected, err := emulator.SubmitConsent(ctx, api.Client(), cfg.AuthCodeURL(state), emulator.Consent{})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.ExchangeCallback(ctx, redirected.String(), state)
	if err != nil {
		log.Fatal(err)
	}
	emu.ApproveAll()
	client, err := monzo.NewClient(monzo.WithBaseURL(api.URL), monzo.WithHTTPClient(api.Client()), monzo.WithAccessToken(tok.AccessToken))
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range emu.Users()[0].Accounts {
		if a.Type == string(monzo.AccountTypeRetail) && !a.Closed {
			return client, a.ID
		}
	}
	log.Fatal("no current account")
	return nil, ""
}
