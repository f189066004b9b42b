package monzo_test

import (
	"fmt"
	"log"
	"time"

	"github.com/monzokit/monzo"
)

// A client built WithClock tells code built on it what time it is, so one
// fake clock moves the client and everything that asks it.
func ExampleClient_Now() {
	fake := time.Date(2031, 7, 1, 12, 0, 0, 0, time.UTC)
	client, err := monzo.NewClient(monzo.WithAccessToken("access-token"), monzo.WithClock(func() time.Time { return fake }))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Now().Format(time.DateTime))
	// Output: 2031-07-01 12:00:00
}
