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

// exampleEnv is an in-process emulator with its primary user logged in
// through the real OAuth flow and approved "in the app". In real code the
// client comes from monzo.NewClient with an oauth token source.
type exampleEnv struct {
	emu       *emulator.Server
	client    *monzo.Client
	accountID string // the primary user's current account
	stop      func()
}

func newExampleEnv() *exampleEnv {
	ctx := context.Background()
	emu, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
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
	client, err := monzo.NewClient(monzo.WithBaseURL(ts.URL), monzo.WithHTTPClient(ts.Client()), monzo.WithAccessToken(tok.AccessToken))
	if err != nil {
		log.Fatal(err)
	}
	env := &exampleEnv{emu: emu, client: client, stop: func() { ts.Close(); _ = emu.Close() }}
	for _, a := range emu.Users()[0].Accounts {
		if a.Type == string(monzo.AccountTypeRetail) && !a.Closed {
			env.accountID = a.ID
		}
	}
	return env
}

// cardPayment makes a card payment happen on the current account, as if the
// user had just bought something, and returns its transaction id.
func (env *exampleEnv) cardPayment(amount int64, merchant string) string {
	id, err := env.emu.InjectCardPayment(emulator.CardPayment{AccountID: env.accountID, Amount: amount, MerchantName: merchant})
	if err != nil {
		log.Fatal(err)
	}
	return id
}

func ExampleFeedService_Create() {
	env := newExampleEnv()
	defer env.stop()
	client, accountID := env.client, env.accountID

	err := client.Feed.Create(context.Background(), monzo.FeedItem{
		AccountID: accountID,
		URL:       "https://example.com/budget", // opened when the item is tapped
		Params: monzo.BasicFeedParams{
			Title:           "Eating out: 80% of budget",
			ImageURL:        "https://example.com/icons/fork.png",
			Body:            "£160 of £200 spent, 9 days to go",
			BackgroundColor: "#FCF1EE",
			TitleColor:      "#333333",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	// The emulator records feed items so you can check what you posted.
	for _, item := range env.emu.FeedItems(accountID) {
		fmt.Printf("%s: %q, %q\n", item.Type, item.Params["title"], item.Params["body"])
	}
	// Output:
	// basic: "Eating out: 80% of budget", "£160 of £200 spent, 9 days to go"
}

func ExampleFeedItem_Validate() {
	item := monzo.FeedItem{
		AccountID: "acc_00009237aqC8c5umZmrRdh",
		Params:    monzo.BasicFeedParams{Title: "Hello", BackgroundColor: "red"},
	}
	fmt.Println(item.Validate())
	// Output:
	// monzo: invalid feed item: Params.ImageURL is required (the item's icon); Params.BackgroundColor "red" is not a colour of the form #RRGGBB (e.g. #FF4F40)
}
