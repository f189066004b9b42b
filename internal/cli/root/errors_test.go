package root_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/root"
)

// A profile whose API address has nothing listening (an emulator that was
// stopped) gets a hint saying what to check, not a bare dial error.
func TestUnreachableAPISaysWhatToCheck(t *testing.T) {
	e := clitest.New(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	e.EditProfile(config.DefaultProfile, func(p *config.Profile) { p.APIURL, p.AuthURL = down, down })
	res := e.Run("balance")
	if res.Code != root.ExitError || !strings.Contains(res.Err, "hint: nothing answers at the API address") || !strings.Contains(res.Err, "monzo emulator") {
		t.Errorf("balance against a stopped emulator: exit %d, stderr:\n%s", res.Code, res.Err)
	}
}

// A wrong client secret is refused by the token endpoint: the hint points
// at the client credentials, not at logging in again (which would fail the
// same way).
func TestWrongClientSecretSaysSo(t *testing.T) {
	e := clitest.New(t)
	e.EditProfile(config.DefaultProfile, func(p *config.Profile) { p.ClientSecret = "mnzconf.wrong" })
	// The stored token expires, so the next command must refresh it.
	e.Srv.Clock.Advance(emulator.DefaultAccessTokenTTL + time.Minute)
	res := e.Run("balance")
	if res.Code != root.ExitAuth || !strings.Contains(res.Err, "hint: Monzo refused the client id or secret") || !strings.Contains(res.Err, "MONZO_CLIENT_SECRET") {
		t.Errorf("wrong client secret: exit %d, stderr:\n%s", res.Code, res.Err)
	}
	if strings.Contains(res.Err, "mnzconf.wrong") {
		t.Errorf("the secret was printed:\n%s", res.Err)
	}
	// The refresh token was not spent: with the right secret it still works.
	e.EditProfile(config.DefaultProfile, func(p *config.Profile) { p.ClientSecret = e.Srv.Login.Config.ClientSecret })
	e.MustRun("balance")
}

// Errors wrapped by the command say "monzo:" once, although the library's
// own errors start with its package name too.
func TestErrorsSayMonzoOnce(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"pots", "deposit", "Holidays", "12.345", "--yes"},
		{"transactions", "--limit", "101", "--since", "1d", "--account", "acc_x"},
	} {
		res := e.Run(args...)
		if res.Code == 0 || strings.Count(res.Err, "monzo:") != 1 {
			t.Errorf("monzo %q: exit %d, stderr:\n%s", args, res.Code, res.Err)
		}
	}
}

// An id Monzo does not know gets a hint saying where the right ids are
// listed, on every command that takes one.
func TestUnknownIDsSayWhereToFindThem(t *testing.T) {
	e := clitest.New(t)
	png := filepath.Join(t.TempDir(), "r.png")
	if err := os.WriteFile(png, []byte("\x89PNG\r\n\x1a\nxxxx"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"transactions", "show", "tx_nope"}, "`monzo transactions` lists their ids"},
		{[]string{"transactions", "annotate", "tx_nope", "a=b"}, "`monzo transactions` lists their ids"},
		{[]string{"transactions", "notes", "tx_nope", "hi"}, "`monzo transactions` lists their ids"},
		{[]string{"attachments", "add", "tx_nope", png}, "`monzo transactions` lists their ids"},
		{[]string{"attachments", "remove", "attach_nope"}, "`monzo transactions show TX` lists"},
		{[]string{"receipts", "show", "nope"}, "no receipt has this external id"},
		{[]string{"receipts", "delete", "nope"}, "no receipt has this external id"},
		{[]string{"webhooks", "remove", "webhook_nope"}, "`monzo webhooks list`"},
	} {
		res := e.Run(tc.args...)
		if res.Code != root.ExitAPI || !strings.Contains(res.Err, "hint: ") || !strings.Contains(res.Err, tc.want) {
			t.Errorf("monzo %q: exit %d, want %d and a hint with %q:\n%s", tc.args, res.Code, root.ExitAPI, tc.want, res.Err)
		}
	}
}

// TestErrorMessagesGolden keeps what a user sees for the common mistakes in
// one file, so a change to any message or hint shows up in review.
func TestErrorMessagesGolden(t *testing.T) {
	e := clitest.New(t)
	var b strings.Builder
	for _, args := range [][]string{
		{"balance", "--profile", "nobody"},
		{"pots", "deposit", "No Such Pot", "5"},
		{"pots", "deposit", "Holidays", "£5"},
		{"pots", "deposit", "Holidays", "5.001"},
		{"pots", "deposit", "Holidays", "-5"},
		{"transactions", "--since", "yesterday"},
		{"transactions", "show", "tx_nope"},
		{"transactions", "annotate", "tx_1", "trip"},
		{"webhooks", "add", "example.com/hook?token=secret"},
		{"feed", "post", "--title", "t", "--image-url", "icon.png"},
		{"feed", "post", "--image-url", "https://example.com/i.png", "--url", "example.com"},
		{"api", "GET", "https://example.com/accounts"},
		{"bogus"},
	} {
		res := e.Run(args...)
		fmt.Fprintf(&b, "$ monzo %s\n%s(exit %d)\n\n", strings.Join(args, " "), res.Err, res.Code)
	}
	e.Golden("errors", b.String())
}
