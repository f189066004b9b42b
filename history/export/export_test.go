package export_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aclindsa/ofxgo"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/sqlitestore"
)

const notDeclined = "decline_reason = ''"

func TestCSVTotalsEqualSQLSums(t *testing.T) {
	_, st := syncedStore(t)
	out := export1(t, st, export.Options{Format: export.CSV, Columns: []string{"id", "amount", "currency", "local_amount", "local_currency", "status", "description"}})
	if !bytes.Contains(out, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) && !bytes.Contains(out, []byte("\"")) {
		t.Error("records do not end with CRLF as RFC 4180 says")
	}
	r := csv.NewReader(bytes.NewReader(out))
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if got := strings.Join(records[0], ","); got != "id,amount,currency,local_amount,local_currency,status,description" {
		t.Fatalf("header %q", got)
	}
	got := sums{}
	for _, rec := range records[1:] {
		minor, err := monzo.ParseAmount(rec[1], rec[2])
		if err != nil {
			t.Fatalf("amount %q: %v", rec[1], err)
		}
		s := got[rec[2]]
		s.count++
		s.total += minor
		got[rec[2]] = s
		if rec[5] == "declined" {
			t.Errorf("declined transaction %s exported without asking", rec[0])
		}
	}
	sameSums(t, "CSV", got, sqlSums(t, st, "currency", notDeclined))

	// Filters: one category, a date range, pending only, declined only.
	from, to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	for name, c := range map[string]struct {
		f     sqlitestore.Filter
		where string
		args  []any
	}{
		"category":   {sqlitestore.Filter{Categories: []string{"groceries"}}, notDeclined + " AND category = ?", []any{"groceries"}},
		"date range": {sqlitestore.Filter{Since: from, Before: to}, notDeclined + " AND created >= ? AND created < ?", []any{"2025-06-01", "2025-09-01"}},
		"pending":    {sqlitestore.Filter{Pending: sqlitestore.Only}, "settled = '' AND " + notDeclined, nil},
		"declined":   {sqlitestore.Filter{Declined: sqlitestore.Only}, "decline_reason <> ''", nil},
	} {
		out := export1(t, st, export.Options{Format: export.CSV, Filter: c.f, Columns: []string{"amount_minor", "currency"}})
		records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := sums{}
		for _, rec := range records[1:] {
			var minor int64
			if err := json.Unmarshal([]byte(rec[0]), &minor); err != nil {
				t.Fatal(err)
			}
			s := got[rec[1]]
			s.count++
			s.total += minor
			got[rec[1]] = s
		}
		sameSums(t, "CSV "+name, got, sqlSums(t, st, "currency", c.where, c.args...))
	}
}

func TestJSONAndNDJSONCarryTheRawTransactions(t *testing.T) {
	_, st := syncedStore(t)
	var arr []monzo.Transaction
	if err := json.Unmarshal(export1(t, st, export.Options{Format: export.JSON}), &arr); err != nil {
		t.Fatalf("the JSON does not parse: %v", err)
	}
	var lines []monzo.Transaction
	sc := bufio.NewScanner(bytes.NewReader(export1(t, st, export.Options{Format: export.NDJSON})))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tx monzo.Transaction
		if err := json.Unmarshal(sc.Bytes(), &tx); err != nil {
			t.Fatalf("NDJSON line does not parse: %v", err)
		}
		lines = append(lines, tx)
	}
	want := sqlSums(t, st, "currency", notDeclined)
	for name, txs := range map[string][]monzo.Transaction{"JSON": arr, "NDJSON": lines} {
		got := sums{}
		for _, tx := range txs {
			s := got[tx.Currency]
			s.count++
			s.total += tx.Amount
			got[tx.Currency] = s
			if tx.Merchant.ID() != "" {
				if _, ok := tx.Merchant.Expanded(); !ok {
					t.Fatalf("%s: transaction %s lost its expanded merchant", name, tx.ID)
				}
			}
		}
		sameSums(t, name, got, want)
	}
}

func TestOFXParsesWithOFXGoAndBalances(t *testing.T) {
	_, st := syncedStore(t)
	out := export1(t, st, export.Options{Format: export.OFX})
	resp, err := ofxgo.ParseResponse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("ofxgo cannot parse the export: %v\n%.2000s", err, out)
	}
	want := sqlSums(t, st, "account_id", notDeclined)
	if len(resp.Bank) != len(want) {
		t.Fatalf("%d statements, want one per account (%d)", len(resp.Bank), len(want))
	}
	foreign := 0
	got := sums{}
	for _, m := range resp.Bank {
		stmt, ok := m.(*ofxgo.StatementResponse)
		if !ok {
			t.Fatalf("message %T, want a bank statement", m)
		}
		var acct string
		if err := st.DB().QueryRow(`SELECT id FROM accounts WHERE json_extract(raw, '$.account_number') = ?`, string(stmt.BankAcctFrom.AcctID)).Scan(&acct); err != nil {
			t.Fatalf("statement for account number %s: %v", stmt.BankAcctFrom.AcctID, err)
		}
		cur := stmt.CurDef.String()
		s := got[acct]
		for _, tx := range stmt.BankTranList.Transactions {
			minor, err := monzo.ParseAmount(tx.TrnAmt.String(), cur)
			if err != nil {
				t.Fatalf("TRNAMT %s: %v", tx.TrnAmt.String(), err)
			}
			s.count++
			s.total += minor
			if tx.OrigCurrency != nil {
				foreign++
			}
		}
		got[acct] = s
		if bal, err := monzo.ParseAmount(stmt.BalAmt.String(), cur); err != nil || bal != want[acct].total {
			t.Errorf("LEDGERBAL of %s = %s (%v), want the sum %d", acct, stmt.BalAmt.String(), err, want[acct].total)
		}
	}
	sameSums(t, "OFX", got, want)
	var wantForeign int
	st.DB().QueryRow(`SELECT count(*) FROM transactions WHERE ` + notDeclined + ` AND local_currency <> currency AND amount <> 0`).Scan(&wantForeign)
	if wantForeign == 0 || foreign != wantForeign {
		t.Errorf("%d transactions carry ORIGCURRENCY, want the %d foreign ones", foreign, wantForeign)
	}
}

func TestQIFTotalsEqualSQLSums(t *testing.T) {
	_, st := syncedStore(t)
	out := string(export1(t, st, export.Options{Format: export.QIF}))
	// A small QIF reader: "!Account" opens an account header (N is its
	// name) ended by "^"; "!Type:Bank" starts its entries, each ended by
	// "^" (T is the amount).
	got := sums{}
	account, header := "", false
	var amount string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case line == "!Account":
			header = true
		case strings.HasPrefix(line, "!Type:"):
			if line != "!Type:Bank" {
				t.Fatalf("section %q, want !Type:Bank", line)
			}
		case line == "^" && header:
			header = false
		case line == "^":
			minor, err := monzo.ParseAmount(amount, "GBP")
			if err != nil {
				t.Fatalf("amount %q: %v", amount, err)
			}
			s := got[account]
			s.count++
			s.total += minor
			got[account] = s
			amount = ""
		case header && strings.HasPrefix(line, "N"):
			account = line[1:]
		case !header && strings.HasPrefix(line, "T"):
			amount = line[1:]
		}
	}
	// QIF names accounts its own way: compare the (count, total) pairs.
	want := sqlSums(t, st, "account_id", notDeclined)
	var gotPairs, wantPairs []string
	for _, v := range got {
		gotPairs = append(gotPairs, fmt.Sprint(v))
	}
	for _, v := range want {
		wantPairs = append(wantPairs, fmt.Sprint(v))
	}
	slices.Sort(gotPairs)
	slices.Sort(wantPairs)
	if !slices.Equal(gotPairs, wantPairs) {
		t.Errorf("QIF accounts (count, total) %v, SQL %v", gotPairs, wantPairs)
	}
}

func TestUnknownFormatAndColumnSayWhatExists(t *testing.T) {
	if _, err := export.ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "csv, json") {
		t.Errorf("ParseFormat(xlsx) = %v", err)
	}
	_, st := syncedStore(t)
	_, err := export.Write(t.Context(), &bytes.Buffer{}, st, export.Options{Format: export.CSV, Columns: []string{"amount", "colour"}})
	if err == nil || !strings.Contains(err.Error(), `"colour"`) || !strings.Contains(err.Error(), "payee") {
		t.Errorf("unknown column: %v", err)
	}
	_, err = export.Write(t.Context(), &bytes.Buffer{}, st, export.Options{Format: export.Ledger, Ledger: export.LedgerOptions{Assets: "assets monzo"}})
	if err == nil || !strings.Contains(err.Error(), "Assets:Monzo") {
		t.Errorf("bad ledger account name: %v", err)
	}
}

// The account column names accounts as people know them: a personal
// account's description is its owner's user id, which says nothing.
func TestCSVAccountColumnNamesAccountsForPeople(t *testing.T) {
	srv, st := syncedStore(t)
	accounts, err := srv.Client.Accounts.List(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, a := range accounts {
		want[a.ID] = a.DisplayName()
	}
	out := export1(t, st, export.Options{Format: export.CSV, Columns: []string{"account_id", "account"}})
	records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range records[1:] {
		if rec[1] != want[rec[0]] || strings.HasPrefix(rec[1], "user_") {
			t.Fatalf("account %s is named %q, want %q", rec[0], rec[1], want[rec[0]])
		}
		seen[rec[1]] = true
	}
	if !seen["Personal account"] {
		t.Errorf("no row names the personal account; names: %v", seen)
	}
}
