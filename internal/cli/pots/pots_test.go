package pots_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
)

func livePots(t *testing.T, e *clitest.Env) []monzo.Pot {
	t.Helper()
	pots, err := e.Srv.Client.Pots.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail))
	if err != nil {
		t.Fatal(err)
	}
	var live []monzo.Pot
	for _, p := range pots {
		if !p.Deleted && !p.Locked {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		t.Fatal("no live pot in the seed")
	}
	return live
}

func potBalance(t *testing.T, e *clitest.Env, id string) int64 {
	t.Helper()
	for _, p := range livePots(t, e) {
		if p.ID == id {
			return p.Balance
		}
	}
	t.Fatalf("pot %s gone", id)
	return 0
}

func TestPotsList(t *testing.T) {
	e := clitest.New(t)
	e.TTY = true
	e.Golden("pots", e.MustRun("pots").Out)
	e.TTY = false
	var got []monzo.Pot
	if err := json.Unmarshal([]byte(e.MustRun("pots", "--all", "--json").Out), &got); err != nil {
		t.Fatal(err)
	}
	want, _ := e.Srv.Client.Pots.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail))
	if len(got) != len(want) {
		t.Fatalf("pots --all --json: %d pots, emulator has %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || got[i].Balance != want[i].Balance {
			t.Errorf("pot %d: got %s %d, want %s %d", i, got[i].ID, got[i].Balance, want[i].ID, want[i].Balance)
		}
	}
}

var dedupeLine = regexp.MustCompile(`Dedupe id (\S+) `)

func TestDepositByNameMovesMoneyOnceAndPrintsTheDedupeID(t *testing.T) {
	e := clitest.New(t)
	pot := livePots(t, e)[0]
	before := pot.Balance

	// The name in another case finds the pot.
	res := e.MustRun("pots", "deposit", strings.ToUpper(pot.Name), "12.34")
	e.Golden("deposit", strings.ReplaceAll(res.Out, pot.Name, "POT"))
	m := dedupeLine.FindStringSubmatch(res.Err)
	if m == nil {
		t.Fatalf("no dedupe id on stderr:\n%s", res.Err)
	}
	if got := potBalance(t, e, pot.ID); got != before+1234 {
		t.Fatalf("pot balance %d after depositing 12.34 onto %d", got, before)
	}

	// A retry with the printed dedupe id moves nothing more.
	var out struct {
		DedupeID string    `json:"dedupe_id"`
		Pot      monzo.Pot `json:"pot"`
	}
	res = e.MustRun("pots", "deposit", pot.ID, "12.34", "--dedupe-id", m[1], "--json")
	if err := json.Unmarshal([]byte(res.Out), &out); err != nil {
		t.Fatalf("%v\n%s", err, res.Out)
	}
	if out.DedupeID != m[1] {
		t.Errorf("--json dedupe_id %q, want %q", out.DedupeID, m[1])
	}
	if got := potBalance(t, e, pot.ID); got != before+1234 || out.Pot.Balance != got {
		t.Errorf("after a retry with the same dedupe id: pot %d (JSON says %d), want %d", got, out.Pot.Balance, before+1234)
	}

	res = e.MustRun("pots", "withdraw", pot.ID, "2", "--json", "--jq", ".pot.balance")
	if got := potBalance(t, e, pot.ID); got != before+1034 || strings.TrimSpace(res.Out) != jsonInt(got) {
		t.Errorf("after withdrawing 2: pot %d, --jq printed %q; want %d", got, res.Out, before+1034)
	}
}

func TestMoveConfirmsOnATerminal(t *testing.T) {
	e := clitest.New(t)
	pot := livePots(t, e)[0]
	e.TTY = true
	e.Stdin = "n\n"
	res := e.Run("pots", "deposit", pot.ID, "5")
	if res.Code == 0 || !strings.Contains(res.Err, "[y/N]") || !strings.Contains(res.Err, "nothing was moved") {
		t.Errorf("declined confirmation: exit %d, stderr %q", res.Code, res.Err)
	}
	if got := potBalance(t, e, pot.ID); got != pot.Balance {
		t.Fatalf("declined deposit moved money: %d → %d", pot.Balance, got)
	}
	e.Stdin = "y\n"
	e.MustRun("pots", "deposit", pot.ID, "5")
	if got := potBalance(t, e, pot.ID); got != pot.Balance+500 {
		t.Errorf("confirmed deposit: %d → %d", pot.Balance, got)
	}
	e.Stdin = ""
	e.MustRun("pots", "deposit", pot.ID, "5", "--yes")
	if got := potBalance(t, e, pot.ID); got != pot.Balance+1000 {
		t.Errorf("--yes deposit: %d → %d", pot.Balance, got)
	}
}

// A person at a terminal who pipes the JSON to jq is still asked.
func TestMoveConfirmsWhenOnlyStdinIsATerminal(t *testing.T) {
	e := clitest.New(t)
	pot := livePots(t, e)[0]
	e.Customize = func(f *cmdutil.Factory) { f.IOStreams.SetStdinTTY(true) }
	e.Stdin = "n\n"
	res := e.Run("pots", "deposit", pot.ID, "5", "--json")
	if res.Code == 0 || !strings.Contains(res.Err, "[y/N]") {
		t.Errorf("stdout piped, stdin a terminal: exit %d, stderr %q; want the question", res.Code, res.Err)
	}
	if got := potBalance(t, e, pot.ID); got != pot.Balance {
		t.Fatalf("a declined deposit with stdout piped moved money: %d → %d", pot.Balance, got)
	}
}

func TestMoveBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	pot := livePots(t, e)[0]
	for _, args := range [][]string{
		{"pots", "deposit", pot.Name, "12,34"},
		{"pots", "deposit", pot.Name, "£12"},
		{"pots", "deposit", pot.Name, "1e3"},
		{"pots", "deposit", pot.Name, "-5"},
		{"pots", "deposit", pot.Name, ""},
		{"pots", "deposit", pot.Name},
		{"pots", "withdraw", pot.Name, "5", "extra"},
		{"pots", "deposit", pot.Name, "5", "--jq", "{"},
		{"pots", "deposit", pot.Name, "5", "--bogus"},
	} {
		e.Refused(args...)
	}
	// Amounts only the pot's currency can judge, and unknown pots, need
	// the pot list; they still move nothing.
	for _, args := range [][]string{
		{"pots", "deposit", pot.Name, "1.234"},
		{"pots", "deposit", pot.Name, "0"},
		{"pots", "deposit", "No Such Pot", "5"},
	} {
		res := e.Run(args...)
		if res.Code != 2 {
			t.Errorf("monzo %q: exit %d, want 2\n%s", args, res.Code, res.Err)
		}
		if got := potBalance(t, e, pot.ID); got != pot.Balance {
			t.Fatalf("monzo %q moved money", args)
		}
	}
	res := e.Run("pots", "deposit", "No Such Pot", "5")
	if !strings.Contains(res.Err, "hint: your pots:") || !strings.Contains(res.Err, `"`+pot.Name+`"`) {
		t.Errorf("unknown pot does not list the pots:\n%s", res.Err)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// The messages for bad amounts speak of the user's input and the pot's
// currency, never the stand-in currency the syntax check uses.
func TestMoveBadAmountMessages(t *testing.T) {
	e := clitest.New(t)
	pot := livePots(t, e)[0]
	for _, tc := range []struct{ amount, want string }{
		{"£12", `amount "£12" is not a plain decimal number`},
		{"1,000", "without currency symbols, commas"},
		{"12.345", "GBP has 2 decimal places"},
		{"12.345", "write the amount in GBP, e.g. 12.34\n"},
	} {
		res := e.Run("pots", "deposit", pot.Name, tc.amount, "--yes")
		if res.Code != 2 || !strings.Contains(res.Err, tc.want) || strings.Contains(res.Err, "BHD") {
			t.Errorf("amount %q: exit %d, want 2 and %q in:\n%s", tc.amount, res.Code, tc.want, res.Err)
		}
	}
	res := e.Run("pots", "deposit", pot.Name, "-5")
	if res.Code != 2 || !strings.Contains(res.Err, `amount "-5" is negative`) || !strings.Contains(res.Err, "hint: amounts are positive: to move money the other way use `monzo pots withdraw`") {
		t.Errorf("negative amount: exit %d:\n%s", res.Code, res.Err)
	}
}

// The "retry with --dedupe-id" hint appears only when the outcome is
// unknown; when Monzo refused the move it says nothing moved.
func TestMoveFailureHintsSayWhetherMoneyMoved(t *testing.T) {
	e := clitest.New(t)
	pots, err := e.Srv.Client.Pots.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail))
	if err != nil {
		t.Fatal(err)
	}
	var locked monzo.Pot
	for _, p := range pots {
		if p.Locked && !p.Deleted {
			locked = p
		}
	}
	if locked.ID == "" {
		t.Fatal("no locked pot in the seed")
	}
	res := e.Run("pots", "withdraw", locked.ID, "1", "--yes")
	if res.Code != 3 || !strings.Contains(res.Err, "hint: nothing was moved") || strings.Contains(res.Err, "hint: it may or may not") {
		t.Errorf("withdrawal from a locked pot: exit %d:\n%s", res.Code, res.Err)
	}
	pot := livePots(t, e)[0]
	if err := e.Srv.Emulator.InjectFault(emulator.Fault{Method: "PUT", Path: "/pots/{id}/deposit", Status: 502, AfterHandling: true, Times: 10}); err != nil {
		t.Fatal(err)
	}
	res = e.Run("pots", "deposit", pot.ID, "1", "--yes")
	e.Srv.Emulator.ClearFaults()
	id := regexp.MustCompile(`--dedupe-id (\S+) to finish it`).FindStringSubmatch(res.Err)
	if res.Code != 3 || id == nil {
		t.Fatalf("deposit whose answer was lost: exit %d, no retry hint:\n%s", res.Code, res.Err)
	}
	// Following the hint finishes the move without moving the money twice.
	e.MustRun("pots", "deposit", pot.ID, "1", "--yes", "--dedupe-id", id[1])
	if got := potBalance(t, e, pot.ID); got != pot.Balance+100 {
		t.Errorf("after the lost answer and the retry: %d → %d, want +100", pot.Balance, got)
	}
}

// A pot of the joint account is found by name too; the confirmation then
// says the money comes from the joint account.
func TestMoveConfirmationNamesAJointAccount(t *testing.T) {
	e := clitest.New(t)
	joint := e.Srv.AccountID(monzo.AccountTypeRetailJoint)
	pots, err := e.Srv.Client.Pots.List(context.Background(), joint)
	if err != nil {
		t.Fatal(err)
	}
	var pot monzo.Pot
	for _, p := range pots {
		if !p.Deleted && !p.Locked {
			pot = p
		}
	}
	if pot.ID == "" {
		t.Fatal("no live pot on the joint account in the seed")
	}
	accounts, err := e.Srv.Client.Accounts.List(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, a := range accounts {
		if a.ID == joint {
			name = a.Description
		}
	}
	e.TTY = true
	e.Stdin = "n\n"
	res := e.Run("pots", "deposit", pot.Name, "5")
	if want := fmt.Sprintf("into pot %q (from the account %q)?", pot.Name, name); !strings.Contains(res.Err, want) {
		t.Errorf("confirmation does not name the joint account: want %q in\n%s", want, res.Err)
	}
	e.Stdin = "n\n"
	res = e.Run("pots", "deposit", livePots(t, e)[0].Name, "5")
	if strings.Contains(res.Err, "from the account") {
		t.Errorf("confirmation for a personal pot names the account:\n%s", res.Err)
	}
}
