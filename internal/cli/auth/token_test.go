package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// A profile without an OAuth client (a pasted token) means the same to
// every command: `auth token` judges the token's expiry by the clock that
// `balance` uses (the factory's), not by another one of its own.
func TestTokenWithoutClientIsJudgedByTheFactoryClock(t *testing.T) {
	// Long before the wall clock's now: a token that expires an hour after
	// the emulator's now has long expired by the wall clock.
	e := clitest.New(t, monzotest.WithStart(time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)))
	tok, err := e.Srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bare := oauth.BareToken(tok.AccessToken)
	bare.UserID = tok.UserID
	bare.Expiry = e.Srv.Clock.Now().Add(time.Hour)
	e.WriteProfile("bare", &oauth.Config{}, bare)
	e.Env["MONZO_PROFILE"] = "bare"

	if got := strings.TrimSpace(e.MustRun("auth", "token").Out); got != tok.AccessToken {
		t.Errorf("auth token printed %q, want the stored token", got)
	}
	e.MustRun("balance")

	e.Srv.Clock.Advance(2 * time.Hour)
	for _, args := range [][]string{{"auth", "token"}, {"balance"}} {
		res := e.Run(args...)
		if res.Code != 4 || !strings.Contains(res.Err, "cannot be refreshed") {
			t.Errorf("monzo %q after the token expired: exit %d, %q; want 4 and why", args, res.Code, res.Err)
		}
	}
}
