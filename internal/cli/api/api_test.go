package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
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
		{"api", "GET", "accounts"},
		{"api", "GET", "https://evil.example/accounts"},
		{"api", "GET", "/accounts", "-f", "novalue"},
		{"api", "GET"},
	} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code != 2 {
			t.Errorf("monzo %q: exit %d, want 2\n%s", args, res.Code, res.Err)
		}
		if n := e.Requests() - before; n != 0 {
			t.Errorf("monzo %q sent %d requests", args, n)
		}
	}
}
