package export

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// writeQIF writes one bank section per account. Dates are ISO (YYYY-MM-DD,
// which GnuCash and most importers read without guessing the day/month
// order); pot transfers name the pot as a transfer account ("L[Pot]"); a
// foreign payment's amount in the currency spent goes in the memo, since
// QIF has no field for it.
func writeQIF(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options) (Result, error) {
	f, accounts, err := statements(ctx, st, opts)
	if err != nil {
		return Result{}, err
	}
	n := newNamer(opts.Ledger, accounts)
	bw := bufio.NewWriter(w)
	var res Result
	current := ""
	for r, err := range st.Transactions(ctx, f) {
		if err != nil {
			return res, err
		}
		if r.AccountID != current {
			current = r.AccountID
			fmt.Fprintf(bw, "!Account\nN%s\nTBank\n^\n!Type:Bank\n", n.account(r))
		}
		fmt.Fprintf(bw, "D%s\nT%s\n", r.Created.In(opts.Location).Format("2006-01-02"), monzo.FormatAmount(r.Amount, r.Currency))
		if r.IsPending() {
			bw.WriteString("C\n") // not cleared
		} else {
			bw.WriteString("C*\n")
		}
		fmt.Fprintf(bw, "N%s\nP%s\n", r.ID, oneLine(r.Payee()))
		if m := oneLine(memo(r)); m != "" {
			fmt.Fprintf(bw, "M%s\n", m)
		}
		if r.IsPotTransfer() {
			fmt.Fprintf(bw, "L[%s]\n", n.pot(r.PotID, r.PotName))
		} else {
			fmt.Fprintf(bw, "L%s\n", oneLine(string(r.Category)))
		}
		bw.WriteString("^\n")
		res.Transactions++
		if bw.Buffered() > 32<<10 {
			if err := bw.Flush(); err != nil {
				return res, err
			}
		}
	}
	return res, bw.Flush()
}
