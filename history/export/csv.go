package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// column is one CSV column: its header and how to write a record's cell.
type column struct {
	name, help string
	cell       func(*history.Record) string
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

var columns = []column{
	{"id", "the transaction id (tx_…)", func(r *history.Record) string { return r.ID }},
	{"created", "when it was made, RFC 3339 UTC", func(r *history.Record) string { return formatTime(r.Created) }},
	{"settled", "when it settled; empty while pending", func(r *history.Record) string { return formatTime(r.Settled) }},
	{"account_id", "the account id", func(r *history.Record) string { return r.AccountID }},
	{"account", "the account's name for people (monzo.Account.DisplayName)", func(r *history.Record) string {
		return (&monzo.Account{ID: r.AccountID, Description: r.AccountName, Type: r.AccountType}).DisplayName()
	}},
	{"amount", "decimal, negative is money out", func(r *history.Record) string { return monzo.FormatAmount(r.Amount, r.Currency) }},
	{"amount_minor", "integer minor units (pence)", func(r *history.Record) string { return fmt.Sprint(r.Amount) }},
	{"currency", "the account's currency", func(r *history.Record) string { return r.Currency }},
	{"local_amount", "decimal, in the currency spent", func(r *history.Record) string {
		return monzo.FormatAmount(r.LocalAmount, r.LocalCurrency)
	}},
	{"local_currency", "the currency spent", func(r *history.Record) string { return r.LocalCurrency }},
	{"category", "the spending category", func(r *history.Record) string { return string(r.Category) }},
	{"payee", "merchant, counterparty or pot", func(r *history.Record) string { return r.Payee() }},
	{"merchant", "the merchant's name", func(r *history.Record) string { return r.MerchantName }},
	{"counterparty", "the other side of a transfer", func(r *history.Record) string { return r.Counterparty }},
	{"pot", "the pot of a pot transfer", func(r *history.Record) string { return r.PotName }},
	{"description", "the statement text", func(r *history.Record) string { return r.Description }},
	{"notes", "the user's notes", func(r *history.Record) string { return r.Notes }},
	{"status", "settled, pending or declined", func(r *history.Record) string { return r.Status() }},
	{"decline_reason", "why it was declined", func(r *history.Record) string { return string(r.DeclineReason) }},
	{"scheme", "how the money moved", func(r *history.Record) string { return string(r.Scheme) }},
}

// DefaultColumns are the CSV columns written when none are chosen.
var DefaultColumns = []string{"created", "account", "amount", "currency", "local_amount", "local_currency",
	"category", "payee", "description", "notes", "status", "id"}

// Columns returns every CSV column name with a short description.
func Columns() [][2]string {
	out := make([][2]string, len(columns))
	for i, c := range columns {
		out[i] = [2]string{c.name, c.help}
	}
	return out
}

func pickColumns(names []string) ([]column, error) {
	if len(names) == 0 {
		names = DefaultColumns
	}
	out := make([]column, 0, len(names))
	for _, n := range names {
		i := slices.IndexFunc(columns, func(c column) bool { return c.name == strings.TrimSpace(n) })
		if i < 0 {
			known := make([]string, len(columns))
			for j, c := range columns {
				known[j] = c.name
			}
			return nil, fmt.Errorf("export: unknown CSV column %q; the columns are %s", n, strings.Join(known, ", "))
		}
		out = append(out, columns[i])
	}
	return out, nil
}

func writeCSV(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options) (Result, error) {
	cols, err := pickColumns(opts.Columns)
	if err != nil {
		return Result{}, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 ends records with CRLF
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	if err := cw.Write(row); err != nil {
		return Result{}, err
	}
	var res Result
	for r, err := range st.Transactions(ctx, opts.Filter) {
		if err != nil {
			return res, err
		}
		for i, c := range cols {
			row[i] = c.cell(r)
		}
		if err := cw.Write(row); err != nil {
			return res, err
		}
		res.Transactions++
	}
	cw.Flush()
	return res, cw.Error()
}

// CheckColumns reports an unknown CSV column name, listing the known ones.
func CheckColumns(names []string) error {
	_, err := pickColumns(names)
	return err
}
