package monzo_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// A client for the real API: the OAuth client registered at
// https://developers.monzo.com, and the token saved by an earlier login
// (examples/auth_step_02, or oauth.Config.Exchange followed by a Save on
// the store). The token source refreshes the access token before it expires
// and writes the rotated tokens back to the file.
func ExampleNewClient() {
	ctx := context.Background()
	cfg := &oauth.Config{
		ClientID:     os.Getenv("MONZO_CLIENT_ID"),
		ClientSecret: os.Getenv("MONZO_CLIENT_SECRET"),
		RedirectURL:  "http://127.0.0.1:8080/callback",
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		log.Fatal(err)
	}
	store, err := oauth.NewFileStore(filepath.Join(dir, "monzo", "token.json"))
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := oauth.NewTokenSource(cfg, store)
	if err != nil {
		log.Fatal(err)
	}
	client, err := monzo.NewClient(monzo.WithTokenSource(tokens))
	if err != nil {
		log.Fatal(err)
	}

	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		fmt.Println(a.ID, a.Type)
	}
}

func ExampleClient_WhoAmI() {
	// The examples below run against an in-process emulator. In real code
	// the client comes from monzo.NewClient with an oauth token source (see
	// ExampleNewClient).
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	who, err := srv.Client.WhoAmI(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(who.Authenticated, who.UserID)
	// Output:
	// true user_0000Q0vtzmp001MqDLmIai
}

func ExampleAccountsService_List() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	accounts, err := srv.Client.Accounts.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		if a.Closed { // closed accounts are still listed
			continue
		}
		fmt.Println(a.Type, a.SortCode, a.AccountNumber, len(a.Owners), "owner(s)")
	}
	// Output:
	// uk_retail 040004 55364112 1 owner(s)
	// uk_retail_joint 040004 15157541 2 owner(s)
}

// A personal account's description is its owner's user id; DisplayName
// names it for a person.
func ExampleAccount_DisplayName() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	accounts, err := srv.Client.Accounts.List(context.Background(), &monzo.AccountListOptions{Type: monzo.AccountTypeRetail})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		fmt.Printf("%.5s… is %s\n", a.Description, a.DisplayName())
	}
	// Output:
	// user_… is Personal account
}

func ExampleBalanceService_Get() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// In real code the account id comes from Accounts.List.
	accountID := srv.AccountID(monzo.AccountTypeRetail)

	b, err := srv.Client.Balance.Get(context.Background(), accountID)
	if err != nil {
		log.Fatal(err)
	}
	// Amounts are minor units (pence); FormatAmount places the decimal
	// point where the currency puts it.
	fmt.Println("available:   ", monzo.FormatAmount(b.Balance, b.Currency), b.Currency)
	fmt.Println("with pots:   ", monzo.FormatAmount(b.TotalBalance, b.Currency), b.Currency)
	fmt.Println("spent today: ", monzo.FormatAmount(-b.SpendToday, b.Currency), b.Currency)
	// Output:
	// available:    1788.70 GBP
	// with pots:    9338.70 GBP
	// spent today:  14.34 GBP
}

func ExampleFormatAmount() {
	fmt.Println(monzo.FormatAmount(123456, "GBP")) // pence
	fmt.Println(monzo.FormatAmount(500, "JPY"))    // yen have no minor unit
	fmt.Println(monzo.FormatAmount(1005, "BHD"))   // fils: three decimals
	fmt.Println(monzo.FormatAmount(-1234, "GBP"))  // a debit
	fmt.Println(monzo.Money{Amount: -5, Currency: "GBP"})
	// Output:
	// 1234.56
	// 500
	// 1.005
	// -12.34
	// -0.05 GBP
}

func ExampleParseAmount() {
	pence, err := monzo.ParseAmount("12.5", "GBP")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pence)

	// Anything ambiguous is refused rather than guessed at.
	_, err = monzo.ParseAmount("1,000", "GBP")
	fmt.Println(errors.Is(err, monzo.ErrInvalidAmount))
	fmt.Println(err)
	// Output:
	// 1250
	// true
	// monzo: invalid amount "1,000" for GBP: use digits and at most one '.', with no commas, spaces, symbols or exponents
}

// Straight after login the user must approve access in the Monzo app. Until
// they do, data calls answer 403 forbidden.insufficient_permissions; the
// same token then starts working, with no need to log in again.
func ExampleIsApprovalPending() {
	srv, err := monzotest.Start(monzotest.WithoutApproval())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client
	ctx := context.Background()

	_, err = client.Accounts.List(ctx, nil)
	fmt.Println(monzo.IsApprovalPending(err))
	fmt.Println(err)

	// In real code: tell the user to open the Monzo app, then retry now and
	// then. Here the emulator approves as the user would.
	srv.Approve(srv.Login)

	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(accounts), "accounts")
	// Output:
	// true
	// monzo: GET /accounts: 403 Forbidden: forbidden.insufficient_permissions: Access forbidden due to insufficient permissions (if you have just logged in, approve access in the Monzo app, then retry with the same token)
	// 3 accounts
}

// Errors answered by the API are *monzo.Error values. Match families of
// them with errors.Is and this package's sentinels, and read the details
// with errors.As.
func ExampleError() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	_, err = srv.Client.Balance.Get(context.Background(), "acc_00009NoSuchAccount")
	fmt.Println(errors.Is(err, monzo.ErrNotFound))
	var apiErr *monzo.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	fmt.Println(err)
	// Output:
	// true
	// 404 not_found.account
	// monzo: GET /balance: 404 Not Found: not_found.account: Account not found
}

// Calls that are safe to repeat (reads, deletes, annotations, pot moves with
// their dedupe id) are retried after a 429, a 5xx or a network error; posting
// a feed item or registering an attachment never is.
func ExampleRetryPolicy() {
	policy := monzo.DefaultRetryPolicy()
	policy.MaxAttempts = 6            // the first attempt and up to five retries
	policy.MaxWait = 45 * time.Second // in all, between attempts
	fmt.Printf("%d attempts, %s to %s apart, %s in all\n", policy.MaxAttempts, policy.BaseDelay, policy.MaxDelay, policy.MaxWait)

	// Pass it with the token source (see ExampleNewClient).
	if _, err := monzo.NewClient(monzo.WithRetryPolicy(policy)); err != nil {
		log.Fatal(err)
	}

	// NewClient refuses a policy that cannot work.
	_, err := monzo.NewClient(monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 0}))
	fmt.Println(err)
	// Output:
	// 6 attempts, 250ms to 5s apart, 45s in all
	// monzo: RetryPolicy.MaxAttempts must be at least 1, got 0
}
