package monzo_test

import (
	"context"
	"fmt"
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func ExampleFeedService_Create() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient) and the account id from
	// Accounts.List; here, from an emulator.
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, accountID := srv.Client, srv.AccountID(monzo.AccountTypeRetail)

	err = client.Feed.Create(context.Background(), monzo.FeedItem{
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
	for _, item := range srv.Emulator.FeedItems(accountID) {
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
