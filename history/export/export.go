// Package export writes stored history in the formats finance tools read:
// CSV (RFC 4180), JSON and NDJSON (the API's own transaction objects),
// OFX 2 (through github.com/aclindsa/ofxgo), QIF, beancount and ledger.
//
// Every writer streams: transactions are read from the store one at a time
// and written out, so memory stays flat however long the history. Amounts
// stay integers in minor units until they are formatted with their
// currency's exponent (monzo.FormatAmount); nothing goes through a float.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/monzokit/monzo/history/sqlitestore"
)

// Format names an export format.
type Format string

// Formats.
const (
	CSV       Format = "csv"
	JSON      Format = "json"
	NDJSON    Format = "ndjson"
	OFX       Format = "ofx"
	QIF       Format = "qif"
	Beancount Format = "beancount"
	Ledger    Format = "ledger"
)

// Formats lists every format, for help text and validation.
var Formats = []Format{CSV, JSON, NDJSON, OFX, QIF, Beancount, Ledger}

// ParseFormat checks a format name given by a user.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("export: unknown format %q; choose one of %s", s, strings.Join(names, ", "))
}

// Options configure [Write].
type Options struct {
	Format Format
	// Filter selects the transactions. Formats that keep books (OFX, QIF,
	// beancount, ledger) always leave declined payments out: they moved
	// no money.
	Filter sqlitestore.Filter
	// Columns are the CSV columns, in order; [DefaultColumns] when empty.
	// See [Columns] for the names.
	Columns []string
	// Ledger names the accounts of beancount and ledger output.
	Ledger LedgerOptions
	// Location is the time zone of dates in QIF, beancount and ledger
	// output; UTC when nil. Monzo's statements use Europe/London.
	Location *time.Location
	// Now stamps OFX headers; time.Now when nil.
	Now func() time.Time
}

// Result says what was written.
type Result struct {
	// Transactions counts the transactions written.
	Transactions int
}

// Write writes the transactions opts selects from st to w in opts.Format.
func Write(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options) (Result, error) {
	if st == nil {
		return Result{}, errors.New("export: no store to read from")
	}
	if err := opts.Filter.Validate(); err != nil {
		return Result{}, err
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	switch opts.Format {
	case CSV:
		return writeCSV(ctx, w, st, opts)
	case JSON:
		return writeJSON(ctx, w, st, opts, false)
	case NDJSON:
		return writeJSON(ctx, w, st, opts, true)
	case OFX:
		return writeOFX(ctx, w, st, opts)
	case QIF:
		return writeQIF(ctx, w, st, opts)
	case Beancount, Ledger:
		return writeBooks(ctx, w, st, opts)
	}
	_, err := ParseFormat(string(opts.Format))
	return Result{}, err
}

// booksFilter is the filter of formats that keep books: no declines.
func booksFilter(f sqlitestore.Filter) sqlitestore.Filter {
	f.Declined = sqlitestore.Exclude
	return f
}

// statements prepares a format written as one statement per account (OFX,
// QIF): the filter of its transactions, in account order, and a summary
// of each account they belong to.
func statements(ctx context.Context, st *sqlitestore.Store, opts Options) (sqlitestore.Filter, []sqlitestore.AccountSummary, error) {
	f := booksFilter(opts.Filter)
	f.ByAccount = true
	accounts, err := st.Summaries(ctx, f)
	return f, accounts, err
}
