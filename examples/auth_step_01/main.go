// Command auth_step_01 is step 1 of the tutorial "Generating an access
// token": it prints the URL that sends you to Monzo to allow access.
//
//	export MONZO_CLIENT_ID=oauth2client_…   # from developers.monzo.com
//	export MONZO_REDIRECT_URL=http://127.0.0.1/monzo
//	go run ./examples/auth_step_01
//
// Set MONZO_AUTH_URL to point at an emulator (e.g. http://127.0.0.1:8080)
// instead of https://auth.monzo.com.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/monzokit/monzo/oauth"
)

func main() {
	if err := run(os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(getenv func(string) string, out io.Writer) error {
	cfg := &oauth.Config{
		ClientID:    getenv("MONZO_CLIENT_ID"),
		RedirectURL: getenv("MONZO_REDIRECT_URL"),
		AuthURL:     getenv("MONZO_AUTH_URL"), // "" means https://auth.monzo.com
	}
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = "http://127.0.0.1/monzo"
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w\nset MONZO_CLIENT_ID (and MONZO_REDIRECT_URL) to the values of your client at developers.monzo.com", err)
	}
	state, err := oauth.NewState()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Visit this URL in your browser and log in to Monzo:")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "  "+cfg.AuthCodeURL(state))
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Keep the state for step 2; it proves the redirect answers this request:")
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  export MONZO_STATE=%s\n", state)
	return nil
}
