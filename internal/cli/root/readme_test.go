package root_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

// TestREADMERecipesRunOnTheEmulator runs every `monzo …` line of the README
// against the emulator, as a new user trying them there would, with the
// placeholders (tx_…, acc_…, the receipt files) filled in. Commands that
// log in or out, or run until Ctrl-C, are covered by their own tests.
func TestREADMERecipesRunOnTheEmulator(t *testing.T) {
	readme, err := filepath.Abs("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	// Files the recipes write (exports, the report, the history
	// database) go to temporary directories, not the package or $HOME.
	t.Chdir(t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	e := clitest.New(t)
	tok, err := e.Srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.WriteProfile("emulator", e.Srv.Login.Config, tok)
	account := e.Srv.AccountID(monzo.AccountTypeRetail)
	txID := payByCard(t, e, account)
	dir := t.TempDir()
	png := filepath.Join(dir, "receipt.png")
	receipt := filepath.Join(dir, "receipt.json")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\nxxxx"), 0o600)
	os.WriteFile(receipt, []byte(`{"external_id": "shop-1234", "total": 1250, "currency": "GBP",
 "items": [{"description": "Coffee beans", "amount": 1250, "currency": "GBP", "quantity": 1}]}`), 0o600)
	fill := strings.NewReplacer("tx_…", txID, "acc_…", account, "receipt.png", png, "receipt.json", receipt)
	skip := map[string]bool{"login": true, "logout": true, "emulator": true, "listen": true}
	ran := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "monzo ") {
			continue
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		args := shellWords(t, fill.Replace(line))[1:]
		if skip[args[0]] || (len(args) > 1 && skip[args[1]]) {
			continue
		}
		if res := e.Run(args...); res.Code != 0 {
			t.Errorf("README: %s\nexit %d:\n%s", line, res.Code, res.Err)
		}
		ran++
	}
	if ran < 15 {
		t.Errorf("only %d README commands ran", ran)
	}
}

// shellWords splits a command line as a shell would for the README's
// simple lines: blanks separate words, quotes group them.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unbalanced quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// payByCard makes a card payment at a merchant and returns its id.
func payByCard(t *testing.T, e *clitest.Env, account string) string {
	t.Helper()
	id, err := e.Srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: account, Amount: 1250, MerchantName: "Pret A Manger"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
