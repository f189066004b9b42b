// Command auth_step_02 is step 2 of the tutorial "Generating an access
// token": it checks that Monzo's redirect answers step 1's request, then
// exchanges its code for an access token, its expiry and a refresh token,
// and saves them.
//
//	export MONZO_CLIENT_ID=oauth2client_…  MONZO_CLIENT_SECRET=mnzconf.…
//	export MONZO_REDIRECT_URL=http://127.0.0.1/monzo
//	export MONZO_STATE=…            # the state step 1 printed (the one you expect back)
//	export MONZO_REDIRECTED_URL='http://127.0.0.1/monzo?code=…&state=…'   # from the browser's address bar
//	go run ./examples/auth_step_02
//
// MONZO_REDIRECTED_URL is the whole URL Monzo redirected the browser to; its
// state parameter must equal MONZO_STATE. Instead of it you may set
// MONZO_CODE and MONZO_RETURNED_STATE to that URL's code and state
// parameters; both are needed, so the state check is never skipped. If both
// forms are set, MONZO_REDIRECTED_URL wins.
//
// The token is saved to $MONZO_TOKEN_FILE (default ./monzo-token.json, mode
// 0600, in a directory others cannot write to) and printed redacted; pass
// -print-tokens to print it in full. Set MONZO_API_URL to use an emulator.
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

// defaultTokenFile is where the token is saved when MONZO_TOKEN_FILE is unset.
const defaultTokenFile = "monzo-token.json"

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
	expected := getenv("MONZO_STATE")
	if expected == "" {
		fmt.Fprintln(out, "MONZO_STATE is not set: set it to the state step 1 printed (run step 1 again if you lost it)")
		return 1
	}

	var tok *oauth.Token
	var err error
	if redirected := getenv("MONZO_REDIRECTED_URL"); redirected != "" {
		tok, err = cfg.ExchangeCallback(ctx, redirected, expected)
	} else {
		code, returned := getenv("MONZO_CODE"), getenv("MONZO_RETURNED_STATE")
		switch {
		case code == "":
			fmt.Fprintln(out, "set MONZO_REDIRECTED_URL to the whole URL Monzo redirected your browser to (or MONZO_CODE and MONZO_RETURNED_STATE to its code and state parameters)")
			return 1
		case returned == "":
			fmt.Fprintln(out, "MONZO_RETURNED_STATE is not set: with MONZO_CODE, also set MONZO_RETURNED_STATE to the state parameter of the URL Monzo redirected you to (not step 1's MONZO_STATE), or set MONZO_REDIRECTED_URL to the whole URL instead")
			return 1
		}
		tok, err = cfg.Exchange(ctx, code, returned, expected)
	}

	var apiErr *monzo.Error
	switch {
	case errors.Is(err, oauth.ErrStateMismatch), errors.Is(err, oauth.ErrMissingCode), errors.Is(err, oauth.ErrAccessDenied):
		// The tutorial's MonzoAuthenticationError branch. No request was
		// sent and the error holds no secret.
		fmt.Fprintf(out, "State code does not match, or no code was granted: %v\n", err)
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
		path = defaultTokenFile
	}
	store, err := oauth.NewFileStore(path)
	if err == nil {
		path = store.Path()
		err = store.Save(ctx, tok)
	}
	if err != nil {
		// The code is spent, so losing the token would mean logging in again.
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
		fmt.Fprintf(out, "saved to %s (set MONZO_TOKEN_FILE to choose another file)\n", path)
	}
	fmt.Fprintln(out, "Now approve access in the Monzo app.")
	return 0
}
