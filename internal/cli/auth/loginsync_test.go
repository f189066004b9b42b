package auth_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/internal/cli/clitest"
)

// loginAndApprove runs a login through the loopback to approval and
// returns its standard error.
func loginAndApprove(t *testing.T, e *clitest.Env, tty bool, profile, stdin string, args ...string) *login {
	t.Helper()
	l := startLoginOn(t, e, tty, profile, stdin, append([]string{"--emulator", e.Srv.URL, "--no-browser"}, args...)...)
	allow(t, l.authURL(), nil)
	approveWhenWaiting(t, e, l)
	if err := l.wait(); err != nil {
		t.Fatalf("login %q: %v\n%s", args, err, l.errOut)
	}
	return l
}

// Login with --sync copies the whole seeded history, older than 90 days,
// into local history inside the 5-minute window: afterwards --offline
// lists exactly what the API lists for --all.
func TestLoginThenSyncKeepsFullHistory(t *testing.T) {
	e := clitest.New(t)
	l := loginAndApprove(t, e, false, "emu", "", "--sync", "--json")
	text := l.errOut.String()
	for _, want := range []string{"For the next 5 minutes", "Syncing your full history", "Synced "} {
		if !strings.Contains(text, want) {
			t.Errorf("login --sync output lacks %q:\n%s", want, text)
		}
	}
	var result map[string]any
	if err := json.Unmarshal([]byte(l.out.String()), &result); err != nil || result["history_synced"] != true {
		t.Fatalf("login --sync --json printed %q (%v); want only login's JSON, with history_synced", l.out, err)
	}
	args := []string{"--profile", "emu", "transactions", "--all", "--declined", "--limit", "0", "--json"}
	online := e.MustRun(append(args, "--online")...).Out
	before := e.Requests()
	offline := e.MustRun(append(args, "--offline")...)
	if e.Requests() != before || !strings.Contains(offline.Err, e.HistoryDB()) {
		t.Errorf("--offline sent %d requests; stderr %q", e.Requests()-before, offline.Err)
	}
	if offline.Out != online {
		t.Errorf("local history after login --sync differs from the API's full history")
	}
	var txs []struct {
		Created time.Time `json:"created"`
	}
	if err := json.Unmarshal([]byte(offline.Out), &txs); err != nil || len(txs) == 0 {
		t.Fatalf("offline listing: %v, %d transactions", err, len(txs))
	}
	if oldest := txs[0].Created; e.Srv.Clock.Now().Sub(oldest) < 91*24*time.Hour {
		t.Errorf("oldest stored transaction is from %s: not the full history (older than 90 days)", oldest)
	}
}

// Without --sync, login syncs only when the user says yes on a terminal;
// otherwise it prints the command to run, and writes no history.
func TestLoginSyncOffer(t *testing.T) {
	e := clitest.New(t)
	for i, c := range []struct {
		name   string
		tty    bool
		stdin  string
		args   []string
		synced bool
	}{
		{name: "no-sync flag", args: []string{"--no-sync"}},
		{name: "no-sync flag on a terminal", tty: true, stdin: "y\n", args: []string{"--no-sync"}},
		{name: "piped without a flag", stdin: "y\n"},
		{name: "terminal, answer n", tty: true, stdin: "n\n"},
		{name: "terminal, default answer", tty: true, stdin: "\n"},
		{name: "terminal, stdin closed", tty: true},
		{name: "terminal, answer y", tty: true, stdin: "y\n", synced: true},
	} {
		db := filepath.Join(t.TempDir(), "history.db")
		profile := "offer" + string(rune('a'+i))
		l := loginAndApprove(t, e, c.tty, profile, c.stdin, append(c.args, "--db", db)...)
		text := l.errOut.String()
		_, err := os.Stat(db)
		if synced := err == nil; synced != c.synced {
			t.Errorf("%s: history written %v, want %v\n%s", c.name, synced, c.synced, text)
		}
		asked := strings.Contains(text, "[y/N]")
		if wantAsk := c.tty && len(c.args) == 0; asked != wantAsk {
			t.Errorf("%s: asked %v, want %v\n%s", c.name, asked, wantAsk, text)
		}
		hint := "run `monzo --profile " + profile + " sync --db " + db + "` within 5 minutes"
		if !c.synced && !strings.Contains(text, hint) {
			t.Errorf("%s: no hint %q:\n%s", c.name, hint, text)
		}
		if c.synced && !strings.Contains(text, "Synced ") {
			t.Errorf("%s: no sync summary:\n%s", c.name, text)
		}
	}
	before := e.Requests()
	for _, args := range [][]string{{"login", "--sync", "--no-sync"}, {"login", "--sync", "--no-wait"}, {"login", "--with-token", "--sync"}} {
		if res := e.Run(args...); res.Code != 2 || !strings.Contains(res.Err, "--sync") {
			t.Errorf("%q: exit %d\n%s", args, res.Code, res.Err)
		}
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("bad login flags sent %d requests", n)
	}
}
