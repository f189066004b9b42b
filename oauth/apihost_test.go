package oauth_test

import (
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
)

// TestClientAndTokenSourceAgreeOnTheAPIHost checks that monzo.NewClient
// refuses a TokenSource that would refresh (sending the refresh token and
// client secret) at another host than the one the client talks to, the
// classic case being a client pointed at an emulator with oauth.Config's
// APIBaseURL left to its default, api.monzo.com.
func TestClientAndTokenSourceAgreeOnTheAPIHost(t *testing.T) {
	e := newEnv(t)
	tok := oauth.BareToken("tok")
	source := func(apiBase string) *oauth.TokenSource {
		cfg := e.config(e.client)
		cfg.APIBaseURL = apiBase
		ts, err := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(tok))
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	noConfig, err := oauth.NewTokenSource(nil, oauth.NewMemoryStore(tok))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		ts      *oauth.TokenSource
		opts    []monzo.Option
		refused bool
	}{
		{"default API URL, client on the emulator", source(""), []monzo.Option{monzo.WithBaseURL(e.srv.URL)}, true},
		{"emulator API URL, client on the default", source(e.srv.URL), nil, true},
		{"different path", source(e.srv.URL + "/a"), []monzo.Option{monzo.WithBaseURL(e.srv.URL + "/b")}, true},
		{"same URL", source(e.srv.URL), []monzo.Option{monzo.WithBaseURL(e.srv.URL)}, false},
		{"same URL, trailing slash and case", source(e.srv.URL + "/"), []monzo.Option{monzo.WithBaseURL(strings.ToUpper(e.srv.URL[:4]) + e.srv.URL[4:])}, false},
		{"both default", source(""), nil, false},
		{"no Config: never refreshes", noConfig, []monzo.Option{monzo.WithBaseURL(e.srv.URL)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.ts.APIBaseURL(); c.ts != noConfig && got == "" {
				t.Fatal("APIBaseURL is empty")
			}
			_, err := monzo.NewClient(append([]monzo.Option{monzo.WithTokenSource(c.ts)}, c.opts...)...)
			if c.refused {
				if err == nil {
					t.Fatal("NewClient accepted a token source refreshing at another host")
				}
				if !strings.HasPrefix(err.Error(), "monzo: ") || !strings.Contains(err.Error(), "APIBaseURL") {
					t.Errorf("error %q should start with monzo: and say what to set", err)
				}
			} else if err != nil {
				t.Fatalf("NewClient = %v", err)
			}
		})
	}
}
