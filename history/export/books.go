package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// LedgerOptions name the accounts of beancount and ledger output. Each
// Monzo account becomes Assets:…, each pot an asset account of its own
// (moving money to a pot is a transfer, not spending), and each category
// an expense or income account.
type LedgerOptions struct {
	// Assets is the parent of the Monzo accounts: "Assets:Monzo" when empty.
	Assets string
	// Pots is the parent of the pots: Assets + ":Pots" when empty.
	Pots string
	// Expenses and Income are the parents of the categories: "Expenses"
	// and "Income" when empty.
	Expenses, Income string
	// Accounts names Monzo accounts by id, overriding Assets:<type>.
	Accounts map[string]string
}

func (o LedgerOptions) withDefaults() LedgerOptions {
	o.Assets = strings.TrimSuffix(cmpOr(o.Assets, "Assets:Monzo"), ":")
	o.Pots = strings.TrimSuffix(cmpOr(o.Pots, o.Assets+":Pots"), ":")
	o.Expenses = strings.TrimSuffix(cmpOr(o.Expenses, "Expenses"), ":")
	o.Income = strings.TrimSuffix(cmpOr(o.Income, "Income"), ":")
	return o
}

func cmpOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// Validate reports an account name the formats would reject.
func (o LedgerOptions) Validate() error {
	o = o.withDefaults()
	check := func(what, name string) error {
		for _, part := range strings.Split(name, ":") {
			if part == "" || !(unicode.IsUpper(rune(part[0])) || unicode.IsDigit(rune(part[0]))) || strings.ContainsAny(part, " \t\"") {
				return fmt.Errorf("export: %s %q is not a valid account name: write components that start with a capital letter or digit, separated by ':' (e.g. Assets:Monzo)", what, name)
			}
		}
		return nil
	}
	for _, p := range [][2]string{{"assets account", o.Assets}, {"pots account", o.Pots}, {"expenses account", o.Expenses}, {"income account", o.Income}} {
		if err := check(p[0], p[1]); err != nil {
			return err
		}
	}
	for id, name := range o.Accounts {
		if err := check("the name for account "+id, name); err != nil {
			return err
		}
	}
	return nil
}

// component turns a free-text name ("eating_out", "Holiday fund 🏖") into
// an account-name component ("EatingOut", "HolidayFund").
func component(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// namer maps records to account names.
type namer struct {
	o        LedgerOptions
	accounts map[string]string // Monzo account id → asset account
}

func newNamer(o LedgerOptions, accounts []sqlitestore.AccountSummary) *namer {
	n := &namer{o: o.withDefaults(), accounts: map[string]string{}}
	byType := map[string]int{}
	for _, a := range accounts {
		byType[accountComponent(a.Type)]++
	}
	for _, a := range accounts {
		if name, ok := n.o.Accounts[a.ID]; ok {
			n.accounts[a.ID] = name
			continue
		}
		c := accountComponent(a.Type)
		if byType[c] > 1 {
			// Two accounts of a kind: tell them apart by their id's tail.
			c += "-" + component(a.ID[max(0, len(a.ID)-6):])
		}
		n.accounts[a.ID] = n.o.Assets + ":" + c
	}
	return n
}

func accountComponent(t monzo.AccountType) string {
	switch t {
	case monzo.AccountTypeRetail:
		return "Current"
	case monzo.AccountTypeRetailJoint:
		return "Joint"
	case monzo.AccountTypePrepaid:
		return "Prepaid"
	case monzo.AccountTypeBusiness:
		return "Business"
	case monzo.AccountTypeFlex:
		return "Flex"
	case monzo.AccountTypeRewards:
		return "Rewards"
	}
	return cmpOr(component(strings.TrimPrefix(string(t), "uk_")), "Account")
}

func (n *namer) account(r *history.Record) string { return n.accounts[r.AccountID] }

func (n *namer) pot(id, name string) string {
	return n.o.Pots + ":" + cmpOr(component(name), component(id))
}

func (n *namer) category(c string, income bool) string {
	parent := n.o.Expenses
	if income {
		parent = n.o.Income
	}
	return parent + ":" + cmpOr(component(c), "Uncategorised")
}

// other is the account on the other side of r.
func (n *namer) other(r *history.Record) string {
	if r.IsPotTransfer() {
		return n.pot(r.PotID, r.PotName)
	}
	return n.category(string(r.Category), r.Amount > 0)
}

// writeBooks writes beancount or ledger entries: declarations first (both
// tools want accounts opened before use), then one balanced entry per
// transaction. The Monzo account's posting is the amount as the API gives
// it; the other posting is its negation, in the currency spent for foreign
// payments with the account-currency total as its price ("@@"), so every
// entry balances exactly.
func writeBooks(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options) (Result, error) {
	if err := opts.Ledger.Validate(); err != nil {
		return Result{}, err
	}
	f := booksFilter(opts.Filter)
	accounts, err := st.Summaries(ctx, f)
	if err != nil {
		return Result{}, err
	}
	categories, currencies, pots, err := st.Names(ctx, f)
	if err != nil {
		return Result{}, err
	}
	n := newNamer(opts.Ledger, accounts)
	bean := opts.Format == Beancount
	bw := bufio.NewWriter(w)

	var first time.Time
	for _, a := range accounts {
		if first.IsZero() || a.First.Before(first) {
			first = a.First
		}
	}
	if len(accounts) > 0 {
		var names []string
		for _, a := range accounts {
			names = append(names, n.accounts[a.ID])
		}
		for _, p := range pots {
			names = append(names, n.pot(p.ID, p.Name))
		}
		for _, c := range categories {
			names = append(names, n.category(c, false), n.category(c, true))
		}
		slices.Sort(names)
		names = slices.Compact(names)
		day := first.In(opts.Location).Format("2006-01-02")
		if bean {
			fmt.Fprintf(bw, "; Monzo history exported by the monzo command\noption \"title\" \"Monzo\"\n\n")
			for _, name := range names {
				fmt.Fprintf(bw, "%s open %s\n", day, name)
			}
		} else {
			fmt.Fprintf(bw, "; Monzo history exported by the monzo command\n\n")
			// Declared so that ledger --pedantic accepts the file.
			bw.WriteString("tag monzo_id\ntag description\ntag notes\n")
			for _, c := range currencies {
				fmt.Fprintf(bw, "commodity %s\n", c)
			}
			for _, name := range names {
				fmt.Fprintf(bw, "account %s\n", name)
			}
		}
		bw.WriteString("\n")
	}

	var res Result
	for r, err := range st.Transactions(ctx, f) {
		if err != nil {
			return res, err
		}
		if bean {
			writeBeancountEntry(bw, n, r, opts.Location)
		} else {
			writeLedgerEntry(bw, n, r, opts.Location)
		}
		res.Transactions++
		if bw.Buffered() > 32<<10 {
			if err := bw.Flush(); err != nil {
				return res, err
			}
		}
	}
	return res, bw.Flush()
}

// postings returns the two postings' amounts: the Monzo account's and the
// other side's (with a total price for foreign spend).
func postings(r *history.Record) (own, other string) {
	own = monzo.FormatAmount(r.Amount, r.Currency) + " " + r.Currency
	other = monzo.FormatAmount(-r.Amount, r.Currency) + " " + r.Currency
	if r.IsForeign() && r.LocalAmount != 0 && r.Amount != 0 && sameSign(r.Amount, r.LocalAmount) {
		total := r.Amount
		if total < 0 {
			total = -total
		}
		other = fmt.Sprintf("%s %s @@ %s %s", monzo.FormatAmount(-r.LocalAmount, r.LocalCurrency), r.LocalCurrency,
			monzo.FormatAmount(total, r.Currency), r.Currency)
	}
	return own, other
}

func sameSign(a, b int64) bool { return (a < 0) == (b < 0) }

// quote writes s as a beancount string.
func quote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s)
	return `"` + s + `"`
}

func writeBeancountEntry(w *bufio.Writer, n *namer, r *history.Record, loc *time.Location) {
	flag := "*"
	if r.IsPending() {
		flag = "!"
	}
	narration := r.Description
	if r.Notes != "" {
		narration += " | " + r.Notes
	}
	own, other := postings(r)
	fmt.Fprintf(w, "%s %s %s %s\n  monzo_id: %s\n  category: %s\n", r.Created.In(loc).Format("2006-01-02"), flag,
		quote(r.Payee()), quote(narration), quote(r.ID), quote(string(r.Category)))
	fmt.Fprintf(w, "  %s  %s\n  %s  %s\n\n", n.account(r), own, n.other(r), other)
}

// oneLine keeps free text on one line, as ledger's payee and notes need.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeLedgerEntry(w *bufio.Writer, n *namer, r *history.Record, loc *time.Location) {
	flag := "*"
	if r.IsPending() {
		flag = "!"
	}
	payee := oneLine(r.Payee())
	if payee == "" {
		payee = "Monzo"
	}
	own, other := postings(r)
	fmt.Fprintf(w, "%s %s %s\n    ; monzo_id: %s\n", r.Created.In(loc).Format("2006/01/02"), flag, payee, r.ID)
	if d := oneLine(r.Description); d != "" {
		// As a tag's value, so that colons in the statement text are not
		// read as ledger tags.
		fmt.Fprintf(w, "    ; description: %s\n", d)
	}
	if notes := oneLine(r.Notes); notes != "" {
		fmt.Fprintf(w, "    ; notes: %s\n", notes)
	}
	fmt.Fprintf(w, "    %s  %s\n    %s  %s\n\n", n.account(r), own, n.other(r), other)
}
