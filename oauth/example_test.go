package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

func ExampleConfig_AuthCodeURL() {
	cfg := &oauth.Config{
		ClientID:    "oauth2client_00009abc",
		RedirectURL: "http://127.0.0.1:8080/callback",
	}
	if err := cfg.Validate(); err != nil {
		log.Fatal(err)
	}
	// In real code: state, err := oauth.NewState(), kept until the redirect.
	state := "k7Xv2Qm9"
	fmt.Println(cfg.AuthCodeURL(state))
	// Output:
	// https://auth.monzo.com/?client_id=oauth2client_00009abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&response_type=code&state=k7Xv2Qm9
}

func ExampleNewState() {
	state, err := oauth.NewState()
	if err != nil {
		log.Fatal(err)
	}
	// 32 random bytes, base64url without padding: safe in a URL or a cookie.
	fmt.Println(len(state))
	// Output: 43
}

// fakeMonzo starts the emulator on a fake clock for the examples.
func fakeMonzo() (*emulator.Server, *httptest.Server, *oauth.Config) {
	emu, err := emulator.New(emulator.Options{Seed: 7, Clock: emulator.NewFakeClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	c := emu.DefaultClient()
	return emu, srv, &oauth.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		RedirectURL:  c.RedirectURI,
		AuthURL:      srv.URL,
		APIBaseURL:   srv.URL,
		Clock:        emu.Clock().Now,
	}
}

// userApproves stands in for the user's browser on the emulator's consent
// page and returns the URL Monzo redirects to.
func userApproves(authURL string) string {
	redirected, err := submitConsent(http.DefaultTransport, authURL, "allow")
	if err != nil {
		log.Fatal(err)
	}
	return redirected
}

func ExampleConfig_Exchange() {
	emu, srv, cfg := fakeMonzo()
	defer emu.Close()
	defer srv.Close()
	ctx := context.Background()

	state, err := oauth.NewState()
	if err != nil {
		log.Fatal(err)
	}
	// Send the user to cfg.AuthCodeURL(state). Monzo redirects their browser
	// to cfg.RedirectURL?code=…&state=….
	redirected := userApproves(cfg.AuthCodeURL(state))

	cb, err := oauth.ParseCallback(redirected)
	if err != nil {
		log.Fatal(err) // e.g. oauth.ErrAccessDenied
	}
	tok, err := cfg.Exchange(ctx, cb.Code, cb.State, state)
	if err != nil {
		log.Fatal(err) // oauth.ErrStateMismatch, or a *monzo.Error
	}
	fmt.Println("can refresh:", tok.CanRefresh())
	fmt.Println("valid for:", tok.Expiry.Sub(cfg.Clock()))
	fmt.Println(tok.Scope)
	// Output:
	// can refresh: true
	// valid for: 29h59m59s
	// third_party_developer_app.pre_verification
}

func ExampleNewTokenSource() {
	emu, srv, cfg := fakeMonzo()
	defer emu.Close()
	defer srv.Close()
	ctx := context.Background()

	dir, err := os.MkdirTemp("", "monzo-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// In real code, dir comes from os.UserConfigDir (see ExampleNewFileStore).
	store, err := oauth.NewFileStore(filepath.Join(dir, "monzo", "token.json"))
	if err != nil {
		log.Fatal(err)
	}

	// Once, at login: exchange the code and save the token.
	state, _ := oauth.NewState()
	tok, err := cfg.ExchangeCallback(ctx, userApproves(cfg.AuthCodeURL(state)), state)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Save(ctx, tok); err != nil {
		log.Fatal(err)
	}

	// Every run: a token source over the store, wired into the client. It
	// refreshes before expiry and saves each rotated token first.
	ts, err := oauth.NewTokenSource(cfg, store)
	if err != nil {
		log.Fatal(err)
	}
	client, err := monzo.NewClient(monzo.WithTokenSource(ts), monzo.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	who, err := client.WhoAmI(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authenticated:", who.Authenticated, who.UserID == tok.UserID)
	// Output: authenticated: true true
}

// A program keeps the user's token in their configuration directory
// (~/.config/monzo/token.json on Linux), created private (0700) by the
// first Save. This example is compiled but not run, to leave your
// configuration directory alone.
func ExampleNewFileStore() {
	ctx := context.Background()
	dir, err := os.UserConfigDir()
	if err != nil {
		log.Fatal(err)
	}
	store, err := oauth.NewFileStore(filepath.Join(dir, "monzo", "token.json"))
	if err != nil {
		log.Fatal(err)
	}
	tok, err := store.Load(ctx)
	if errors.Is(err, oauth.ErrNoToken) {
		fmt.Println("not logged in: run the login first")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", tok.UserID, "token file", store.Path())
}

func ExampleToken_String() {
	tok := &oauth.Token{
		AccessToken:  "eyJhbGciOiJFUzI1NiIs.secret",
		RefreshToken: "eyJhbGciOiJFUzI1NiIs.secret-too",
		Expiry:       time.Date(2026, 3, 3, 15, 29, 59, 0, time.UTC),
		UserID:       "user_00009238aMBIIrS5Rdncq9",
		TokenType:    "Bearer",
	}
	// fmt and log/slog never show the secrets.
	fmt.Println(tok)
	fmt.Printf("%#v\n", *tok)
	// Output:
	// oauth.Token{AccessToken: [redacted], RefreshToken: [redacted], Expiry: 2026-03-03T15:29:59Z, UserID: "user_00009238aMBIIrS5Rdncq9", ClientID: "", Scope: "", TokenType: "Bearer"}
	// oauth.Token{AccessToken: [redacted], RefreshToken: [redacted], Expiry: 2026-03-03T15:29:59Z, UserID: "user_00009238aMBIIrS5Rdncq9", ClientID: "", Scope: "", TokenType: "Bearer"}
}

func ExampleBareToken() {
	// A token copied from the Monzo API playground: no expiry, no refresh.
	store := oauth.NewMemoryStore(oauth.BareToken("eyJhbGciOiJFUzI1NiIs.playground"))
	ts, err := oauth.NewTokenSource(nil, store)
	if err != nil {
		log.Fatal(err)
	}
	client, err := monzo.NewClient(monzo.WithTokenSource(ts))
	if err != nil {
		log.Fatal(err)
	}
	_ = client // once the API says it expired, calls fail with oauth.ErrCannotRefresh
	tok, _ := ts.Token(context.Background())
	fmt.Println(tok.CanRefresh(), tok.Expiry.IsZero())
	// Output: false true
}
