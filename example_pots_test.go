package monzo_test

import (
	"context"
	"fmt"
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func ExamplePotsService_List() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient) and the account id from
	// Accounts.List; here, from an emulator.
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)

	pots, err := client.Pots.List(context.Background(), accountID)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range pots {
		if p.Deleted { // deleted pots are still listed
			continue
		}
		note := ""
		if p.Locked {
			note = ", locked"
		}
		fmt.Printf("%s (%s%s)\n", p.Name, p.Type, note)
	}
	// Output:
	// Holidays (default)
	// Rainy day (flexible_savings)
	// House deposit (default, locked)
	// Christmas (default)
}

func ExamplePotsService_Deposit() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()

	pots, err := client.Pots.List(ctx, accountID)
	if err != nil {
		log.Fatal(err)
	}
	var holidays monzo.Pot
	for _, p := range pots {
		if p.Name == "Holidays" && !p.Deleted {
			holidays = p
		}
	}

	// Choose the dedupe id once per intended deposit, before any attempt,
	// and store it with the job if it must survive a restart. The client
	// retries with the same id, and so should you: Monzo then moves the
	// money once however many times the request is sent.
	deposit := monzo.PotDeposit{SourceAccountID: accountID, Amount: 1050, DedupeID: monzo.NewDedupeID()}
	after, err := client.Pots.Deposit(ctx, holidays.ID, deposit)
	if err != nil {
		log.Fatal(err)
	}
	// Sending the same deposit again (say, after a timeout) moves nothing.
	again, err := client.Pots.Deposit(ctx, holidays.ID, deposit)
	if err != nil {
		log.Fatal(err)
	}
	added := monzo.Money{Amount: again.Balance - holidays.Balance, Currency: after.Currency}
	fmt.Printf("%s: added %s\n", after.Name, added)
	// Output:
	// Holidays: added 10.50 GBP
}
