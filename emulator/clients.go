package emulator

import (
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"time"
)

// OAuthClient is a registered OAuth client, as created on
// developers.monzo.com. (Not to be confused with monzo.Client, the API
// client that talks to it.)
type OAuthClient struct {
	// ID is the client_id, "oauth2client_…".
	ID string `json:"client_id"`
	// Secret is the client_secret: "mnzconf.…" for confidential clients,
	// "mnzpub.…" for non-confidential ones.
	Secret string `json:"client_secret"`
	Name   string `json:"name"`
	// RedirectURI is the one registered redirect URI; authorization
	// requests and code exchanges must match it exactly.
	RedirectURI string `json:"redirect_uri"`
	// Confidential clients get refresh tokens; others never do.
	Confidential bool `json:"confidential"`
}

// ClientOptions describe a client to register with [Server.RegisterClient].
type ClientOptions struct {
	// Name is shown on the consent page; "" means "Test client N".
	Name string `json:"name"`
	// RedirectURI is the client's one redirect URI; "" means the server's
	// default (Options.RedirectURI).
	RedirectURI string `json:"redirect_uri"`
	// Confidential selects a confidential client (one that gets refresh
	// tokens).
	Confidential bool `json:"confidential"`
}

// DefaultClient returns the confidential client registered from the seed.
// Its id and secret depend only on the seed.
func (s *Server) DefaultClient() OAuthClient { return s.bank.DefaultClient() }

// Clients lists the registered clients, the default client first.
func (s *Server) Clients() []OAuthClient { return s.bank.Clients() }

// MustRegisterClient is RegisterClient for tests and examples: it panics
// on an error.
func (s *Server) MustRegisterClient(opts ClientOptions) OAuthClient {
	c, err := s.RegisterClient(opts)
	if err != nil {
		panic(err)
	}
	return c
}

// RegisterClient registers another OAuth client and returns it, secret
// included. It fails if opts.RedirectURI is not an absolute http(s) URL.
func (s *Server) RegisterClient(opts ClientOptions) (OAuthClient, error) {
	return s.bank.RegisterClient(opts)
}

func clientSecretPrefix(confidential bool) string {
	if confidential {
		return "mnzconf."
	}
	return "mnzpub."
}

// addDefaultClient registers the seed's default confidential client. Its id
// and secret come from their own seeded stream (and a fixed creation time),
// so they are the same for a seed whatever the clock says.
func addDefaultClient(st *state, seed int64, redirectURI string) {
	rng := mrand.New(mrand.NewPCG(uint64(seed), 0x5eed5eed0c11e47))
	g := &idGen{rng: rng}
	created := time.Date(2022, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(86400*300)) * time.Second)
	c := &OAuthClient{
		ID:           g.newID("oauth2client", created),
		Secret:       "mnzconf." + seededString(rng, 86),
		Name:         "Monzo Emulator Default Client",
		RedirectURI:  redirectURI,
		Confidential: true,
	}
	st.clients[c.ID] = c
	st.clientOrder = append([]string{c.ID}, st.clientOrder...)
	st.defaultClientID = c.ID
}

// validateRedirectURI accepts absolute http and https URLs without a
// fragment (custom schemes for native apps are accepted too).
func validateRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("redirect URI %q: %w", raw, err)
	}
	if u.Scheme == "" || (u.Host == "" && (u.Scheme == "http" || u.Scheme == "https")) {
		return fmt.Errorf("redirect URI %q must be an absolute URL", raw)
	}
	if u.Fragment != "" {
		return errors.New("redirect URI must not contain a fragment")
	}
	return nil
}
