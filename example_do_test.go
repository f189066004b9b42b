package monzo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// Do reaches endpoints, or fields, this package does not model yet, with
// the client's tokens, errors and retry rules.
func ExampleClient_Do() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	client := srv.Client

	var balance struct {
		Currency string `json:"currency"`
	}
	params := url.Values{"account_id": {srv.AccountID(monzo.AccountTypeRetail)}}
	if err := client.Do(ctx, http.MethodGet, "/balance", params, &balance); err != nil {
		log.Fatal(err)
	}
	fmt.Println("currency:", balance.Currency)

	// A *json.RawMessage keeps the answer exactly as it came.
	var raw json.RawMessage
	if err := client.Do(ctx, http.MethodGet, "/ping/whoami", nil, &raw); err != nil {
		log.Fatal(err)
	}
	fmt.Println(json.Valid(raw))
	// Output:
	// currency: GBP
	// true
}
