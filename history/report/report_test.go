package report_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/history/internal/historytest"
	"github.com/monzokit/monzo/history/report"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// syncedStore syncs the emulator's seeded history, then a week later
// moves money into a pot and syncs again, so pots have two snapshots.
func syncedStore(t testing.TB) *sqlitestore.Store {
	t.Helper()
	srv, st := historytest.Synced(t)
	ctx := context.Background()
	srv.Clock.Advance(7 * 24 * time.Hour)
	personal := srv.AccountID(monzo.AccountTypeRetail)
	if _, err := srv.Emulator.InjectFasterPaymentIn(emulator.FasterPayment{AccountID: personal, Amount: 250000, CounterpartyName: "Employer Ltd"}); err != nil {
		t.Fatal(err)
	}
	pots, err := srv.Client.Pots.List(ctx, personal)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(pots, func(p monzo.Pot) bool { return !p.Deleted && !p.Locked })
	if i < 0 {
		t.Fatalf("no open pot among %d", len(pots))
	}
	if _, err := srv.Client.Pots.Deposit(ctx, pots[i].ID, monzo.PotDeposit{SourceAccountID: personal, Amount: 12345, DedupeID: "report-test"}); err != nil {
		t.Fatal(err)
	}
	historytest.Sync(t, srv, st)
	return st
}

func sqlInt(t testing.TB, st *sqlitestore.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := st.DB().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

const (
	spendingSQL = `SELECT COALESCE(-SUM(amount), 0) FROM transactions WHERE amount < 0 AND include_in_spending = 1 AND pot_id = '' AND decline_reason = '' AND currency = 'GBP'`
	incomeSQL   = `SELECT COALESCE(SUM(amount), 0) FROM transactions WHERE amount > 0 AND pot_id = '' AND decline_reason = '' AND currency = 'GBP'`
)

func TestReportTotalsEqualSQLSums(t *testing.T) {
	st := syncedStore(t)
	r, err := report.Build(context.Background(), st, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Currency != "GBP" || r.Spending == 0 || r.Income == 0 {
		t.Fatalf("report %s spending %d income %d", r.Currency, r.Spending, r.Income)
	}
	if want := sqlInt(t, st, spendingSQL); r.Spending != want {
		t.Errorf("spending %d, SQL %d", r.Spending, want)
	}
	if want := sqlInt(t, st, incomeSQL); r.Income != want {
		t.Errorf("income %d, SQL %d", r.Income, want)
	}
	var catSum int64
	for _, c := range r.ByCategory {
		catSum += c.Minor
		if want := sqlInt(t, st, spendingSQL+` AND category = ?`, c.Name); c.Minor != want {
			t.Errorf("category %s: %d, SQL %d", c.Name, c.Minor, want)
		}
	}
	if catSum != r.Spending {
		t.Errorf("categories add up to %d, spending is %d", catSum, r.Spending)
	}
	var monthSpend, monthIncome int64
	for _, m := range r.Months {
		monthSpend += m.Spending
		monthIncome += m.Income
		prefix := m.Start.Format("2006-01") + "%"
		if want := sqlInt(t, st, spendingSQL+` AND created LIKE ?`, prefix); m.Spending != want {
			t.Errorf("%s spending %d, SQL %d", m.Start.Format("2006-01"), m.Spending, want)
		}
	}
	if monthSpend != r.Spending || monthIncome != r.Income {
		t.Errorf("months add up to %d/%d, totals %d/%d", monthSpend, monthIncome, r.Spending, r.Income)
	}
	if len(r.Months) < 13 {
		t.Errorf("%d months, the seeded history spans more than a year", len(r.Months))
	}
	top := r.TopMerchants[0]
	if want := sqlInt(t, st, spendingSQL+` AND (merchant_id IN (SELECT id FROM merchants WHERE name = ?)
		OR merchant_id = '' AND json_extract(raw, '$.counterparty.name') = ?)`, top.Name, top.Name); top.Minor != want {
		t.Errorf("top merchant %s: %d, SQL %d", top.Name, top.Minor, want)
	}
	if want := sqlInt(t, st, `SELECT count(DISTINCT pot_id) FROM pot_snapshots`); int64(len(r.Pots)) != want || want == 0 {
		t.Errorf("%d pot series, %d pots recorded", len(r.Pots), want)
	}
	for _, p := range r.Pots {
		if len(p.Points) != 2 {
			t.Errorf("pot %s has %d points, want one per sync (2)", p.Name, len(p.Points))
		}
	}
}

func TestReportForAPeriod(t *testing.T) {
	st := syncedStore(t)
	since, before := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	r, err := report.Build(context.Background(), st, report.Options{Since: since, Before: before})
	if err != nil {
		t.Fatal(err)
	}
	bounds := ` AND created >= '2025-04-01' AND created < '2025-07-01'`
	if want := sqlInt(t, st, spendingSQL+bounds); r.Spending != want {
		t.Errorf("spending %d, SQL %d", r.Spending, want)
	}
	if want := sqlInt(t, st, incomeSQL+bounds); r.Income != want {
		t.Errorf("income %d, SQL %d", r.Income, want)
	}
	if len(r.Months) != 3 || !r.Months[0].Start.Equal(since) {
		t.Errorf("months %v, want April to June 2025", r.Months)
	}
}

func TestTextFitsTheWidthAndIsPlainWhenPiped(t *testing.T) {
	st := syncedStore(t)
	r, err := report.Build(context.Background(), st, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{60, 100, 160} {
		var b bytes.Buffer
		if err := r.WriteText(&b, report.TextOptions{Width: width}); err != nil {
			t.Fatal(err)
		}
		longest := 0
		for _, line := range strings.Split(b.String(), "\n") {
			n := utf8.RuneCountInString(line)
			longest = max(longest, n)
			if n > width {
				t.Errorf("width %d: line of %d columns: %q", width, n, line)
			}
		}
		if !strings.Contains(b.String(), "█") || longest < width-10 {
			t.Errorf("width %d: bars do not use the width (longest line %d)", width, longest)
		}
	}
	var b bytes.Buffer
	if err := r.WriteText(&b, report.TextOptions{Plain: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "█") || !strings.Contains(b.String(), "category\t") {
		t.Errorf("plain output is not tab-separated text:\n%.500s", b.String())
	}
	wantSpending := "total\tspending\t" + monzo.FormatAmount(r.Spending, "GBP") + "\t"
	if !strings.Contains(b.String(), wantSpending) {
		t.Errorf("plain output lacks %q", wantSpending)
	}
}
