package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
)

func TestAPIGetWithQueryFields(t *testing.T) {
	e := clitest.New(t)
	e.Golden("whoami", e.MustRun("api", "GET", "/ping/whoami").Out)
	var got struct {
		Accounts []monzo.Account `json:"accounts"`
	}
	res := e.MustRun("api", "get", "/accounts", "-f", "account_type=uk_retail_joint")
	if err := json.Unmarshal([]byte(res.Out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Accounts) != 1 || got.Accounts[0].ID != e.Srv.AccountID(monzo.AccountTypeRetailJoint) {
		t.Errorf("GET /accounts account_type=uk_retail_joint: %+v", got.Accounts)
	}
	res = e.MustRun("api", "GET", "/balance", "-f", "account_id="+e.Srv.AccountID(monzo.AccountTypeRetail), "--jq", ".currency")
	if strings.TrimSpace(res.Out) != "GBP" {
		t.Errorf("--jq .currency printed %q", res.Out)
	}
}

func TestAPIPatchSendsAForm(t *testing.T) {
	e := clitest.New(t)
	page, err := e.Srv.Client.Transactions.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail), &monzo.TransactionListOptions{Since: e.Srv.Clock.Now().AddDate(0, 0, -3)})
	if err != nil || len(page) == 0 {
		t.Fatal(err)
	}
	tx := page[0].ID
	e.MustRun("api", "PATCH", "/transactions/"+tx, "-f", "metadata[trip]=lisbon")
	got, err := e.Srv.Client.Transactions.Get(context.Background(), tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metadata["trip"] != "lisbon" {
		t.Errorf("metadata after PATCH: %v", got.Metadata)
	}
}

func TestAPIErrorsExitWithTheAPICode(t *testing.T) {
	e := clitest.New(t)
	res := e.Run("api", "GET", "/pots")
	if res.Code != 3 || !strings.Contains(res.Err, "bad_request") {
		t.Errorf("GET /pots without account: exit %d, stderr %q; want 3 and Monzo's code", res.Code, res.Err)
	}
}

func TestAPIBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"api", "FETCH", "/accounts"},
		{"api", "GET", "https://evil.example/accounts"},
		{"api", "GET", "/accounts/../oauth2/token"},
		{"api", "GET", "/accounts", "-f", "novalue"},
		{"api", "GET"},
	} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code != 2 || !strings.Contains(res.Err, "hint: ") {
			t.Errorf("monzo %q: exit %d, want 2 and a hint with an example\n%s", args, res.Code, res.Err)
		}
		if n := e.Requests() - before; n != 0 {
			t.Errorf("monzo %q sent %d requests", args, n)
		}
	}
}

// The path may be given with or without its leading slash, as with gh api.
func TestAPIPathWithoutLeadingSlash(t *testing.T) {
	e := clitest.New(t)
	res := e.MustRun("api", "GET", "ping/whoami", "--jq", ".authenticated")
	if strings.TrimSpace(res.Out) != "true" {
		t.Errorf("GET ping/whoami printed %q", res.Out)
	}
}

// A token Monzo has expired while the CLI's clock still trusts it (a skewed
// clock, a token revoked early) is refreshed once and the request retried,
// as every other command does: `monzo api` goes through the library.
func TestAPIRefreshesARefusedExpiredToken(t *testing.T) {
	e := clitest.New(t)
	e.Customize = func(f *cmdutil.Factory) {
		f.Now = func() time.Time { return e.Srv.Clock.Now().Add(-2 * emulator.DefaultAccessTokenTTL) }
	}
	before, _ := e.Srv.Login.Token(context.Background())
	e.Srv.Clock.Advance(emulator.DefaultAccessTokenTTL + time.Minute)
	res := e.Run("api", "GET", "/ping/whoami", "--jq", ".user_id")
	if res.Code != 0 || strings.TrimSpace(res.Out) != e.Srv.User.ID {
		t.Fatalf("api GET /ping/whoami with a token the server expired: exit %d, out %q\n%s", res.Code, res.Out, res.Err)
	}
	if res := e.MustRun("auth", "token"); strings.TrimSpace(res.Out) == before.AccessToken {
		t.Error("the refreshed token was not stored")
	}
}
