// Command auth_step_02 is step 2 of the tutorial "Generating an access
// token": it checks that Monzo's redirect answers step 1's request, then
// exchanges its code for an access token, its expiry and a refresh token,
// and saves them.
//
//	export MONZO_CLIENT_ID=oauth2client_…  MONZO_CLIENT_SECRET=mnzconf.…
//	export MONZO_REDIRECT_URL=http://127.0.0.1:8789/callback
//	export MONZO_STATE=…            # the state step 1 printed (the one you expect back)
//	export MONZO_REDIRECTED_URL='http://127.0.0.1:8789/callback?code=…&state=…'   # from the browser's address bar
//	go run ./examples/auth_step_02
//
// MONZO_REDIRECTED_URL is the whole URL Monzo redirected the browser to; its
// state parameter must equal MONZO_STATE. Instead of it you may set
// MONZO_CODE and MONZO_RETURNED_STATE to that URL's code and state
// parameters; both are needed, so the state check is never skipped. If both
// forms are set, MONZO_REDIRECTED_URL wins.
//
// The token is saved to $MONZO_TOKEN_FILE (default monzo/monzo-token.json in
// the user's configuration directory, such as ~/.config on Linux: never in
// the current directory, where it could end up in git), mode 0600 in a
// directory others cannot write to, and printed redacted; pass
// -print-tokens to print it in full. Set MONZO_API_URL to use an emulator.
// Run it with -h for the full list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/examples/internal/cmdline"
	"github.com/monzokit/monzo/oauth"
)

const usage = `usage: auth_step_02 [-print-tokens]

Checks that Monzo's redirect answers step 1's request, exchanges its code for
a token (step 2 of the tutorial "Generating an access token") and saves it.

Flags:
  -print-tokens  print the access and refresh tokens in full (they are
                 redacted by default)

Environment:
  MONZO_CLIENT_ID       the client id from developers.monzo.com (required)
  MONZO_CLIENT_SECRET   the client secret, mnzconf.… (required)
  MONZO_REDIRECT_URL    the redirect URL registered on the client
                        (default http://127.0.0.1:8789/callback)
  MONZO_STATE           the state step 1 printed (required)
  MONZO_REDIRECTED_URL  the whole URL Monzo redirected the browser to, from
                        its address bar (or set the next two instead)
  MONZO_CODE            the code parameter of that URL
  MONZO_RETURNED_STATE  the state parameter of that URL
  MONZO_TOKEN_FILE      where to save the token (default
                        <config dir>/monzo/monzo-token.json, e.g.
                        ~/.config/monzo/monzo-token.json on Linux)
  MONZO_API_URL         the API (default https://api.monzo.com; set it to an
                        emulator's URL to use the emulator)
`

// defaultTokenFile is the token file's name under the user's configuration
// directory when MONZO_TOKEN_FILE is unset.
var defaultTokenFile = filepath.Join("monzo", "monzo-token.json")

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status. Results go to stdout,
// errors and hints to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	flags := cmdline.NewFlagSet("auth_step_02", stderr)
	printTokens := flags.Bool("print-tokens", false, "print the access and refresh tokens in full")
	if status, ok := cmdline.Parse(flags, args, usage, stdout, stderr); !ok {
		return status
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, format+"\n", args...)
		return 1
	}

	apiURL := getenv("MONZO_API_URL") // "" means https://api.monzo.com
	cfg := &oauth.Config{
		ClientID:     getenv("MONZO_CLIENT_ID"),
		ClientSecret: getenv("MONZO_CLIENT_SECRET"),
		RedirectURL:  getenv("MONZO_REDIRECT_URL"),
		APIBaseURL:   apiURL,
	}
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = "http://127.0.0.1:8789/callback"
	}
	expected := getenv("MONZO_STATE")
	if expected == "" {
		return fail("MONZO_STATE is not set: set it to the state step 1 printed (run step 1 again if you lost it)")
	}

	var tok *oauth.Token
	var err error
	if redirected := getenv("MONZO_REDIRECTED_URL"); redirected != "" {
		tok, err = cfg.ExchangeCallback(ctx, redirected, expected)
	} else {
		code, returned := getenv("MONZO_CODE"), getenv("MONZO_RETURNED_STATE")
		switch {
		case code == "":
			return fail("set MONZO_REDIRECTED_URL to the whole URL Monzo redirected your browser to (or MONZO_CODE and MONZO_RETURNED_STATE to its code and state parameters)")
		case returned == "":
			return fail("MONZO_RETURNED_STATE is not set: with MONZO_CODE, also set MONZO_RETURNED_STATE to the state parameter of the URL Monzo redirected you to (not step 1's MONZO_STATE), or set MONZO_REDIRECTED_URL to the whole URL instead")
		}
		tok, err = cfg.Exchange(ctx, code, returned, expected)
	}
	if err != nil {
		return fail("%s", explain(err, apiURL))
	}

	path := getenv("MONZO_TOKEN_FILE")
	if path == "" {
		dir, derr := os.UserConfigDir()
		if derr != nil {
			err = fmt.Errorf("finding your configuration directory: %w; set MONZO_TOKEN_FILE", derr)
		}
		path = filepath.Join(dir, defaultTokenFile)
	}
	if err == nil {
		var store *oauth.FileStore
		if store, err = oauth.NewFileStore(path); err == nil {
			path = store.Path()
			err = store.Save(ctx, tok)
		}
	}
	if err != nil {
		// The code is spent, so losing the token would mean logging in again.
		fmt.Fprintf(stderr, "could not save the token (%v); it is printed below so it is not lost\n", err)
		*printTokens = true
	}

	access, refresh := "(redacted)", "(redacted)"
	if *printTokens {
		access, refresh = tok.AccessToken, tok.RefreshToken
	}
	if tok.RefreshToken == "" {
		refresh = "(none: the client is not confidential)"
	}
	fmt.Fprintf(stdout, "access_token = '%s'\n", access)
	fmt.Fprintf(stdout, "expiry = %d (%s)\n", tok.Expiry.Unix(), tok.Expiry.Format(time.RFC3339))
	fmt.Fprintf(stdout, "refresh_token = '%s'\n", refresh)
	if err == nil {
		fmt.Fprintf(stdout, "saved to %s (set MONZO_TOKEN_FILE to choose another file)\n", path)
	}
	if isEmulator(apiURL) {
		// The emulator has no Monzo app: its control plane approves.
		body := fmt.Sprintf(`{"client_id":%q,"user_id":%q}`, tok.ClientID, tok.UserID)
		fmt.Fprintf(stdout, "Now approve access in the Monzo app; this emulator has none, so approve through its control plane:\n\n  curl -X POST %s -d '%s'\n",
			strings.TrimSuffix(apiURL, "/")+"/_emulator/approve", body)
	} else {
		fmt.Fprintln(stdout, "Now approve access in the Monzo app.")
	}
	return 0
}

// isEmulator reports whether the API URL names something other than
// Monzo's API, such as the emulator.
func isEmulator(apiURL string) bool {
	if apiURL == "" {
		return false
	}
	u, err := url.Parse(apiURL)
	return err != nil || !strings.EqualFold(u.Hostname(), "api.monzo.com")
}

// explain turns a failed exchange into a message with a hint on what to do.
// None of the errors holds a secret.
func explain(err error, apiURL string) string {
	var apiErr *monzo.Error
	var netErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, oauth.ErrMissingCode):
		return fmt.Sprintf("State code does not match, or no code was granted: %v\nhint: the redirected URL carries no code. After you allow access, copy the whole URL from the browser's address bar: it ends in ?code=…&state=…", err)
	case errors.Is(err, oauth.ErrStateMismatch), errors.Is(err, oauth.ErrAccessDenied):
		// The tutorial's MonzoAuthenticationError branch. No request was
		// sent and the error holds no secret.
		return fmt.Sprintf("State code does not match, or no code was granted: %v", err)
	case errors.As(err, &apiErr):
		// The tutorial's MonzoServerError branch.
		msg := fmt.Sprintf("Monzo Server Error: %v", apiErr)
		switch {
		case apiErr.OAuthError == "invalid_client" || apiErr.HasCode("unauthorized.bad_client_credentials"):
			msg += "\nhint: Monzo does not accept this client id and secret: copy MONZO_CLIENT_ID and MONZO_CLIENT_SECRET again from your client at developers.monzo.com (against an emulator, from the client it printed)"
		case apiErr.OAuthError == "invalid_grant" || apiErr.HasCode("bad_request.bad_authorization_code"):
			msg += "\nhint: codes are single-use and expire after a few minutes: run step 1 again, allow access, and run step 2 straight away"
		}
		return msg
	case errors.As(err, &netErr), errors.As(err, &dnsErr):
		where := apiURL
		if where == "" {
			where = oauth.DefaultAPIBaseURL
		}
		return fmt.Sprintf("%v\nhint: could not reach the API at %s: check MONZO_API_URL (unset means %s) and, when using the emulator, that it is running (go run ./cmd/monzo-emulator)", err, where, oauth.DefaultAPIBaseURL)
	}
	return err.Error()
}
