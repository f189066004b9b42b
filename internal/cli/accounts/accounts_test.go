package accounts_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

func TestWhoAmI(t *testing.T) {
	e := clitest.New(t)
	e.TTY = true
	e.Golden("whoami", e.MustRun("whoami").Out)

	e.TTY = false
	var got struct {
		UserID, ClientID string
		Authenticated    bool
	}
	res := e.MustRun("whoami", "--json")
	var raw map[string]any
	if err := json.Unmarshal([]byte(res.Out), &raw); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, res.Out)
	}
	got.UserID, _ = raw["user_id"].(string)
	got.ClientID, _ = raw["client_id"].(string)
	if got.UserID != e.Srv.User.ID || got.ClientID != e.Srv.Login.Config.ClientID {
		t.Errorf("whoami --json = %+v, want user %s client %s", raw, e.Srv.User.ID, e.Srv.Login.Config.ClientID)
	}
}

func TestAccountsHidesClosedUnlessAll(t *testing.T) {
	e := clitest.New(t)
	e.TTY = true
	e.Golden("accounts", e.MustRun("accounts").Out)
	e.Golden("accounts-all", e.MustRun("accounts", "--all").Out)

	e.TTY = false
	var open, all []monzo.Account
	decode(t, e.MustRun("accounts", "--json").Out, &open)
	decode(t, e.MustRun("accounts", "--all", "--json").Out, &all)
	closed := 0
	for _, a := range e.Srv.User.Accounts {
		if a.Closed {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("the seeded user has no closed account; the test cannot tell --all apart")
	}
	if len(all) != len(e.Srv.User.Accounts) || len(open) != len(all)-closed {
		t.Errorf("accounts: %d open, %d with --all; the emulator has %d, %d closed", len(open), len(all), len(e.Srv.User.Accounts), closed)
	}
	for _, a := range open {
		if a.Closed {
			t.Errorf("closed account %s listed without --all", a.ID)
		}
	}
}

func TestAccountsPipedIsTabSeparated(t *testing.T) {
	e := clitest.New(t)
	out := e.MustRun("accounts").Out
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("piped output has a header or nothing:\n%s", out)
	}
	for _, l := range lines {
		if n := strings.Count(l, "\t"); n != 5 {
			t.Errorf("line %q has %d tabs, want 5", l, n)
		}
		if strings.Contains(l, "\x1b[") {
			t.Errorf("piped output has colour: %q", l)
		}
	}
}

func TestBalance(t *testing.T) {
	e := clitest.New(t)
	ctx := context.Background()
	e.TTY = true
	e.Golden("balance", e.MustRun("balance").Out)
	e.Golden("balance-all", e.MustRun("balance", "--all").Out)

	e.TTY = false
	personal := e.Srv.AccountID(monzo.AccountTypeRetail)
	want, err := e.Srv.Client.Balance.Get(ctx, personal)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		AccountID string        `json:"account_id"`
		Balance   monzo.Balance `json:"balance"`
	}
	decode(t, e.MustRun("balance", "--json").Out, &got)
	if got.AccountID != personal || got.Balance.Balance != want.Balance || got.Balance.TotalBalance != want.TotalBalance || got.Balance.SpendToday != want.SpendToday {
		t.Errorf("balance --json = %+v, want %s with %+v", got, personal, want)
	}
	joint := e.Srv.AccountID(monzo.AccountTypeRetailJoint)
	decode(t, e.MustRun("balance", joint, "--json").Out, &got)
	if got.AccountID != joint {
		t.Errorf("balance %s --json is for %s", joint, got.AccountID)
	}
	if res := e.Run("balance", "--jq", ".balance.balance"); res.Code != 0 || strings.TrimSpace(res.Out) != jsonInt(want.Balance) {
		t.Errorf("--jq .balance.balance = %q (exit %d), want %d", res.Out, res.Code, want.Balance)
	}
}

func TestBalanceBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"balance", "acc_1", "acc_2"},
		{"balance", "acc_1", "--all"},
		{"balance", "--jq", ".["},
		{"balance", "--bogus"},
	} {
		res := e.Refused(args...)
		if !strings.Contains(res.Err, "hint:") && !strings.Contains(res.Err, "--jq") {
			t.Errorf("monzo %s: no hint in %q", strings.Join(args, " "), res.Err)
		}
	}
	res := e.Run("balance", "acc_nope")
	if res.Code != 2 || !strings.Contains(res.Err, e.Srv.AccountID(monzo.AccountTypeRetail)) {
		t.Errorf("unknown account: exit %d, stderr %q; want 2 and the list of accounts", res.Code, res.Err)
	}
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
