// Command auth_step_02 is step 2 of the tutorial "Generating an access
// token": it exchanges the code from Monzo's redirect for an access token,
// its expiry and a refresh token, and saves them.
//
//	export MONZO_CLIENT_ID=oauth2client_…  MONZO_CLIENT_SECRET=mnzconf.…
//	export MONZO_REDIRECT_URL=http://127.0.0.1/monzo
//	export MONZO_STATE=…       # printed by step 1
//	export MONZO_CODE=…        # the code parameter of the URL Monzo redirected you to
//	go run ./examples/auth_step_02
//
// Instead of MONZO_CODE you may set MONZO_REDIRECTED_URL to the whole URL
// from the browser's address bar. Set MONZO_API_URL to use an emulator.
// Tokens are saved to MONZO_TOKEN_FILE (default ./monzo-token.json, mode
// 0600) and printed redacted; pass -print-tokens to print them in full.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
)

func main() {
	printTokens := flag.Bool("print-tokens", false, "print the access and refresh tokens in full")
	flag.Parse()
	os.Exit(run(context.Background(), os.Getenv, os.Stdout, *printTokens))
}

func run(ctx context.Context, getenv func(string) string, out io.Writer, printTokens bool) int {
	cfg := &oauth.Config{
		ClientID:     getenv("MONZO_CLIENT_ID"),
		ClientSecret: getenv("MONZO_CLIENT_SECRET"),
		RedirectURL:  getenv("MONZO_REDIRECT_URL"),
		APIBaseURL:   getenv("MONZO_API_URL"), // "" means https://api.monzo.com
	}
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = "http://127.0.0.1/monzo"
	}
	code, state := getenv("MONZO_CODE"), getenv("MONZO_STATE")
	if redirected := getenv("MONZO_REDIRECTED_URL"); redirected != "" {
		cb, err := oauth.ParseCallback(redirected)
		if err != nil {
			fmt.Fprintln(out, err)
			return 1
		}
		code = cb.Code
		if cb.State != state {
			fmt.Fprintln(out, "State code does not match")
			return 1
		}
	}

	tok, err := cfg.Exchange(ctx, code, state, state)
	var apiErr *monzo.Error
	switch {
	case errors.Is(err, oauth.ErrStateMismatch), errors.Is(err, oauth.ErrMissingCode):
		// The tutorial's MonzoAuthenticationError branch.
		fmt.Fprintln(out, "State code does not match (or no code): run step 1 again and use its state and the new code")
		return 1
	case errors.As(err, &apiErr):
		// The tutorial's MonzoServerError branch.
		fmt.Fprintf(out, "Monzo Server Error: %v\n", apiErr)
		return 1
	case err != nil:
		fmt.Fprintln(out, err)
		return 1
	}

	path := getenv("MONZO_TOKEN_FILE")
	if path == "" {
		path = "monzo-token.json"
	}
	store, err := oauth.NewFileStore(path)
	if err == nil {
		err = store.Save(ctx, tok)
	}
	if err != nil {
		fmt.Fprintf(out, "could not save the token (%v); it is printed below so it is not lost\n", err)
		printTokens = true
	}

	access, refresh := "(redacted)", "(redacted)"
	if printTokens {
		access, refresh = tok.AccessToken, tok.RefreshToken
	}
	if tok.RefreshToken == "" {
		refresh = "(none: the client is not confidential)"
	}
	fmt.Fprintf(out, "access_token = '%s'\n", access)
	fmt.Fprintf(out, "expiry = %d (%s)\n", tok.Expiry.Unix(), tok.Expiry.Format(time.RFC3339))
	fmt.Fprintf(out, "refresh_token = '%s'\n", refresh)
	if err == nil {
		fmt.Fprintf(out, "saved to %s\n", path)
	}
	fmt.Fprintln(out, "Now approve access in the Monzo app.")
	return 0
}
