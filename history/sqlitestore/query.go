package sqlitestore

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
)

// Inclusion says whether a filter keeps transactions of one kind.
type Inclusion int

// Inclusions. The zero value keeps each kind's default: pending
// transactions are kept, declined ones dropped (they moved no money).
const (
	Default Inclusion = iota
	Include
	Exclude
	Only
)

// Filter selects stored transactions. The zero Filter selects every
// transaction except declined ones.
type Filter struct {
	// AccountIDs keeps these accounts' transactions; empty keeps all.
	AccountIDs []string
	// Since and Before keep transactions created in [Since, Before); zero
	// leaves that end open.
	Since, Before time.Time
	// Categories keeps these categories; empty keeps all.
	Categories []string
	// Merchant keeps transactions whose merchant name, counterparty or
	// statement text contains this text (ignoring case); empty keeps all.
	Merchant string
	Pending  Inclusion
	Declined Inclusion
	// ByAccount orders by account first (then time), for formats with one
	// statement per account; otherwise transactions come oldest first.
	ByAccount bool
}

// where returns the filter's SQL condition (on alias t) and arguments.
func (f Filter) where() (string, []any) {
	conds := []string{"1=1"}
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("t.account_id", f.AccountIDs)
	in("t.category", f.Categories)
	if f.Merchant != "" {
		// LIKE's wildcards in the text are matched literally.
		pat := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Merchant) + "%"
		conds = append(conds, `(t.description LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM merchants m2 WHERE m2.id = t.merchant_id AND m2.name LIKE ? ESCAPE '\')
			OR COALESCE(json_extract(t.raw, '$.counterparty.name'), '') LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat, pat)
	}
	if !f.Since.IsZero() {
		conds = append(conds, "t.created >= ?")
		args = append(args, formatTime(f.Since))
	}
	if !f.Before.IsZero() {
		conds = append(conds, "t.created < ?")
		args = append(args, formatTime(f.Before))
	}
	const pending, declined = "(t.settled = '' AND t.decline_reason = '')", "(t.decline_reason <> '')"
	switch f.Pending {
	case Exclude:
		conds = append(conds, "NOT "+pending)
	case Only:
		conds = append(conds, pending)
	}
	switch f.Declined {
	case Default, Exclude:
		conds = append(conds, "NOT "+declined)
	case Only:
		conds = append(conds, declined)
	}
	return strings.Join(conds, " AND "), args
}

// Validate reports a filter that cannot select anything sensible.
func (f Filter) Validate() error {
	if !f.Since.IsZero() && !f.Before.IsZero() && !f.Since.Before(f.Before) {
		return fmt.Errorf("sqlitestore: the start of the period (%s) must be before its end (%s)", f.Since.Format(time.RFC3339), f.Before.Format(time.RFC3339))
	}
	if f.Pending == Only && f.Declined == Only {
		return fmt.Errorf("sqlitestore: a transaction cannot be both pending and declined; ask for one of them only")
	}
	return nil
}

const recordColumns = `t.id, t.account_id, COALESCE(a.description, ''), COALESCE(a.type, ''), t.created, t.settled,
	t.amount, t.currency, t.local_amount, t.local_currency, t.category, t.merchant_id, COALESCE(m.name, ''),
	COALESCE(json_extract(t.raw, '$.counterparty.name'), ''), t.description, t.notes, t.decline_reason, t.scheme,
	t.include_in_spending, t.pot_id, COALESCE(p.name, ''), t.raw`

const recordJoins = `transactions t
	LEFT JOIN accounts a ON a.id = t.account_id
	LEFT JOIN merchants m ON m.id = t.merchant_id AND t.merchant_id <> ''
	LEFT JOIN pots p ON p.id = t.pot_id AND t.pot_id <> ''`

// Transactions streams the transactions f selects. Rows are read one at a
// time, so memory stays flat however long the history; stop early by
// breaking out of the loop. An error is yielded once, last.
func (s *Store) Transactions(ctx context.Context, f Filter) iter.Seq2[*history.Record, error] {
	return func(yield func(*history.Record, error) bool) {
		if err := f.Validate(); err != nil {
			yield(nil, err)
			return
		}
		where, args := f.where()
		order := "t.created, t.id"
		if f.ByAccount {
			order = "t.account_id, t.created, t.id"
		}
		rows, err := s.db.QueryContext(ctx, "SELECT "+recordColumns+" FROM "+recordJoins+" WHERE "+where+" ORDER BY "+order, args...)
		if err != nil {
			yield(nil, fmt.Errorf("sqlitestore: querying transactions: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r history.Record
			var created, settled, accType, category, decline, scheme string
			var raw []byte
			if err := rows.Scan(&r.ID, &r.AccountID, &r.AccountName, &accType, &created, &settled, &r.Amount, &r.Currency,
				&r.LocalAmount, &r.LocalCurrency, &category, &r.MerchantID, &r.MerchantName, &r.Counterparty,
				&r.Description, &r.Notes, &decline, &scheme, &r.IncludeInSpending, &r.PotID, &r.PotName, &raw); err != nil {
				yield(nil, fmt.Errorf("sqlitestore: reading a transaction: %w", err))
				return
			}
			r.AccountType, r.Category, r.DeclineReason, r.Scheme = monzo.AccountType(accType), monzo.Category(category),
				monzo.DeclineReason(decline), monzo.Scheme(scheme)
			r.Raw = raw
			if r.Created, err = parseTime(created); err == nil {
				r.Settled, err = parseTime(settled)
			}
			if err != nil {
				yield(nil, fmt.Errorf("sqlitestore: transaction %s has a corrupt time: %w", r.ID, err))
				return
			}
			if !yield(&r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("sqlitestore: reading transactions: %w", err))
		}
	}
}

// AccountSummary is what a filter selects of one account: for headers
// that formats write before the transactions themselves.
type AccountSummary struct {
	ID, Name string
	Type     monzo.AccountType
	Currency string
	// SortCode and AccountNumber are the account's UK bank details, when
	// the API gave them.
	SortCode, AccountNumber string
	// Count and Sum are the selected transactions' number and total
	// (minor units of Currency).
	Count int64
	Sum   int64
	// First and Last are the earliest and latest created times.
	First, Last time.Time
}

// Summaries returns one AccountSummary per account that f selects
// transactions of, ordered by account id.
func (s *Store) Summaries(ctx context.Context, f Filter) ([]AccountSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := f.where()
	rows, err := s.db.QueryContext(ctx, `SELECT t.account_id, COALESCE(a.description, ''), COALESCE(a.type, ''),
		COALESCE(a.currency, MIN(t.currency)), COALESCE(json_extract(a.raw, '$.sort_code'), ''),
		COALESCE(json_extract(a.raw, '$.account_number'), ''), count(*), SUM(t.amount), MIN(t.created), MAX(t.created)
		FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id
		WHERE `+where+` GROUP BY t.account_id ORDER BY t.account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: summarising transactions: %w", err)
	}
	defer rows.Close()
	var out []AccountSummary
	for rows.Next() {
		var a AccountSummary
		var typ, first, last string
		if err := rows.Scan(&a.ID, &a.Name, &typ, &a.Currency, &a.SortCode, &a.AccountNumber, &a.Count, &a.Sum, &first, &last); err != nil {
			return nil, fmt.Errorf("sqlitestore: summarising transactions: %w", err)
		}
		a.Type = monzo.AccountType(typ)
		if a.First, err = parseTime(first); err == nil {
			a.Last, err = parseTime(last)
		}
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: corrupt time in account %s: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Names lists what ledger formats must declare before use: the
// categories and currencies (account and local) of f's transactions, and
// every pot.
func (s *Store) Names(ctx context.Context, f Filter) (categories, currencies []string, pots []history.Pot, err error) {
	where, args := f.where()
	list := func(query string) ([]string, error) {
		rows, err := s.db.QueryContext(ctx, query, append(args, args...)...)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: listing names: %w", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	if categories, err = list(`SELECT t.category FROM transactions t WHERE ` + where +
		` UNION SELECT t.category FROM transactions t WHERE ` + where + ` ORDER BY 1`); err != nil {
		return nil, nil, nil, err
	}
	if currencies, err = list(`SELECT t.currency FROM transactions t WHERE ` + where +
		` UNION SELECT t.local_currency FROM transactions t WHERE ` + where + ` AND t.local_currency <> '' ORDER BY 1`); err != nil {
		return nil, nil, nil, err
	}
	pots, err = s.Pots(ctx)
	return categories, currencies, pots, err
}

// Pots returns every stored pot, deleted ones included, by name.
func (s *Store) Pots(ctx context.Context) ([]history.Pot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, name, currency, balance, deleted FROM pots ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: listing pots: %w", err)
	}
	defer rows.Close()
	var out []history.Pot
	for rows.Next() {
		var p history.Pot
		if err := rows.Scan(&p.ID, &p.AccountID, &p.Name, &p.Currency, &p.Balance, &p.Deleted); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PotSnapshots returns the recorded pot balances taken in [since, before)
// (zero times leave an end open), oldest first.
func (s *Store) PotSnapshots(ctx context.Context, since, before time.Time) ([]history.PotSnapshot, error) {
	q := `SELECT s.pot_id, COALESCE(p.name, ''), s.taken_at, s.balance, s.currency FROM pot_snapshots s
		LEFT JOIN pots p ON p.id = s.pot_id WHERE 1=1`
	var args []any
	if !since.IsZero() {
		q += " AND s.taken_at >= ?"
		args = append(args, formatTime(since))
	}
	if !before.IsZero() {
		q += " AND s.taken_at < ?"
		args = append(args, formatTime(before))
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY s.taken_at, s.pot_id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: reading pot snapshots: %w", err)
	}
	defer rows.Close()
	var out []history.PotSnapshot
	for rows.Next() {
		var p history.PotSnapshot
		var taken string
		if err := rows.Scan(&p.PotID, &p.PotName, &taken, &p.Balance, &p.Currency); err != nil {
			return nil, err
		}
		if p.Taken, err = parseTime(taken); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
