package root_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
	"github.com/monzokit/monzo/monzotest"
)

// noJSON are the commands whose output is not data: help, shell
// completion scripts, the tutorial, and the one that prints a token.
var noJSON = map[string]bool{"monzo demo": true, "monzo auth token": true}

func TestEveryCommandHasExamplesAndJSON(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := root.NewCmd(cmdutil.New(ios, func(string) string { return "" }))
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		path := c.CommandPath()
		if c.Example == "" && path != "monzo demo" {
			t.Errorf("%s has no examples in its help", path)
		}
		if !c.HasSubCommands() && !noJSON[path] {
			n++
			if c.Flags().Lookup("json") == nil || c.Flags().Lookup("jq") == nil {
				t.Errorf("%s has no --json/--jq", path)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	if n < 20 {
		t.Errorf("only %d leaf commands found", n)
	}
}

func TestVersion(t *testing.T) {
	e := clitest.New(t)
	res := e.MustRun("--version")
	if got := strings.TrimSpace(res.Out); got != "monzo "+root.Version() || !strings.Contains(got, "commit") {
		t.Errorf("--version printed %q", got)
	}
}

func TestDebugLogsRequestsWithoutSecrets(t *testing.T) {
	e := clitest.New(t)
	tok, _ := e.Srv.Login.Token(context.Background())
	res := e.MustRun("--debug", "balance")
	if !strings.Contains(res.Err, "* GET "+e.Srv.URL+"/balance?account_id=") || !strings.Contains(res.Err, "Bearer [redacted]") {
		t.Errorf("--debug did not log the request:\n%s", res.Err)
	}
	if strings.Contains(res.Err, tok.AccessToken) || strings.Contains(res.Err, tok.RefreshToken) {
		t.Errorf("--debug leaks a token:\n%s", res.Err)
	}
	if res := e.MustRun("balance"); strings.Contains(res.Err, "* GET") {
		t.Errorf("requests logged without --debug:\n%s", res.Err)
	}
}

func TestDebugRedactsCodeAndStateInURLs(t *testing.T) {
	got := cmdutil.RedactURL(mustURL(t, "http://127.0.0.1:1/callback?code=authzcode_abcdef&state=xyz&keep=1"))
	if strings.Contains(got, "authzcode_abcdef") || strings.Contains(got, "xyz") || !strings.Contains(got, "keep=1") {
		t.Errorf("RedactURL = %s", got)
	}
}

func TestCompletionOfPotsAndAccounts(t *testing.T) {
	e := clitest.New(t)
	pots, err := e.Srv.Client.Pots.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail))
	if err != nil {
		t.Fatal(err)
	}
	res := e.MustRun("__complete", "pots", "deposit", "")
	for _, p := range pots {
		if !p.Deleted && !strings.Contains(res.Out, p.Name+"\t"+p.ID) {
			t.Errorf("pot %q not completed:\n%s", p.Name, res.Out)
		}
	}
	res = e.MustRun("__complete", "balance", "")
	if !strings.Contains(res.Out, e.Srv.AccountID(monzo.AccountTypeRetailJoint)) {
		t.Errorf("accounts not completed:\n%s", res.Out)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if res := e.MustRun("completion", shell); !strings.Contains(res.Out, "monzo") {
			t.Errorf("completion %s printed no script", shell)
		}
	}
}

func TestApprovalPendingSaysWhatToDo(t *testing.T) {
	e := clitest.New(t, monzotest.WithoutApproval())
	res := e.Run("accounts")
	if res.Code != root.ExitAuth || !strings.Contains(res.Err, "hint: open the Monzo app and approve") || !strings.Contains(res.Err, "curl -X POST "+e.Srv.URL+"/_emulator/approve") {
		t.Errorf("pending approval: exit %d, stderr %q", res.Code, res.Err)
	}
	e.TTY = true
	e.Golden("status-pending", e.MustRun("auth", "status").Out)
}

func TestUsageErrorsExitTwoWithAHint(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{{"bogus"}, {"--bogus"}, {"pots", "bogus", "x"}, {"auth", "bogus"}, {"whoami", "x"}} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code != root.ExitUsage || !strings.Contains(res.Err, "hint:") {
			t.Errorf("monzo %q: exit %d, stderr %q", args, res.Code, res.Err)
		}
		if e.Requests() != before {
			t.Errorf("monzo %q sent requests", args)
		}
	}
}

func TestNotLoggedIn(t *testing.T) {
	e := clitest.New(t)
	res := e.Run("--profile", "nobody", "balance")
	if res.Code != root.ExitAuth || !strings.Contains(res.Err, `profile "nobody" is not logged in`) || !strings.Contains(res.Err, "hint: run `monzo login --profile nobody` first") {
		t.Errorf("not logged in: exit %d, stderr %q", res.Code, res.Err)
	}
	e.Env["MONZO_PROFILE"] = "nobody"
	if res := e.Run("balance"); res.Code != root.ExitAuth {
		t.Errorf("MONZO_PROFILE=nobody: exit %d", res.Code)
	}
}

// TestREADMEFlagsExist keeps the README's CLI recipes and --help in step:
// every `monzo …` line in the README must name real commands and flags.
func TestREADMEFlagsExist(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	cmd := root.NewCmd(cmdutil.New(ios, func(string) string { return "" }))
	checked := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "monzo ") {
			continue
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		words := strings.Fields(line)[1:]
		var args []string
		for _, w := range words {
			if !strings.HasPrefix(w, "-") {
				args = append(args, w)
			}
		}
		found, _, err := cmd.Find(args)
		if err != nil {
			t.Errorf("README: %q: %v", line, err)
			continue
		}
		for _, w := range words {
			if !strings.HasPrefix(w, "--") {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(w, "--"), "=")
			if found.Flags().Lookup(name) == nil && found.InheritedFlags().Lookup(name) == nil && cmd.PersistentFlags().Lookup(name) == nil {
				t.Errorf("README: %q: %s has no flag --%s", line, found.CommandPath(), name)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("only %d README flags checked", checked)
	}
}
