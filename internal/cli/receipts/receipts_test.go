package receipts_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

func cardTx(t *testing.T, e *clitest.Env) string {
	t.Helper()
	page, err := e.Srv.Client.Transactions.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail), &monzo.TransactionListOptions{Since: e.Srv.Clock.Now().AddDate(0, 0, -7)})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(page) - 1; i >= 0; i-- {
		if page[i].Scheme == monzo.SchemeMastercard && !page[i].IsDeclined() && page[i].Amount < 0 {
			return page[i].ID
		}
	}
	t.Fatal("no card payment in the last week")
	return ""
}

const receipt = `{"external_id": "shop-1234", "total": 1250, "currency": "GBP",
 "items": [{"description": "Coffee beans", "amount": 1250, "currency": "GBP", "quantity": 1}]}`

func TestReceiptsSetShowDelete(t *testing.T) {
	e := clitest.New(t)
	tx := cardTx(t, e)
	file := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(file, []byte(receipt), 0o600); err != nil {
		t.Fatal(err)
	}
	e.Golden("set", strings.ReplaceAll(e.MustRun("receipts", "set", tx, file).Out, tx, "TX"))
	if n := len(e.Srv.Emulator.Receipts()); n != 1 {
		t.Fatalf("emulator holds %d receipts, want 1", n)
	}
	e.TTY = true
	e.Golden("show", strings.ReplaceAll(e.MustRun("receipts", "show", "shop-1234").Out, tx, "TX"))
	e.TTY = false
	var got monzo.Receipt
	if err := json.Unmarshal([]byte(e.MustRun("receipts", "show", "shop-1234", "--json").Out), &got); err != nil {
		t.Fatal(err)
	}
	if got.TransactionID != tx || got.Total != 1250 || len(got.Items) != 1 {
		t.Errorf("show --json: %+v", got)
	}
	e.MustRun("receipts", "delete", "shop-1234")
	if n := len(e.Srv.Emulator.Receipts()); n != 0 {
		t.Errorf("emulator holds %d receipts after delete", n)
	}
	if res := e.Run("receipts", "show", "shop-1234"); res.Code != 3 {
		t.Errorf("show after delete: exit %d, want 3 (API error)\n%s", res.Code, res.Err)
	}
}

func TestReceiptsBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"external_id": "x"`), 0o600)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte(`{"external_id": "x", "total": 100, "currency": "GBP", "items": []}`), 0o600)
	for _, args := range [][]string{
		{"receipts", "set", "tx_1", filepath.Join(dir, "missing.json")},
		{"receipts", "set", "tx_1", bad},
		{"receipts", "set", "tx_1", empty},
		{"receipts", "show"},
		{"receipts", "delete", "a", "b"},
	} {
		e.Refused(args...)
	}
}

// A receipt file that does not decode is explained in the file's terms:
// the field and what it should hold, or the line and column of a syntax
// error, never Go type names.
func TestReceiptsSetExplainsBadFiles(t *testing.T) {
	e := clitest.New(t)
	dir := t.TempDir()
	for _, tc := range []struct{ body, want string }{
		{`{"external_id": "x", "total": 12.50, "currency": "GBP"}`, `"total" must be a whole number (amounts are in minor units: 1250 for 12.50 GBP), not number`},
		{`{"external_id": 7}`, `"external_id" must be a string, not number`},
		{"{\n  \"external_id\": \"x\",\n  \"total\": 1250,,\n}", "invalid JSON at line 3, column"},
	} {
		file := filepath.Join(dir, "r.json")
		if err := os.WriteFile(file, []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		res := e.Run("receipts", "set", "tx_1", file)
		if res.Code != 2 || !strings.Contains(res.Err, tc.want) || strings.Contains(res.Err, "Go struct") || strings.Contains(res.Err, "plain.") {
			t.Errorf("receipt %s: exit %d, want 2 and %q in:\n%s", tc.body, res.Code, tc.want, res.Err)
		}
	}
}
