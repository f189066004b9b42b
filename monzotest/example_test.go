package monzotest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// Start gives Example functions and other code without a *testing.T an
// emulator with a logged-in, approved client.
func ExampleStart() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	accounts, err := srv.Client.Accounts.List(context.Background(), &monzo.AccountListOptions{Type: monzo.AccountTypeRetailJoint})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		fmt.Println(a.Type, len(a.Owners), "owners")
	}
	// Output:
	// uk_retail_joint 2 owners
}
