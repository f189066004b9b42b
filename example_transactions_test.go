package monzo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func ExampleTransactionsService_List() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient) and the account id from
	// Accounts.List; here, from an emulator whose history ends now.
	srv, err := monzotest.Start(monzotest.WithStart(time.Now()))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()

	// One page of the last 30 days, oldest first, merchants expanded.
	page, err := client.Transactions.List(ctx, accountID, &monzo.TransactionListOptions{
		Since:          time.Now().AddDate(0, 0, -30),
		Limit:          10,
		ExpandMerchant: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, tx := range page {
		name := tx.Description
		if m, ok := tx.Merchant.Expanded(); ok {
			name = m.Name
		}
		_ = name // e.g. fmt.Printf("%s  %-30s %s\n", tx.Created.Format(time.DateOnly), name, tx.Money())
	}
	fmt.Println(len(page), "transactions")

	// The next page starts after the last id of this one.
	next, err := client.Transactions.List(ctx, accountID, &monzo.TransactionListOptions{
		SinceID: page[len(page)-1].ID,
		Limit:   10,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("next page starts after this one:", !next[0].Created.Before(page[len(page)-1].Created.Time))
	// Output:
	// 10 transactions
	// next page starts after this one: true
}

func ExampleTransactionsService_All() {
	srv, err := monzotest.Start(monzotest.WithStart(time.Now()))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()

	// Sum card spending over the last 60 days, page by page.
	var spent int64
	var seen int
	for tx, err := range client.Transactions.All(ctx, accountID, &monzo.TransactionListOptions{
		Since: time.Now().AddDate(0, 0, -60),
	}) {
		if err != nil {
			log.Fatal(err)
		}
		seen++
		if tx.Amount < 0 && tx.IncludeInSpending && !tx.IsDeclined() {
			spent += -tx.Amount
		}
	}
	fmt.Println("walked more than one page:", seen > monzo.MaxPageSize)
	fmt.Println("spent something:", spent > 0)
	// Output:
	// walked more than one page: true
	// spent something: true
}

func ExampleTransactionsService_Annotate() {
	srv, err := monzotest.Start(monzotest.WithStart(time.Now()))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()

	page, err := client.Transactions.List(ctx, accountID, &monzo.TransactionListOptions{Since: time.Now().AddDate(0, 0, -7), Limit: 1})
	if err != nil {
		log.Fatal(err)
	}
	// "notes" also sets the note shown in the Monzo app; other keys are
	// private to this app.
	tx, err := client.Transactions.Annotate(ctx, page[0].ID, map[string]string{
		"notes":   "Team lunch, expensed",
		"project": "offsite",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tx.Notes)
	fmt.Println(tx.Metadata["project"])

	// An empty value deletes a key.
	tx, err = client.Transactions.Annotate(ctx, tx.ID, map[string]string{"project": ""})
	if err != nil {
		log.Fatal(err)
	}
	_, still := tx.Metadata["project"]
	fmt.Println("project still set:", still)
	// Output:
	// Team lunch, expensed
	// offsite
	// project still set: false
}

func ExampleTransactionsService_Backfill() {
	srv, err := monzotest.Start(monzotest.WithStart(time.Now()))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()

	// Straight after login: fetch and store the whole history, oldest
	// first. Windows of history are fetched concurrently but handed over
	// in order. With nil options the walk starts at the account's creation.
	stored := 0
	var progress monzo.BackfillProgress
	opts := &monzo.BackfillOptions{
		// A checkpoint after every window: store it with the transactions.
		OnProgress: func(p monzo.BackfillProgress) { progress = p },
	}
	for tx, err := range client.Transactions.Backfill(ctx, accountID, opts) {
		var incomplete *monzo.BackfillIncompleteError
		switch {
		case errors.As(err, &incomplete) && errors.Is(err, monzo.ErrVerificationRequired):
			// The 5-minute window closed: keep what was stored, log in again
			// and resume with BackfillOptions{AfterID: incomplete.LastID}.
			log.Fatal(err)
		case err != nil:
			log.Fatal(err)
		}
		_ = tx // save tx to your database here
		stored++
	}
	fmt.Println("stored everything:", stored == progress.Fetched && stored > 1000)

	// A later sync continues from the last stored transaction.
	fresh := 0
	for _, err := range client.Transactions.Backfill(ctx, accountID, &monzo.BackfillOptions{AfterID: progress.LastID}) {
		if err != nil {
			log.Fatal(err)
		}
		fresh++
	}
	fmt.Println("new since last sync:", fresh)
	// Output:
	// stored everything: true
	// new since last sync: 0
}

// A malformed optional field, here a merchant's "updated" time, does not
// cost the transaction (or the page of a list call): the field is left
// zero, its JSON stays in Raw, and the problem is listed in DecodeWarnings.
func ExampleDecodeWarning() {
	body := `{"id":"tx_00009","amount":-350,"currency":"GBP","created":"2024-01-31T09:30:00Z",
		"merchant":{"id":"merch_1","name":"Cafe","updated":"last Tuesday"}}`
	var tx monzo.Transaction
	if err := json.Unmarshal([]byte(body), &tx); err != nil {
		log.Fatal(err)
	}
	m, _ := tx.Merchant.Expanded()
	fmt.Println(tx.ID, tx.Money(), m.Name, m.Updated.IsZero())
	for _, w := range tx.DecodeWarnings {
		fmt.Println(w.Field+":", w.Err)
	}
	// Output:
	// tx_00009 -3.50 GBP Cafe true
	// merchant.updated: want an RFC 3339 time, got "last Tuesday"
}
