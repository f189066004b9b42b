package monzo_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// A call with a missing or malformed argument fails before anything is
// sent; the error matches ErrInvalidArgument and says what to fix.
func ExampleErrInvalidArgument() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	_, err = srv.Client.Pots.Deposit(ctx, "pot_1", monzo.PotDeposit{SourceAccountID: "acc_1", Amount: 0, DedupeID: monzo.NewDedupeID()})
	fmt.Println(errors.Is(err, monzo.ErrInvalidArgument), errors.Is(err, monzo.ErrBadRequest))
	fmt.Println(err)
	// Output:
	// true false
	// monzo: Pots.Deposit: PotDeposit.Amount must be greater than 0 (minor units, e.g. 1050 for £10.50), got 0
}

// Tokens and other secrets never print, whatever the verb.
func ExampleStaticToken() {
	token := monzo.StaticToken("eyJhbGciOiJFUzI1NiIs…")
	fmt.Printf("%v %+v %#v %q\n", token, token, token, token)
	// Output:
	// monzo.StaticToken([redacted]) monzo.StaticToken([redacted]) monzo.StaticToken([redacted]) "monzo.StaticToken([redacted])"
}

// The client's own *http.Client times out each API call after
// DefaultTimeout; uploads get longer. Bring your own *http.Client to choose
// another bound for calls, and WithUploadTimeout for uploads.
func ExampleWithUploadTimeout() {
	client, err := monzo.NewClient(
		monzo.WithAccessToken("playground-token"),
		monzo.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
		monzo.WithUploadTimeout(15*time.Minute),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.HTTPClient().Timeout, monzo.DefaultTimeout, monzo.DefaultUploadTimeout)
	// Output:
	// 10s 30s 5m0s
}

// Every resource keeps the JSON it came from, fields this package does not
// know included; it prints as text.
func ExampleRawJSON() {
	var pot monzo.Pot
	if err := pot.UnmarshalJSON([]byte(`{"id":"pot_1","balance":500,"currency":"GBP","new_field":true}`)); err != nil {
		log.Fatal(err)
	}
	fmt.Println(pot.Raw)
	// Output:
	// {"id":"pot_1","balance":500,"currency":"GBP","new_field":true}
}

// Code that sends its own requests and runs on its own clock (a test's
// fake clock, say) reads a Retry-After date against that clock.
func ExampleCheckResponseAt() {
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/ping/whoami")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var apiErr *monzo.Error
	if errors.As(monzo.CheckResponseAt(resp, now), &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.RetryAfter)
	}
	// Output:
	// 429 1m30s
}
