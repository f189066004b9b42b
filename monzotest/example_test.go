package monzotest_test

import (
	"context"
	"fmt"
	"log"
	"time"

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

// WithLatency makes every API request slower by real time, as a network
// would: benchmark code that makes many requests against it (100 ms is the
// real API's order of magnitude).
func ExampleWithLatency() {
	srv, err := monzotest.Start(monzotest.WithLatency(5 * time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	start := time.Now()
	if _, err := srv.Client.Accounts.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println("waited at least 5ms:", time.Since(start) >= 5*time.Millisecond)
	// Output: waited at least 5ms: true
}
