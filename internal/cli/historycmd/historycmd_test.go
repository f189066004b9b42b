package historycmd_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/historycmd"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

func sqlCount(t *testing.T, db, query string, args ...any) int64 {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int64
	if err := st.DB().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestSyncSummarySaysWhatChangedAndHowFarBack(t *testing.T) {
	e := clitest.New(t)
	db := filepath.Join(e.Dir, "history.db")
	res := e.MustRun("sync", "--db", db)
	if res.Err != "" {
		t.Errorf("sync drew progress on stderr, which is not a terminal: %q", res.Err)
	}
	e.Golden("sync", res.Out)

	// --json, parsed back and checked against the store.
	res = e.MustRun("sync", "--db", db, "--json")
	var out struct {
		Database string `json:"database"`
		Accounts []struct {
			ID        string `json:"id"`
			New       int    `json:"new"`
			Unchanged int    `json:"unchanged"`
			Full      bool   `json:"full_history"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(res.Out), &out); err != nil {
		t.Fatalf("sync --json: %v\n%s", err, res.Out)
	}
	if out.Database != db || len(out.Accounts) != 2 {
		t.Fatalf("sync --json: %+v", out)
	}
	for _, a := range out.Accounts {
		// The re-read span's transactions come back unchanged.
		recent := sqlCount(t, db, `SELECT count(*) FROM transactions WHERE account_id = ? AND created >= ?`, a.ID,
			e.Srv.Clock.Now().Add(-14*24*time.Hour).UTC().Format("2006-01-02T15:04:05.000000000Z"))
		if a.New != 0 || int64(a.Unchanged) != recent || !a.Full {
			t.Errorf("second sync of %s: %+v, want 0 new and the %d recent ones unchanged", a.ID, a, recent)
		}
	}

	// The window closes; a sync into a fresh file says how far back it got.
	e.Srv.Clock.Advance(10 * time.Minute)
	res = e.MustRun("sync", "--db", filepath.Join(e.Dir, "fresh.db"), "--account", e.Srv.AccountID(monzo.AccountTypeRetail))
	from := e.Srv.Clock.Now().AddDate(0, 0, -89).Format("2006-01-02")
	for _, want := range []string{"complete from " + from, "monzo sync --full", "only the last 90 days"} {
		if !strings.Contains(res.Out, want) {
			t.Errorf("summary after the window closed lacks %q:\n%s", want, res.Out)
		}
	}
}

func TestExportToAFileAndReport(t *testing.T) {
	e := clitest.New(t)
	db := filepath.Join(e.Dir, "history.db")
	e.MustRun("sync", "--db", db)
	file := filepath.Join(t.TempDir(), "june.csv")
	res := e.MustRun("export", "--db", db, "--format", "csv", "-o", file, "--since", "2025-06-01", "--before", "2025-07-01",
		"--columns", "created,amount_minor", "--json")
	var summary struct {
		Transactions int64 `json:"transactions"`
	}
	if err := json.Unmarshal([]byte(res.Out), &summary); err != nil {
		t.Fatalf("export --json: %v\n%s", err, res.Out)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := sqlCount(t, db, `SELECT count(*) FROM transactions WHERE created >= '2025-06-01' AND created < '2025-07-01' AND decline_reason = ''`)
	if int64(len(rows)-1) != n || summary.Transactions != n || n == 0 {
		t.Errorf("file has %d rows, --json says %d, SQL %d", len(rows)-1, summary.Transactions, n)
	}

	res = e.MustRun("report", "--db", db, "--since", "2025-01-01", "--before", "2026-01-01")
	if !strings.Contains(res.Out, "total\tspending\t") || strings.Contains(res.Out, "█") {
		t.Errorf("piped report is not plain text:\n%.300s", res.Out)
	}
	res = e.MustRun("report", "--db", db, "--since", "2025-01-01", "--before", "2026-01-01", "--json")
	var r struct {
		Spending int64 `json:"spending"`
	}
	if err := json.Unmarshal([]byte(res.Out), &r); err != nil {
		t.Fatal(err)
	}
	want := sqlCount(t, db, `SELECT -SUM(amount) FROM transactions WHERE amount < 0 AND include_in_spending = 1 AND pot_id = ''
		AND decline_reason = '' AND created >= '2025-01-01' AND created < '2026-01-01'`)
	if r.Spending != want {
		t.Errorf("report --json spending %d, SQL %d", r.Spending, want)
	}

	html := filepath.Join(t.TempDir(), "r.html")
	e.MustRun("report", "--db", db, "--html", html)
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("--html wrote no charts: %v", err)
	}
}

func TestBadInputIsRefusedBeforeAnythingIsSent(t *testing.T) {
	e := clitest.New(t)
	db := filepath.Join(e.Dir, "history.db")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--db", db, "--format", "xlsx"}, "choose one of csv"},
		{[]string{"export", "--db", db, "--since", "last tuesday"}, "2025-01-01"},
		{[]string{"export", "--db", db, "--pending", "maybe"}, "use include, exclude or only"},
		{[]string{"export", "--db", db, "--columns", "colour"}, `unknown CSV column "colour"`},
		{[]string{"export", "--db", db, "--format", "ofx", "--columns", "id"}, "csv only"},
		{[]string{"export", "--db", db, "--ledger-assets", "assets"}, "not a valid account name"},
		{[]string{"export", "--db", db, "--json"}, "--output"},
		{[]string{"report", "--db", db, "--since", "2025-02-01", "--before", "2025-01-01"}, "must be before"},
		{[]string{"report", "--db", db, "--top", "0"}, "--top"},
		{[]string{"sync", "--db", db, "--full", "--since", "2025-01-01"}, "not both"},
		{[]string{"sync", "--db", db, "--since", "soon"}, "2025-01-01"},
		{[]string{"sync", "--db", db, "--since", "2099-01-01"}, "in the future"},
		{[]string{"sync", "--db", db, "extra"}, ""},
		{[]string{"sync", "--db", db, "--reread", "-3d"}, "--reread"},
		{[]string{"sync", "--db", db, "--reread", "fortnight"}, "give days (14d)"},
	}
	before := e.Requests()
	for _, c := range cases {
		res := e.Run(c.args...)
		if res.Code != cmdutil.ExitUsage || !strings.Contains(res.Err, c.want) {
			t.Errorf("monzo %s: exit %d, stderr %q; want exit %d saying %q", strings.Join(c.args, " "), res.Code, res.Err, cmdutil.ExitUsage, c.want)
		}
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("bad input sent %d requests to the API", n)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("bad input created the database")
	}

	// Reading before any sync says what to do.
	res := e.Run("export", "--db", db)
	if res.Code == 0 || !strings.Contains(res.Err, "monzo sync") {
		t.Errorf("export with no history: exit %d, %q", res.Code, res.Err)
	}
}

func TestSyncDrawsProgressOnlyOnATerminal(t *testing.T) {
	e := clitest.New(t)
	ios, _, out, errOut := iostreams.Test()
	f := e.Factory(ios)
	on := true
	if err := historycmd.RunSync(context.Background(), &historycmd.SyncOptions{IO: ios, Factory: f,
		DBPath: filepath.Join(e.Dir, "history.db"), Progress: &on}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"account 1/2 backfill", "transactions", "account 2/2"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("progress on stderr lacks %q:\n%q", want, errOut.String())
		}
	}
	if strings.Contains(out.String(), "account 1/2") {
		t.Error("progress went to stdout")
	}
}
