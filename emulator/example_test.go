package emulator_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/monzokit/monzo/emulator"
)

// A large, long history for tests of paging and sync: 800 days and 100,000
// transactions on the personal account, seeded in well under a second.
func ExampleOptions_history() {
	s, err := emulator.New(emulator.Options{HistoryDays: 800, Transactions: 100_000})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Printf("%+v\n", s.SeedData())
	// Output: {Seed:1 HistoryDays:800 Transactions:100000}
}

// Faults break matching requests: here the next two GET /accounts answer
// 503 with a Retry-After, then the real answer comes back.
func ExampleServer_InjectFault() {
	s, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	if err := s.InjectFault(emulator.Fault{Method: "GET", Path: "/accounts", Status: 503, RetryAfter: "2", Times: 2}); err != nil {
		log.Fatal(err)
	}
	for range 3 {
		resp, err := http.Get(ts.URL + "/accounts")
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 503 2
	// 503 2
	// 401
}

// A slow, unreliable network, as the standalone emulator's --latency,
// --jitter and --faults flags set it up: every request 100–120 ms late,
// and one in twenty pot deposits reset after it was made.
func ExampleParseFaults() {
	faults, err := emulator.ParseFaults(`[{"method":"PUT","path":"/pots/{id}/deposit","kind":"reset","after_handling":true,"probability":0.05}]`, os.ReadFile)
	if err != nil {
		log.Fatal(err)
	}
	s, err := emulator.New(emulator.Options{Latency: 100 * time.Millisecond, LatencyJitter: 20 * time.Millisecond, FaultSeed: 7, Faults: faults})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for _, f := range s.Faults() {
		fmt.Printf("%s %s latency=%s kind=%q probability=%v\n", cmp.Or(f.Method, "*"), cmp.Or(f.Path, "*"), f.Latency, f.Kind, f.Probability)
	}
	// Output:
	// * * latency=100ms kind="" probability=0
	// PUT /pots/{id}/deposit latency=0s kind="reset" probability=0.05
}

// Reseed regenerates the bank data with other options and keeps the
// registered clients; Reset goes back to a fresh server.
func ExampleServer_Reseed() {
	s, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	c := s.MustRegisterClient(emulator.ClientOptions{Name: "my app", Confidential: true})
	if err := s.Reseed(emulator.SeedData{HistoryDays: 90}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(s.Clients()), s.SeedData().HistoryDays, s.Clients()[1].ID == c.ID)
	s.Reset()
	fmt.Println(len(s.Clients()), s.SeedData().HistoryDays)
	// Output:
	// 2 90 true
	// 1 90
}

// A receipt whose items do not add up to its total is stored, as Monzo
// stores it, and the emulator says what is wrong in a Warning header (and
// in Server.Receipts), so a test can catch the mistake.
func ExampleServer_Receipts() {
	s, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	// Log in as the primary user with the default client.
	c := s.DefaultClient()
	authURL := ts.URL + "/?" + url.Values{"client_id": {c.ID}, "redirect_uri": {c.RedirectURI},
		"response_type": {"code"}, "state": {"xyz"}}.Encode()
	redirect, err := emulator.SubmitConsent(context.Background(), nil, authURL, emulator.Consent{})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := http.PostForm(ts.URL+"/oauth2/token", url.Values{"grant_type": {"authorization_code"},
		"client_id": {c.ID}, "client_secret": {c.Secret}, "redirect_uri": {c.RedirectURI}, "code": {redirect.Query().Get("code")}})
	if err != nil {
		log.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	s.ApproveAll() // as the user would in the Monzo app

	// A £12.99 card payment, and a receipt for it whose one item is £9.99.
	var account string
	for _, a := range s.Users()[0].Accounts {
		if a.Type == "uk_retail" {
			account = a.ID
		}
	}
	txID, err := s.InjectCardPayment(emulator.CardPayment{AccountID: account, Amount: 1299, MerchantName: "Corner Shop"})
	if err != nil {
		log.Fatal(err)
	}
	receipt := fmt.Sprintf(`{"external_id":"order-1","transaction_id":%q,"total":1299,"currency":"GBP",
		"items":[{"description":"Lunch","amount":999,"currency":"GBP"}]}`, txID)
	req, _ := http.NewRequest(http.MethodPut, ts.URL+"/transaction-receipts", strings.NewReader(receipt))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	fmt.Println(resp.Header.Get("Warning"))
	fmt.Println(s.Receipts()[0].Warnings)
	// Output:
	// 200
	// 299 monzo-emulator "receipt: the items add up to 999, but the total is 1299"
	// [the items add up to 999, but the total is 1299]
}
