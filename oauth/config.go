package oauth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/weburl"
)

// DefaultAuthURL is where users go to authorize a client.
const DefaultAuthURL = "https://auth.monzo.com"

// DefaultAPIBaseURL is the API host that serves /oauth2/token and /oauth2/logout.
const DefaultAPIBaseURL = monzo.DefaultBaseURL

// DefaultHTTPTimeout bounds each token and logout request when
// [Config].HTTPClient is nil, so that a server that never answers cannot
// block a call made with a context that has no deadline. Token requests are
// small; 30 seconds leaves room for a slow network. Set HTTPClient (with
// its own Timeout, or none) to choose another bound.
const DefaultHTTPTimeout = 30 * time.Second

// Config describes a Monzo OAuth client, as registered at
// https://developers.monzo.com. The zero values of the optional fields
// select Monzo's hosts, an HTTP client with a [DefaultHTTPTimeout] and the
// system clock. A Config
// must not be modified while it is in use.
type Config struct {
	// ClientID is the client's id ("oauth2client_…"). Required.
	ClientID string
	// ClientSecret is the client's secret ("mnzconf.…" for confidential
	// clients, "mnzpub.…" for non-confidential ones). Required to exchange a
	// code or refresh a token. It is never logged or put in errors.
	ClientSecret string
	// RedirectURL must exactly match the redirect URL registered on the
	// client (127.0.0.1 and localhost differ). Required.
	RedirectURL string
	// AuthURL is the authorization page; empty means [DefaultAuthURL]. A path
	// or query on it is kept.
	AuthURL string
	// APIBaseURL is the API host; empty means [DefaultAPIBaseURL]. A path on
	// it is kept (oauth2/token is joined under it).
	APIBaseURL string
	// HTTPClient sends the token and logout requests; nil means a client
	// like [http.DefaultClient] but with a Timeout of [DefaultHTTPTimeout].
	HTTPClient *http.Client
	// Clock returns the current time; nil means [time.Now]. Token expiries
	// are computed from it, and [TokenSource] uses it to decide when to
	// refresh. Tests set it to an emulator's fake clock.
	Clock func() time.Time
}

// Validate reports a misconfiguration: a missing client id or redirect URL,
// or a URL that is not absolute http(s). The client secret is checked only
// when it is needed (by [Config.Exchange] and [Config.Refresh]), so that an
// auth URL can be built without it.
func (c *Config) Validate() error {
	if c == nil {
		return invalid(errors.New("oauth: nil *Config"))
	}
	var problems []string
	if strings.TrimSpace(c.ClientID) == "" {
		problems = append(problems, "ClientID is empty (copy the client id from https://developers.monzo.com)")
	}
	if strings.TrimSpace(c.RedirectURL) == "" {
		problems = append(problems, "RedirectURL is empty (use the redirect URL registered on the client)")
	} else if err := checkAbsolute(c.RedirectURL); err != nil {
		problems = append(problems, "RedirectURL "+err.Error())
	}
	if c.AuthURL != "" {
		if err := checkAbsolute(c.AuthURL); err != nil {
			problems = append(problems, "AuthURL "+err.Error())
		}
	}
	if c.APIBaseURL != "" {
		if err := checkAbsolute(c.APIBaseURL); err != nil {
			problems = append(problems, "APIBaseURL "+err.Error())
		}
	}
	if len(problems) > 0 {
		return invalid(fmt.Errorf("oauth: invalid Config: %s", strings.Join(problems, "; ")))
	}
	return nil
}

// validateForTokens adds the checks needed to call the token endpoint.
func (c *Config) validateForTokens() error {
	if err := c.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(c.ClientSecret) == "" {
		return invalid(errors.New("oauth: invalid Config: ClientSecret is empty (copy the client secret from https://developers.monzo.com)"))
	}
	return nil
}

func checkAbsolute(raw string) error {
	if !weburl.Valid(raw) {
		return fmt.Errorf("%q is not an absolute http(s) URL", weburl.RedactQuery(raw))
	}
	return nil
}

// NewState returns a random, unguessable state for one login: 32 bytes
// from crypto/rand, base64url-encoded without padding. Keep it (in a cookie
// or in memory) and give it to [Config.Exchange] with the state the redirect
// returns.
func NewState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oauth: generating a state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// AuthCodeURL returns the URL to send the user to. It carries client_id,
// redirect_uri, response_type=code and state, URL-encoded, after any query
// AuthURL already has. Make state with [NewState]. Call [Config.Validate]
// first to catch a misconfiguration; AuthCodeURL itself cannot fail.
func (c *Config) AuthCodeURL(state string) string {
	u, err := url.Parse(c.authURL())
	if err != nil {
		// Validate reports this; build something a browser shows as broken
		// rather than panicking.
		u = &url.URL{Path: c.authURL()}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	q := u.Query()
	q.Set("client_id", c.ClientID)
	q.Set("redirect_uri", c.RedirectURL)
	q.Set("response_type", "code")
	q.Set("state", state)
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String()
}

func (c *Config) authURL() string {
	if c.AuthURL == "" {
		return DefaultAuthURL
	}
	return c.AuthURL
}

// apiBaseURL returns APIBaseURL or its default.
func (c *Config) apiBaseURL() string {
	if c == nil || c.APIBaseURL == "" {
		return DefaultAPIBaseURL
	}
	return c.APIBaseURL
}

// endpoint returns the URL of an API path such as "oauth2/token".
func (c *Config) endpoint(path string) (string, error) {
	base := c.apiBaseURL()
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", invalid(fmt.Errorf("oauth: APIBaseURL %q is not an absolute http(s) URL", weburl.RedactQuery(base)))
	}
	u.RawQuery, u.Fragment = "", ""
	return u.JoinPath(path).String(), nil
}

func (c *Config) httpClient() *http.Client {
	if c == nil || c.HTTPClient == nil {
		// A new client per call keeps no package-level state; it shares
		// http.DefaultTransport and its connection pool.
		return &http.Client{Timeout: DefaultHTTPTimeout}
	}
	return c.HTTPClient
}

func (c *Config) now() time.Time {
	if c == nil || c.Clock == nil {
		return time.Now()
	}
	return c.Clock()
}

// checkResponse is monzo.CheckResponse on the Config's clock: a
// Retry-After date from the token endpoint is measured from c.now(), like
// every expiry this package computes, so the error's RetryAfter is what the
// server asked for even when Clock is far from the wall clock.
func (c *Config) checkResponse(resp *http.Response) error {
	return monzo.CheckResponseAt(resp, c.now())
}

// urlWithRootPath gives an origin-only URL the path "/", as AuthCodeURL does.
func urlWithRootPath(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}
