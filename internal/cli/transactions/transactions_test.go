package transactions_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

// recent lists the personal account's transactions of the last 30 days
// through the library, as the oracle for the command's output.
func recent(t *testing.T, e *clitest.Env, since time.Time) []monzo.Transaction {
	t.Helper()
	var out []monzo.Transaction
	for tx, err := range e.Srv.Client.Transactions.All(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail), &monzo.TransactionListOptions{Since: since}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *tx)
	}
	return out
}

func TestTransactionsList(t *testing.T) {
	e := clitest.New(t)
	e.TTY = true
	e.Golden("transactions-7d", e.MustRun("transactions", "--since", "7d").Out)

	e.TTY = false
	now := e.Srv.Clock.Now()
	all := recent(t, e, now.AddDate(0, 0, -14))
	var wantIDs, declined []string
	for _, tx := range all {
		if tx.IsDeclined() {
			declined = append(declined, tx.ID)
			continue
		}
		wantIDs = append(wantIDs, tx.ID)
	}
	var got []monzo.Transaction
	decode(t, e.MustRun("transactions", "--since", "2w", "--limit", "0", "--json").Out, &got)
	if ids(got) != strings.Join(wantIDs, ",") {
		t.Errorf("--since 2w --json:\n got %s\nwant %s", ids(got), strings.Join(wantIDs, ","))
	}
	// The same window as a date and as a timestamp.
	date := now.AddDate(0, 0, -14).Format(time.RFC3339)
	decode(t, e.MustRun("transactions", "--since", date, "--limit", "0", "--json").Out, &got)
	if ids(got) != strings.Join(wantIDs, ",") {
		t.Errorf("--since %s differs from --since 2w", date)
	}
	// --limit keeps the most recent.
	decode(t, e.MustRun("transactions", "--since", "2w", "--limit", "3", "--json").Out, &got)
	if len(wantIDs) < 3 || ids(got) != strings.Join(wantIDs[len(wantIDs)-3:], ",") {
		t.Errorf("--limit 3: got %s", ids(got))
	}
	if len(declined) > 0 {
		decode(t, e.MustRun("transactions", "--since", "2w", "--limit", "0", "--declined", "--json").Out, &got)
		if len(got) != len(all) {
			t.Errorf("--declined: %d transactions, want %d", len(got), len(all))
		}
	}
}

func TestTransactionsFilters(t *testing.T) {
	e := clitest.New(t)
	all := recent(t, e, e.Srv.Clock.Now().AddDate(0, 0, -30))
	var category monzo.Category
	var merchant string
	for _, tx := range all {
		if tx.IsDeclined() {
			continue
		}
		if m, ok := tx.Merchant.Expanded(); ok && merchant == "" {
			merchant = m.Name
		}
		if category == "" && tx.Category != "" {
			category = tx.Category
		}
	}
	if merchant == "" {
		// The listing oracle does not expand merchants; read one.
		for _, tx := range all {
			if id := tx.Merchant.ID(); id != "" && !tx.IsDeclined() {
				full, err := e.Srv.Client.Transactions.Get(context.Background(), tx.ID, &monzo.TransactionGetOptions{ExpandMerchant: true})
				if err != nil {
					t.Fatal(err)
				}
				m, _ := full.Merchant.Expanded()
				merchant = m.Name
				break
			}
		}
	}
	var got []monzo.Transaction
	decode(t, e.MustRun("transactions", "--category", string(category), "--limit", "0", "--json").Out, &got)
	if len(got) == 0 {
		t.Fatalf("--category %s found nothing", category)
	}
	for _, tx := range got {
		if tx.Category != category {
			t.Errorf("--category %s listed %s (%s)", category, tx.ID, tx.Category)
		}
	}
	decode(t, e.MustRun("transactions", "--merchant", strings.ToLower(merchant), "--limit", "0", "--json").Out, &got)
	if len(got) == 0 {
		t.Fatalf("--merchant %q found nothing", merchant)
	}
	for _, tx := range got {
		m, _ := tx.Merchant.Expanded()
		if m == nil || !strings.EqualFold(m.Name, merchant) && !strings.Contains(strings.ToLower(tx.Description), strings.ToLower(merchant)) {
			t.Errorf("--merchant %q listed %s (%v)", merchant, tx.ID, tx.Description)
		}
	}
}

func TestTransactionsShowAnnotateNotes(t *testing.T) {
	e := clitest.New(t)
	all := recent(t, e, e.Srv.Clock.Now().AddDate(0, 0, -7))
	tx := all[len(all)-1]
	e.TTY = true
	e.Golden("show", e.MustRun("transactions", "show", tx.ID).Out)
	e.TTY = false

	var got monzo.Transaction
	decode(t, e.MustRun("transactions", "annotate", tx.ID, "trip=lisbon", "shared=yes", "--json").Out, &got)
	// Annotating answers without the expanded merchant; the text output
	// still shows there is one.
	if m := tx.Merchant.ID(); m != "" {
		if out := e.MustRun("transactions", "notes", tx.ID, "dinner with Sam").Out; !strings.Contains(out, "merchant\t"+m) {
			t.Errorf("notes output lost the merchant %s:\n%s", m, out)
		}
	} else {
		t.Fatalf("the last transaction of the week has no merchant; pick one that has: %+v", tx)
	}
	after, err := e.Srv.Client.Transactions.Get(context.Background(), tx.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Metadata["trip"] != "lisbon" || after.Metadata["shared"] != "yes" || after.Notes != "dinner with Sam" {
		t.Errorf("emulator has metadata %v notes %q", after.Metadata, after.Notes)
	}
	if got.Metadata["trip"] != "lisbon" {
		t.Errorf("annotate --json metadata %v", got.Metadata)
	}
	e.MustRun("transactions", "annotate", tx.ID, "trip=")
	after, _ = e.Srv.Client.Transactions.Get(context.Background(), tx.ID, nil)
	if _, ok := after.Metadata["trip"]; ok {
		t.Errorf("trip= did not delete the key: %v", after.Metadata)
	}
}

func TestTransactionsBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"transactions", "--since", "yesterday"},
		{"transactions", "--since", "2025-13-01"},
		{"transactions", "--before", "7x"},
		{"transactions", "--since", "1d", "--before", "2d"},
		{"transactions", "--all", "--since", "1d"},
		{"transactions", "--limit", "-1"},
		{"transactions", "--limit", "many"},
		{"transactions", "show"},
		{"transactions", "annotate", "tx_1"},
		{"transactions", "annotate", "tx_1", "novalue"},
		{"transactions", "annotate", "tx_1", "=v"},
		{"transactions", "notes", "tx_1"},
	} {
		res := e.Refused(args...)
		if !strings.Contains(res.Err, "hint:") {
			t.Errorf("monzo %q: no hint:\n%s", args, res.Err)
		}
	}
}

func TestTransactionsHistoryWindowHint(t *testing.T) {
	e := clitest.New(t)
	e.Srv.Clock.Advance(6 * time.Minute)
	res := e.Run("transactions", "--all")
	if res.Code != 4 || !strings.Contains(res.Err, "within 5 minutes") {
		t.Errorf("--all after the window: exit %d, stderr %q; want 4 and the re-login hint", res.Code, res.Err)
	}
}

func ids(txs []monzo.Transaction) string {
	s := make([]string, len(txs))
	for i, tx := range txs {
		s[i] = tx.ID
	}
	return strings.Join(s, ",")
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}

func TestTransactionsBeforeAloneListsTheMonthBeforeIt(t *testing.T) {
	e := clitest.New(t)
	before := e.Srv.Clock.Now().AddDate(0, 0, -40)
	var got []monzo.Transaction
	decode(t, e.MustRun("transactions", "--before", before.Format(time.RFC3339), "--limit", "0", "--json").Out, &got)
	if len(got) == 0 {
		t.Fatal("--before 40 days ago listed nothing")
	}
	for _, tx := range got {
		if !tx.Created.Time.Before(before) || tx.Created.Time.Before(before.AddDate(0, 0, -30)) {
			t.Errorf("%s at %s is outside the 30 days before %s", tx.ID, tx.Created.Time, before)
		}
	}
}

// Past the 5-minute window, asking for older history says both ways out:
// log in again, or stay within 90 days.
func TestTransactionsPastTheHistoryWindow(t *testing.T) {
	e := clitest.New(t)
	e.Srv.Clock.Advance(6 * time.Minute)
	res := e.Run("transactions", "--since", "200d")
	if res.Code != 4 || !strings.Contains(res.Err, "hint: ") || !strings.Contains(res.Err, "run `monzo login` again") || !strings.Contains(res.Err, "--since 89d") {
		t.Fatalf("history past the window: exit %d\n%s", res.Code, res.Err)
	}
	e.MustRun("transactions", "--since", "89d")
}
