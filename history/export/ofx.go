package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/aclindsa/ofxgo"
	"github.com/aclindsa/xml"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// monzoSortCode stands in for an account's bank id when the API gave
// no sort code: every Monzo current account's sort code starts 04-00-04.
const monzoSortCode = "040004"

// writeOFX writes an OFX 2.0.3 statement per account. The envelope (sign-on,
// statement headers, ledger balance) is built and encoded by ofxgo with
// empty transaction lists; each account's transactions are then streamed
// into its list, encoded one by one with ofxgo's own types, so a long
// history never sits in memory.
//
// LEDGERBAL is the sum of the exported transactions: the account's balance
// when the export covers its whole history.
func writeOFX(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options) (Result, error) {
	f, accounts, err := statements(ctx, st, opts)
	if err != nil {
		return Result{}, err
	}
	now := opts.Now()
	resp := ofxgo.Response{
		Version: ofxgo.OfxVersion203,
		Signon: ofxgo.SignonResponse{
			Status:   ofxgo.Status{Code: 0, Severity: "INFO"},
			DtServer: ofxgo.Date{Time: now},
			Language: "ENG",
			Org:      "Monzo",
			Fid:      "monzo",
		},
	}
	for i, a := range accounts {
		cur, err := ofxgo.NewCurrSymbol(a.Currency)
		if err != nil {
			return Result{}, fmt.Errorf("export: account %s has currency %q, which OFX cannot name: %w", a.ID, a.Currency, err)
		}
		bankID, acctID := a.SortCode, a.AccountNumber
		if bankID == "" {
			bankID = monzoSortCode
		}
		if acctID == "" {
			acctID = a.ID
		}
		end := a.Last
		if !opts.Filter.Before.IsZero() {
			end = opts.Filter.Before
		}
		start := a.First
		if !opts.Filter.Since.IsZero() {
			start = opts.Filter.Since
		}
		resp.Bank = append(resp.Bank, &ofxgo.StatementResponse{
			TrnUID:       ofxgo.UID(fmt.Sprintf("monzo-export-%d", i+1)),
			Status:       ofxgo.Status{Code: 0, Severity: "INFO"},
			CurDef:       *cur,
			BankAcctFrom: ofxgo.BankAcct{BankID: ofxgo.String(bankID), AcctID: ofxgo.String(acctID), AcctType: ofxgo.AcctTypeChecking},
			BankTranList: &ofxgo.TransactionList{DtStart: ofxgo.Date{Time: start}, DtEnd: ofxgo.Date{Time: end}},
			BalAmt:       minorAmount(a.Sum, a.Currency),
			DtAsOf:       ofxgo.Date{Time: end},
		})
	}
	envelope, err := resp.Marshal()
	if err != nil {
		return Result{}, fmt.Errorf("export: encoding the OFX envelope: %w", err)
	}
	const endList = "</BANKTRANLIST>"
	parts := strings.Split(envelope.String(), endList)
	if len(parts) != len(accounts)+1 {
		return Result{}, errors.New("export: the OFX envelope does not have one transaction list per account")
	}

	var res Result
	enc := xml.NewEncoder(w)
	enc.Indent("", "    ")
	current := -1
	next := func() error { // close the current list, open the next
		current++
		if current > 0 {
			if _, err := io.WriteString(w, endList); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, parts[current])
		return err
	}
	if err := next(); err != nil {
		return res, err
	}
	for r, err := range st.Transactions(ctx, f) {
		if err != nil {
			return res, err
		}
		for current < len(accounts) && accounts[current].ID != r.AccountID {
			if err := next(); err != nil {
				return res, err
			}
		}
		if current >= len(accounts) {
			return res, fmt.Errorf("export: transaction %s of account %s arrived out of order", r.ID, r.AccountID)
		}
		tx, err := ofxTransaction(r)
		if err != nil {
			return res, err
		}
		if err := enc.Encode(tx); err != nil {
			return res, fmt.Errorf("export: encoding transaction %s as OFX: %w", r.ID, err)
		}
		if err := enc.Flush(); err != nil {
			return res, err
		}
		res.Transactions++
	}
	for current < len(accounts) {
		if err := next(); err != nil {
			return res, err
		}
	}
	return res, nil
}

// minorAmount is an exact ofxgo amount from minor units.
func minorAmount(minor int64, currency string) ofxgo.Amount {
	var a ofxgo.Amount
	a.SetFrac(big.NewInt(minor), pow10(currency))
	return a
}

func pow10(currency string) *big.Int {
	exp, err := monzo.CurrencyExponent(currency)
	if err != nil {
		exp = 2
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)
}

func ofxTransaction(r *history.Record) (*ofxgo.Transaction, error) {
	tx := &ofxgo.Transaction{
		DtPosted: ofxgo.Date{Time: r.Created},
		TrnAmt:   minorAmount(r.Amount, r.Currency),
		FiTID:    ofxgo.String(r.ID),
		// NAME holds at most 32 characters in OFX.
		Name: ofxgo.String(truncate(r.Payee(), 32)),
		Memo: ofxgo.String(truncate(memo(r), 255)),
	}
	setTrnType(tx, r)
	if !r.Settled.IsZero() {
		tx.DtAvail = &ofxgo.Date{Time: r.Settled}
	}
	if r.IsForeign() && r.LocalAmount != 0 && r.Amount != 0 {
		sym, err := ofxgo.NewCurrSymbol(r.LocalCurrency)
		if err == nil {
			// CURRATE: units of the account's currency per unit of the
			// currency spent, to 6 decimal places.
			rate := new(big.Rat).SetFrac(
				new(big.Int).Mul(big.NewInt(r.Amount), pow10(r.LocalCurrency)),
				new(big.Int).Mul(big.NewInt(r.LocalAmount), pow10(r.Currency)))
			var cr ofxgo.Amount
			cr.SetString(rate.FloatString(6))
			tx.OrigCurrency = &ofxgo.Currency{XMLName: xml.Name{Local: "ORIGCURRENCY"}, CurRate: cr, CurSym: *sym}
		}
	}
	return tx, nil
}

func setTrnType(tx *ofxgo.Transaction, r *history.Record) {
	switch {
	case r.IsPotTransfer():
		tx.TrnType = ofxgo.TrnTypeXfer
	case r.Scheme == monzo.SchemeAccountInterest:
		tx.TrnType = ofxgo.TrnTypeInt
	case r.Scheme == monzo.SchemeBACS && r.Amount < 0:
		tx.TrnType = ofxgo.TrnTypeDirectDebit
	case r.Scheme == monzo.SchemeMastercard && r.Amount < 0:
		tx.TrnType = ofxgo.TrnTypePOS
	case r.Amount < 0:
		tx.TrnType = ofxgo.TrnTypeDebit
	default:
		tx.TrnType = ofxgo.TrnTypeCredit
	}
}

// memo is the statement text, the user's notes and, for foreign spend,
// the amount in the currency spent.
func memo(r *history.Record) string {
	parts := []string{r.Description}
	if r.Notes != "" {
		parts = append(parts, r.Notes)
	}
	if r.IsForeign() {
		parts = append(parts, monzo.Money{Amount: r.LocalAmount, Currency: r.LocalCurrency}.String())
	}
	if r.IsPending() {
		parts = append(parts, "pending")
	}
	var b bytes.Buffer
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
