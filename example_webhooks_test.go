package monzo_test

import (
	"context"
	"fmt"
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/webhook"
)

// Register a webhook whose URL carries a secret, so the receiving handler
// (see the webhook package) can tell Monzo's deliveries from forgeries.
func ExampleWebhooksService_Create() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient) and the account id from
	// Accounts.List; here, from an emulator.
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
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
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
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
