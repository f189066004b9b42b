package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/oauth"
)

// loginWithToken stores an access token read from stdin (from the API
// playground) after checking that Monzo accepts it. It cannot be
// refreshed: the profile keeps no client.
func loginWithToken(ctx context.Context, opts *LoginOptions, cfg *config.Config, s settings, hc *http.Client) error {
	line, err := cmdutil.ReadLine(ctx, opts.IO.In)
	if err != nil {
		return err
	}
	access := strings.TrimSpace(line)
	if access == "" || strings.ContainsAny(access, " \t") {
		return cmdutil.Usagef("--with-token: stdin must hold one access token")
	}
	opt := []monzo.Option{monzo.WithAccessToken(access), monzo.WithHTTPClient(hc), monzo.WithUserAgent("monzokit-cli")}
	if s.APIURL != "" {
		opt = append(opt, monzo.WithBaseURL(s.APIURL))
	}
	client, err := monzo.NewClient(opt...)
	if err != nil {
		return err
	}
	who, err := client.WhoAmI(ctx)
	if err != nil {
		return err
	}
	if !who.Authenticated {
		return cmdutil.WithHint(fmt.Errorf("this token is not accepted by Monzo (whoami says it is not authenticated)"), "copy a fresh token from the API playground")
	}
	tok := oauth.BareToken(access)
	tok.UserID, tok.ClientID = who.UserID, who.ClientID
	// A playground token belongs to no client of ours: drop the client
	// settings so that nothing tries to refresh it.
	s.Profile = config.Profile{APIURL: s.APIURL, AuthURL: s.AuthURL, TokenStore: s.TokenStore}
	if _, where, err := save(context.WithoutCancel(ctx), opts, cfg, s, tok); err != nil {
		return err
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "%s Logged in as %s with a token that cannot be refreshed; saved to %s.\n", opts.IO.Green("✓"), who.UserID, where)
		return writeLoginResult(ctx, opts, loginResult{Profile: s.profile, UserID: who.UserID, ClientID: who.ClientID, TokenLocation: where, Approval: "unknown"})
	}
}

func decodeJSON(r io.Reader, v any) error {
	return json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(v)
}
