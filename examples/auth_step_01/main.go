// Command auth_step_01 is step 1 of the tutorial "Generating an access
// token": it prints the URL that sends you to Monzo to allow access.
//
//	export MONZO_CLIENT_ID=oauth2client_…   # from developers.monzo.com
//	export MONZO_REDIRECT_URL=http://127.0.0.1:8789/callback
//	go run ./examples/auth_step_01
//
// Set MONZO_AUTH_URL to point at an emulator (e.g. http://127.0.0.1:8080)
// instead of https://auth.monzo.com. Run it with -h for the full list.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/monzokit/monzo/examples/internal/cmdline"
	"github.com/monzokit/monzo/oauth"
)

const usage = `usage: auth_step_01 [-h]

Prints the URL that sends you to Monzo to allow access (step 1 of the
tutorial "Generating an access token"), and the state to keep for step 2.

Environment:
  MONZO_CLIENT_ID     the client id from developers.monzo.com (required)
  MONZO_REDIRECT_URL  the redirect URL registered on the client
                      (default http://127.0.0.1:8789/callback)
  MONZO_AUTH_URL      the authorization page (default https://auth.monzo.com;
                      set it to an emulator's URL to use the emulator)

Then open the URL, allow access, and run auth_step_02.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	flags := cmdline.NewFlagSet("auth_step_01", stderr)
	if status, ok := cmdline.Parse(flags, args, usage, stdout, stderr); !ok {
		return status
	}
	cfg := &oauth.Config{
		ClientID:    getenv("MONZO_CLIENT_ID"),
		RedirectURL: getenv("MONZO_REDIRECT_URL"),
		AuthURL:     getenv("MONZO_AUTH_URL"), // "" means https://auth.monzo.com
	}
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = "http://127.0.0.1:8789/callback"
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "auth_step_01: %v\nset MONZO_CLIENT_ID (and MONZO_REDIRECT_URL) to the values of your client at developers.monzo.com; run with -h for every setting\n", err)
		return 1
	}
	state, err := oauth.NewState()
	if err != nil {
		fmt.Fprintf(stderr, "auth_step_01: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "Visit this URL in your browser and log in to Monzo:")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "  "+cfg.AuthCodeURL(state))
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Keep the state for step 2; it proves the redirect answers this request:")
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "  export MONZO_STATE=%s\n", state)
	return 0
}
