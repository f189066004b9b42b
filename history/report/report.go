// Package report sums stored history for a period: spending by category
// and by month, top merchants, income against spending, and pots over time
// from the balances each sync recorded. It renders the result for a
// terminal (bar charts that fit its width, or plain tab-separated text
// when piped) and as one self-contained HTML page with inline SVG charts
// that opens offline.
//
// Definitions, so that the numbers can be checked:
//   - spending is money out of transactions Monzo counts as spending
//     (include_in_spending), declined payments and pot transfers excluded;
//   - income is money in, pot withdrawals excluded;
//   - amounts are integer minor units of the report's currency; other
//     currencies' transactions are left out and counted in Skipped.
package report

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// Options select what a report covers.
type Options struct {
	// AccountIDs limits the report to these accounts; empty means all.
	AccountIDs []string
	// Since and Before bound the period: transactions created in
	// [Since, Before). Zero leaves an end open.
	Since, Before time.Time
	// Location is where months begin; UTC when nil.
	Location *time.Location
	// TopMerchants is how many merchants to list; 10 when zero.
	TopMerchants int
	// Now is the clock that stamps [Report.Generated]; time.Now when nil.
	// Give it the clock the rest of the program uses (an emulator's, in
	// tests), so that the page says when it was made on that clock.
	Now func() time.Time
}

// Amount is a named sum in minor units.
type Amount struct {
	Name  string `json:"name"`
	Minor int64  `json:"amount"`
	// Count is how many transactions make up the sum.
	Count int `json:"count"`
}

// Month is one calendar month's income and spending.
type Month struct {
	// Start is the first instant of the month in the report's location.
	Start    time.Time `json:"start"`
	Spending int64     `json:"spending"`
	Income   int64     `json:"income"`
}

// PotPoint is a pot's balance at one sync.
type PotPoint struct {
	Taken   time.Time `json:"taken"`
	Balance int64     `json:"balance"`
}

// PotSeries is a pot's balance over time.
type PotSeries struct {
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Points []PotPoint `json:"points"`
}

// Report is what [Build] computes.
type Report struct {
	// From and To are the period actually covered: the first and last
	// transaction's created time (or the options' bounds when set).
	From     time.Time      `json:"from"`
	To       time.Time      `json:"to"`
	Currency string         `json:"currency"`
	Location *time.Location `json:"-"`
	// Spending and Income are the period's totals (both positive).
	Spending int64 `json:"spending"`
	Income   int64 `json:"income"`
	// Transactions counts what was summed; Skipped what was in another
	// currency.
	Transactions int `json:"transactions"`
	Skipped      int `json:"skipped"`
	// ByCategory is spending per category, largest first.
	ByCategory []Amount `json:"by_category"`
	// Months run oldest first, every month of the period included.
	Months []Month `json:"months"`
	// TopMerchants is spending per merchant, largest first.
	TopMerchants []Amount `json:"top_merchants"`
	// Pots are the pots' recorded balances in the period.
	Pots []PotSeries `json:"pots"`
	// Generated is when Build made the report, by [Options.Now]; the HTML
	// page shows it.
	Generated time.Time `json:"-"`
}

// Build reads the store and computes the report. Transactions are streamed,
// so memory depends on the number of categories, merchants and months, not
// on the length of the history.
func Build(ctx context.Context, st *sqlitestore.Store, opts Options) (*Report, error) {
	if st == nil {
		return nil, errors.New("report: no store to read from")
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	top := cmp.Or(opts.TopMerchants, 10)
	if top < 0 {
		return nil, errors.New("report: TopMerchants must not be negative")
	}
	f := sqlitestore.Filter{AccountIDs: opts.AccountIDs, Since: opts.Since, Before: opts.Before, Declined: sqlitestore.Exclude}
	accounts, err := st.Summaries(ctx, f)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	r := &Report{Location: loc, From: opts.Since, To: opts.Before, Generated: now()}
	// The report's currency is the one most transactions are in.
	var most int64
	for _, a := range accounts {
		if a.Count > most {
			most, r.Currency = a.Count, a.Currency
		}
	}
	byCat := map[string]*Amount{}
	byMerchant := map[string]*Amount{}
	months := map[time.Time]*Month{}
	var first, last time.Time
	for rec, err := range st.Transactions(ctx, f) {
		if err != nil {
			return nil, err
		}
		if rec.Currency != r.Currency {
			r.Skipped++
			continue
		}
		r.Transactions++
		if first.IsZero() {
			first = rec.Created
		}
		last = rec.Created
		m := monthOf(rec.Created, loc)
		mo := months[m]
		if mo == nil {
			mo = &Month{Start: m}
			months[m] = mo
		}
		switch {
		case isSpending(rec):
			r.Spending -= rec.Amount
			mo.Spending -= rec.Amount
			add(byCat, string(rec.Category), -rec.Amount)
			add(byMerchant, rec.Payee(), -rec.Amount)
		case isIncome(rec):
			r.Income += rec.Amount
			mo.Income += rec.Amount
		}
	}
	if r.From.IsZero() {
		r.From = first
	}
	if r.To.IsZero() {
		r.To = last
	}
	r.ByCategory = sorted(byCat, 0)
	r.TopMerchants = sorted(byMerchant, top)
	r.Months = fillMonths(months, r.From, r.To, loc)

	snaps, err := st.PotSnapshots(ctx, opts.Since, opts.Before)
	if err != nil {
		return nil, err
	}
	series := map[string]*PotSeries{}
	for _, s := range snaps {
		p := series[s.PotID]
		if p == nil {
			p = &PotSeries{ID: s.PotID, Name: s.PotName}
			series[s.PotID] = p
		}
		p.Points = append(p.Points, PotPoint{Taken: s.Taken, Balance: s.Balance})
	}
	for _, p := range series {
		r.Pots = append(r.Pots, *p)
	}
	slices.SortFunc(r.Pots, func(a, b PotSeries) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return r, nil
}

// isSpending: money out that Monzo counts as spending; pot moves never.
func isSpending(r *history.Record) bool {
	return r.Amount < 0 && r.IncludeInSpending && !r.IsPotTransfer()
}

// isIncome: money in, except money coming back from a pot.
func isIncome(r *history.Record) bool {
	return r.Amount > 0 && !r.IsPotTransfer()
}

func add(m map[string]*Amount, name string, minor int64) {
	if name == "" {
		name = "(none)"
	}
	a := m[name]
	if a == nil {
		a = &Amount{Name: name}
		m[name] = a
	}
	a.Minor += minor
	a.Count++
}

func sorted(m map[string]*Amount, limit int) []Amount {
	out := make([]Amount, 0, len(m))
	for _, a := range m {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Amount) int { return cmp.Or(cmp.Compare(b.Minor, a.Minor), cmp.Compare(a.Name, b.Name)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func monthOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// fillMonths lists every month from `from` to `to`, empty ones included,
// so charts show gaps as gaps.
func fillMonths(m map[time.Time]*Month, from, to time.Time, loc *time.Location) []Month {
	if from.IsZero() || to.IsZero() {
		return nil
	}
	var out []Month
	end := monthOf(to, loc)
	if !to.Equal(end) {
		end = end.AddDate(0, 1, 0)
	}
	for d := monthOf(from, loc); d.Before(end); d = d.AddDate(0, 1, 0) {
		if mo := m[d]; mo != nil {
			out = append(out, *mo)
		} else {
			out = append(out, Month{Start: d})
		}
	}
	return out
}
