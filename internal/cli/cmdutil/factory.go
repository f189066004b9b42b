// Package cmdutil is what the monzo command's subcommands share: the
// factory of lazily built dependencies, exit codes and hints, --json/--jq
// output, argument checks and time parsing.
package cmdutil

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/browser"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/oauth"
)

// Factory builds a command's dependencies on first use, so that `monzo
// --help` reads no configuration and `monzo login` needs no token. Tests
// replace any of its fields.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Getenv reads the environment (os.Getenv outside tests).
	Getenv func(string) string
	// Now is the clock used for token expiry and relative dates.
	Now func() time.Time
	// Location is where dates are shown and "2025-01-01" is midnight.
	Location *time.Location

	// ProfileFlag and Debug are set by the root command's persistent flags.
	ProfileFlag string
	Debug       bool

	// Keyring is the OS keyring; nil means the file store only.
	Keyring authstore.Keyring
	// Browser opens a URL; it must report failure (see package browser).
	Browser func(ctx context.Context, url string) error

	// Config loads the configuration.
	Config func() (*config.Config, error)
	// HTTPClient is the client every request goes through.
	HTTPClient func() (*http.Client, error)
	// TokenStore opens the selected profile's token store.
	TokenStore func() (oauth.Store, error)
	// OAuthConfig is the selected profile's OAuth client.
	OAuthConfig func() (*oauth.Config, error)
	// Client is an API client logged in with the selected profile.
	Client func() (*monzo.Client, error)
	// ClientOptions are added to every API client's options (tests: a
	// retry policy that waits microseconds, not seconds).
	ClientOptions []monzo.Option
}

// New returns the production factory.
func New(ios *iostreams.IOStreams, getenv func(string) string) *Factory {
	f := &Factory{
		IOStreams: ios,
		Getenv:    getenv,
		Now:       time.Now,
		Location:  time.Local,
		Keyring:   authstore.SystemKeyring{},
		Browser:   browser.Open,
	}
	if getenv("MONZO_NO_KEYRING") != "" {
		f.Keyring = nil
	}
	f.Config = sync.OnceValues(func() (*config.Config, error) {
		dir, err := config.Dir(f.Getenv)
		if err != nil {
			return nil, err
		}
		return config.Load(dir)
	})
	f.HTTPClient = sync.OnceValues(func() (*http.Client, error) {
		var rt http.RoundTripper = http.DefaultTransport
		if f.Debug {
			rt = &DebugTransport{Next: rt, Out: f.IOStreams.ErrOut}
		}
		// The library raises the timeout for attachment uploads itself.
		return &http.Client{Transport: rt, Timeout: monzo.DefaultTimeout}, nil
	})
	f.TokenStore = func() (oauth.Store, error) {
		// A name no login can have would only ever say "not logged in".
		if err := config.ValidateProfileName(f.Profile()); err != nil {
			return nil, &UsageError{Err: err}
		}
		stores, err := f.Stores()
		if err != nil {
			return nil, err
		}
		return stores.Open(f.Profile())
	}
	f.OAuthConfig = func() (*oauth.Config, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		hc, err := f.HTTPClient()
		if err != nil {
			return nil, err
		}
		p := cfg.Profile(f.Profile())
		return &oauth.Config{
			ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: p.RedirectURL,
			AuthURL: p.AuthURL, APIBaseURL: p.APIURL, HTTPClient: hc, Clock: f.Now,
		}, nil
	}
	f.Client = sync.OnceValues(func() (*monzo.Client, error) {
		store, oc, err := f.login()
		if err != nil {
			return nil, err
		}
		return f.NewAPIClient(oc, store)
	})
	return f
}

// Stores returns the token stores of the configuration.
func (f *Factory) Stores() (authstore.Stores, error) {
	cfg, err := f.Config()
	if err != nil {
		return authstore.Stores{}, err
	}
	return authstore.Stores{Config: cfg, Keyring: f.Keyring}, nil
}

// Profile is the selected profile: --profile, else $MONZO_PROFILE, else
// "default".
func (f *Factory) Profile() string {
	if f.ProfileFlag != "" {
		return f.ProfileFlag
	}
	if p := f.Getenv("MONZO_PROFILE"); p != "" {
		return p
	}
	return config.DefaultProfile
}

// NewAPIClient returns a client reading tokens from store and refreshing
// them with oc. The client and the token source share oc's API URL, so a
// refresh token never goes to a host other than the one the API calls go
// to.
func (f *Factory) NewAPIClient(oc *oauth.Config, store oauth.Store) (*monzo.Client, error) {
	ts, err := NewTokenSource(oc, store)
	if err != nil {
		return nil, err
	}
	opts := []monzo.Option{
		monzo.WithTokenSource(ts), monzo.WithHTTPClient(oc.HTTPClient),
		monzo.WithUserAgent("monzokit-cli"), monzo.WithClock(f.Now),
	}
	if oc.APIBaseURL != "" {
		opts = append(opts, monzo.WithBaseURL(oc.APIBaseURL))
	}
	opts = append(opts, f.ClientOptions...)
	if f.Debug {
		opts = append(opts, monzo.WithLogger(slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	return monzo.NewClient(opts...)
}

// NewTokenSource returns the source of store's tokens, refreshed with oc:
// the one rule for what a profile without an OAuth client (a pasted
// playground token) means. Its token is never refreshed, but it is still
// sent to oc's API host, through oc's HTTP client, and its expiry is
// judged by oc's clock, as for any other profile.
func NewTokenSource(oc *oauth.Config, store oauth.Store) (*oauth.TokenSource, error) {
	if oc.ClientID == "" && oc.ClientSecret == "" {
		oc = &oauth.Config{APIBaseURL: oc.APIBaseURL, HTTPClient: oc.HTTPClient, Clock: oc.Clock}
	}
	return oauth.NewTokenSource(oc, store)
}

// TokenSource is the selected profile's token source (see NewTokenSource).
func (f *Factory) TokenSource() (*oauth.TokenSource, error) {
	store, oc, err := f.login()
	if err != nil {
		return nil, err
	}
	return NewTokenSource(oc, store)
}

// login is the selected profile's token store and OAuth client, in that
// order, so that a profile that is not logged in says so first.
func (f *Factory) login() (oauth.Store, *oauth.Config, error) {
	store, err := f.TokenStore()
	if err != nil {
		return nil, nil, err
	}
	oc, err := f.OAuthConfig()
	if err != nil {
		return nil, nil, err
	}
	return store, oc, nil
}

// LoadToken reads the selected profile's token, without sending anything;
// a profile without one is a "not logged in" error naming the profile.
func (f *Factory) LoadToken(ctx context.Context) (oauth.Store, *oauth.Token, error) {
	store, err := f.TokenStore()
	if err != nil {
		return nil, nil, err
	}
	tok, err := store.Load(ctx)
	if errors.Is(err, oauth.ErrNoToken) {
		return nil, nil, &authstore.NotLoggedInError{Profile: f.Profile()}
	}
	if err != nil {
		return nil, nil, err
	}
	return store, tok, nil
}
