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
)

// examplePotsClient starts an in-process emulator, logs its primary user in
// through the real OAuth flow, approves the access "in the app" and returns
// a client and the user's current account. In real code the client comes
// from monzo.NewClient with an oauth token source.
func examplePotsClient() (client *monzo.Client, accountID string, stop func()) {
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

func ExamplePotsService_List() {
	client, accountID, stop := examplePotsClient()
	defer stop()

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
	client, accountID, stop := examplePotsClient()
	defer stop()
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
