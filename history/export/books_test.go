package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/export"
)

// book is what the small beancount/ledger reader below found.
type book struct {
	opened  map[string]bool
	entries int
	// byAccount adds up postings in each account's own currency (units,
	// not prices): for the Monzo accounts, their balance.
	byAccount map[string]int64
	// withPrice counts postings with a total price (foreign spend).
	withPrice int
}

var (
	beanHeader   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} [*!] "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*"$`)
	ledgerHeader = regexp.MustCompile(`^\d{4}/\d{2}/\d{2} [*!] \S.*$`)
	postingRE    = regexp.MustCompile(`^\s+([A-Z0-9][A-Za-z0-9:-]*)  (-?\d+(?:\.\d+)?) ([A-Z]{3})(?: @@ (\d+(?:\.\d+)?) ([A-Z]{3}))?$`)
)

// readBook checks every entry balances (the sum of posting weights is zero
// in every currency) and only uses declared accounts.
func readBook(t *testing.T, text string, bean bool) book {
	t.Helper()
	b := book{opened: map[string]bool{}, byAccount: map[string]int64{}}
	for i, block := range strings.Split(text, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 0 || lines[0] == "" || strings.HasPrefix(lines[0], ";") && len(lines) <= 2 {
			continue
		}
		head := lines[0]
		switch {
		case bean && strings.Contains(head, " open "), !bean && (strings.HasPrefix(head, "account ") || strings.HasPrefix(head, "commodity ") || strings.HasPrefix(head, "tag ")):
			for _, l := range lines {
				if f := strings.Fields(l); f[0] == "account" || bean {
					b.opened[f[len(f)-1]] = true
				}
			}
			continue
		case bean && strings.HasPrefix(head, "option "), strings.HasPrefix(head, ";"):
			continue
		case bean && !beanHeader.MatchString(head), !bean && !ledgerHeader.MatchString(head):
			t.Fatalf("block %d: bad entry header %q", i, head)
		}
		b.entries++
		weights := map[string]int64{}
		postings := 0
		for _, l := range lines[1:] {
			trimmed := strings.TrimSpace(l)
			if strings.HasPrefix(trimmed, ";") || bean && regexp.MustCompile(`^[a-z_]+: "`).MatchString(trimmed) {
				continue
			}
			m := postingRE.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("entry %q: bad posting %q", head, l)
			}
			if !b.opened[m[1]] {
				t.Fatalf("entry %q posts to %s, which was never declared", head, m[1])
			}
			units, err := monzo.ParseAmount(m[2], m[3])
			if err != nil {
				t.Fatal(err)
			}
			postings++
			b.byAccount[m[1]] += units
			if m[4] == "" {
				weights[m[3]] += units
				continue
			}
			b.withPrice++
			price, err := monzo.ParseAmount(m[4], m[5])
			if err != nil {
				t.Fatal(err)
			}
			if units < 0 {
				price = -price
			}
			weights[m[5]] += price
		}
		if postings != 2 {
			t.Fatalf("entry %q has %d postings, want 2", head, postings)
		}
		for cur, w := range weights {
			if w != 0 {
				t.Fatalf("entry %q does not balance: %d %s left over", head, w, cur)
			}
		}
	}
	return b
}

func TestBeancountAndLedgerEntriesBalance(t *testing.T) {
	_, st := syncedStore(t)
	want := sqlSums(t, st, "account_id", notDeclined)
	var wantCount int64
	for _, s := range want {
		wantCount += s.count
	}
	var pots, potTotal int64
	st.DB().QueryRow(`SELECT count(*), COALESCE(SUM(-amount), 0) FROM transactions WHERE pot_id <> '' AND `+notDeclined).Scan(&pots, &potTotal)
	if pots == 0 {
		t.Fatal("the seeded history has no pot transfers to check")
	}
	names := export.LedgerOptions{Assets: "Assets:Bank:Monzo", Expenses: "Expenses:Monzo"}
	for _, format := range []export.Format{export.Beancount, export.Ledger} {
		t.Run(string(format), func(t *testing.T) {
			out := export1(t, st, export.Options{Format: format, Ledger: names})
			b := readBook(t, string(out), format == export.Beancount)
			if int64(b.entries) != wantCount {
				t.Errorf("%d entries, want %d", b.entries, wantCount)
			}
			if b.withPrice == 0 {
				t.Error("no foreign payment carries its local amount")
			}
			var assets, potSum int64
			for acct, sum := range b.byAccount {
				switch {
				case strings.HasPrefix(acct, "Assets:Bank:Monzo:Pots:"):
					potSum += sum
				case strings.HasPrefix(acct, "Assets:Bank:Monzo:"):
					assets += sum
				case strings.HasPrefix(acct, "Expenses:Monzo:"), strings.HasPrefix(acct, "Income:"):
				default:
					t.Errorf("posting to %s, outside the configured names", acct)
				}
			}
			var wantTotal int64
			for _, s := range want {
				wantTotal += s.total
			}
			if assets != wantTotal {
				t.Errorf("Monzo accounts sum to %d, SQL says %d", assets, wantTotal)
			}
			if potSum != potTotal {
				t.Errorf("pots sum to %d, SQL says %d: pot transfers must be transfers between assets", potSum, potTotal)
			}
			checkWithRealTool(t, format, out)
		})
	}
}

// checkWithRealTool runs bean-check or ledger when installed (Debian
// packages beancount and ledger).
func checkWithRealTool(t *testing.T, format export.Format, out []byte) {
	name, args := "ledger", []string{"-f", "", "balance", "--no-total"}
	if format == export.Beancount {
		name, args = "bean-check", []string{""}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		t.Logf("%s not installed; checked with the test's own reader only", name)
		return
	}
	file := filepath.Join(t.TempDir(), "books."+string(format))
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range args {
		if args[i] == "" {
			args[i] = file
		}
	}
	if format == export.Ledger {
		args = append(args, "--pedantic")
	}
	cmd := exec.Command(path, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("%s rejects the export: %v\n%s", name, err, stderr.String())
	}
}
