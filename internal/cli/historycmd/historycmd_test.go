package historycmd_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/historycmd"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/monzotest"
)

type env struct {
	srv  *monzotest.Server
	deps historycmd.Deps
	db   string
	// read returns and clears what the command wrote.
	read func() (stdout, stderr string)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := monzotest.NewServer(t)
	ios, _, out, errOut := iostreams.Test()
	e := &env{srv: srv, db: filepath.Join(t.TempDir(), "history.db")}
	e.deps = historycmd.Deps{IOStreams: ios, Now: srv.Clock.Now, Location: time.UTC,
		Client: func() (*monzo.Client, error) { return srv.Client, nil }}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", out, errOut)
		}
	})
	e.read = func() (string, string) {
		s, r := out.String(), errOut.String()
		out.Reset()
		errOut.Reset()
		return s, r
	}
	return e
}

func (e *env) sync(t *testing.T, opts historycmd.SyncOptions) string {
	t.Helper()
	opts.Deps, opts.DBPath = e.deps, e.db
	if err := historycmd.RunSync(context.Background(), &opts); err != nil {
		t.Fatalf("sync: %v", err)
	}
	out, errOut := e.read()
	if errOut != "" {
		t.Errorf("sync wrote to stderr when it is not a terminal: %q", errOut)
	}
	return out
}

func TestSyncSummarySaysWhatChangedAndHowFarBack(t *testing.T) {
	e := newEnv(t)
	out := e.sync(t, historycmd.SyncOptions{})
	for _, want := range []string{" new, 0 updated, 0 unchanged", "history complete from the account's opening", "Synced 2 accounts into " + e.db} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// The window closes; a sync of a fresh file says how far back it got.
	e.srv.Clock.Advance(10 * time.Minute)
	e.db = filepath.Join(t.TempDir(), "fresh.db")
	out = e.sync(t, historycmd.SyncOptions{Accounts: []string{e.srv.AccountID(monzo.AccountTypeRetail)}})
	from := e.srv.Clock.Now().AddDate(0, 0, -89).Format("2006-01-02")
	for _, want := range []string{"complete from " + from, "monzo sync --full", "only the last 90 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary after the window closed lacks %q:\n%s", want, out)
		}
	}
}

func TestExportToAFileAndReport(t *testing.T) {
	e := newEnv(t)
	e.sync(t, historycmd.SyncOptions{})
	file := filepath.Join(t.TempDir(), "out.csv")
	err := historycmd.RunExport(context.Background(), &historycmd.ExportOptions{Deps: e.deps, DBPath: e.db, Format: "csv",
		Output: file, Since: "2025-06-01", Before: "2025-07-01", Columns: []string{"created", "amount_minor"}, Pending: "include", Declined: "exclude"})
	if err != nil {
		t.Fatal(err)
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
	st, err := sqlitestore.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	st.DB().QueryRow(`SELECT count(*) FROM transactions WHERE created >= '2025-06-01' AND created < '2025-07-01' AND decline_reason = ''`).Scan(&n)
	if len(rows)-1 != n || n == 0 {
		t.Errorf("the file has %d rows, SQL says %d", len(rows)-1, n)
	}
	if _, errOut := e.read(); !strings.Contains(errOut, "Wrote ") {
		t.Errorf("no note of the file written on stderr: %q", errOut)
	}

	if err := historycmd.RunReport(context.Background(), &historycmd.ReportOptions{Deps: e.deps, DBPath: e.db, Top: 5, Since: "2025-01-01"}); err != nil {
		t.Fatal(err)
	}
	out, _ := e.read()
	if !strings.Contains(out, "total\tspending\t") || strings.Contains(out, "█") {
		t.Errorf("piped report is not plain text:\n%.300s", out)
	}
}

func TestBadInputSaysWhatToDo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "none.db")
	cases := map[string]struct {
		run  func() error
		want string
	}{
		"export before any sync": {func() error {
			return historycmd.RunExport(ctx, &historycmd.ExportOptions{Deps: e.deps, DBPath: missing, Format: "csv"})
		}, "run `monzo sync` first"},
		"unknown format": {func() error {
			return historycmd.RunExport(ctx, &historycmd.ExportOptions{Deps: e.deps, DBPath: missing, Format: "xlsx"})
		}, "choose one of csv"},
		"bad date": {func() error {
			return historycmd.RunExport(ctx, &historycmd.ExportOptions{Deps: e.deps, DBPath: missing, Format: "csv", Since: "last tuesday"})
		}, "use a date (2025-01-01)"},
		"period backwards": {func() error {
			return historycmd.RunReport(ctx, &historycmd.ReportOptions{Deps: e.deps, DBPath: missing, Top: 1, Since: "2025-02-01", Before: "2025-01-01"})
		}, "must be before"},
		"bad pending": {func() error {
			return historycmd.RunExport(ctx, &historycmd.ExportOptions{Deps: e.deps, DBPath: missing, Format: "csv", Pending: "maybe"})
		}, "use include, exclude or only"},
		"full and since": {func() error {
			return historycmd.RunSync(ctx, &historycmd.SyncOptions{Deps: e.deps, DBPath: missing, Full: true, Since: "2025-01-01"})
		}, "not both"},
		"unknown account": {func() error {
			return historycmd.RunSync(ctx, &historycmd.SyncOptions{Deps: e.deps, DBPath: filepath.Join(t.TempDir(), "h.db"), Accounts: []string{"acc_nope"}})
		}, `no account "acc_nope"`},
	}
	for name, c := range cases {
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, c.want)
		}
	}
}
