package monzo_test

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

// exampleWebhooksClient starts an in-process emulator, logs its primary
// user in through the real OAuth flow, approves the access "in the app" and
// returns a client and the user's current account. In real code the client
// comes from monzo.NewClient with an oauth token source.
func exampleWebhooksClient() (client *monzo.Client, accountID string, stop func()) {
	ctx := context.Background()
	emu, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
	stop = func() { ts.Close(); _ = emu.Close() }
	def := emu.DefaultClient()
	cfg := &oauth.Config{ClientID: def.ID, ClientSecret: def.Secret, RedirectURL: def.RedirectURI,
		AuthURL: ts.URL, APIBaseURL: ts.URL, HTTPClient: ts.Client()}
	state, err := oauth.NewState()
	if err != nil {
		log.Fatal(err)
	}
	redirected, err := emulator.SubmitConsent(ctx, ts.Client(), cfg.AuthCodeURL(state), emulator.Consent{})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.ExchangeCallback(ctx, redirected.String(), state)
	if err != nil {
		log.Fatal(err)
	}
	emu.ApproveAll()
	client, err = monzo.NewClient(monzo.WithBaseURL(ts.URL), monzo.WithHTTPClient(ts.Client()), monzo.WithAccessToken(tok.AccessToken))
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range emu.Users()[0].Accounts {
		if a.Type == string(monzo.AccountTypeRetail) && !a.Closed {
			accountID = a.ID
		}
	}
	return client, accountID, stop
}

// Register a webhook whose URL carries a secret, so the receiving handler
// (see the webhook package) can tell Monzo's deliveries from forgeries.
func ExampleWebhooksService_Create() {
	client, accountID, stop := exampleWebhooksClient()
	defer stop()
	ctx := context.Background()

	secret := "Zm9yLWRvY3Mtb25seQ" // webhook.GenerateSecret(), kept in your configuration
	hookURL, err := webhook.URLWithSecret("https://example.com/monzo", secret)
	if err != nil {
		log.Fatal(err)
	}
	wh, err := client.Webhooks.Create(ctx, accountID, hookURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wh.AccountID == accountID, wh.URL)
	// Output: true https://example.com/monzo?token=Zm9yLWRvY3Mtb25seQ
}

// List the webhooks this application registered on an account, and delete
// the ones that point at an old address.
func ExampleWebhooksService_List() {
	client, accountID, stop := exampleWebhooksClient()
	defer stop()
	ctx := context.Background()

	for _, u := range []string{"https://old.example.com/monzo", "https://example.com/monzo"} {
		if _, err := client.Webhooks.Create(ctx, accountID, u); err != nil {
			log.Fatal(err)
		}
	}
	hooks, err := client.Webhooks.List(ctx, accountID)
	if err != nil {
		log.Fatal(err)
	}
	for _, wh := range hooks {
		if wh.URL == "https://old.example.com/monzo" {
			if err := client.Webhooks.Delete(ctx, wh.ID); err != nil {
				log.Fatal(err)
			}
		}
	}
	hooks, err = client.Webhooks.List(ctx, accountID)
	if err != nil {
		log.Fatal(err)
	}
	for _, wh := range hooks {
		fmt.Println(wh.URL)
	}
	// Output: https://example.com/monzo
}
