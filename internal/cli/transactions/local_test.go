package transactions_test

import (
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/internal/cli/clitest"
)

// --offline answers every listing from local history, exactly as the API
// would (same rows, same table, the API's own JSON), and sends nothing.
func TestTransactionsOfflineMatchesOnline(t *testing.T) {
	e := clitest.New(t)
	e.MustRun("sync", "--db", e.HistoryDB())
	merchant := firstMerchant(t, e)
	for _, args := range [][]string{
		{"--since", "2w", "--limit", "0", "--json"},
		{"--since", "30d", "--declined", "--limit", "0", "--json"},
		{"--all", "--limit", "0", "--json"},
		{"--all", "--limit", "7", "--json"},
		{"--since", "200d", "--before", "100d", "--limit", "0", "--json"},
		{"--all", "--category", "GROCERIES", "--limit", "0", "--json"},
		{"--all", "--merchant", strings.ToUpper(merchant), "--limit", "0", "--json"},
		{"--since", "7d"},
		{"--all", "--declined", "--limit", "0"},
	} {
		online := e.MustRun(append([]string{"transactions", "--online"}, args...)...)
		before := e.Requests()
		offline := e.MustRun(append([]string{"transactions", "--offline"}, args...)...)
		if n := e.Requests() - before; n != 0 {
			t.Errorf("--offline %q sent %d requests to the API", args, n)
		}
		if offline.Out != online.Out {
			t.Errorf("--offline %q differs from the API's answer:\n--- offline\n%.2000s\n--- online\n%.2000s", args, offline.Out, online.Out)
		}
		if len(online.Out) < 10 {
			t.Errorf("%q listed nothing; pick arguments that list something", args)
		}
		if !strings.Contains(offline.Err, "Listed from local history ("+e.HistoryDB()+")") {
			t.Errorf("--offline %q does not say where the rows came from:\n%s", args, offline.Err)
		}
		if strings.Contains(online.Err, "local history") {
			t.Errorf("--online %q claims local history:\n%s", args, online.Err)
		}
	}
	// The same table as online, byte for byte: the online golden file.
	e.TTY = true
	e.Golden("transactions-7d", e.MustRun("transactions", "--offline", "--since", "7d").Out)
}

// firstMerchant is the name of a merchant with recent transactions.
func firstMerchant(t *testing.T, e *clitest.Env) string {
	t.Helper()
	var got []struct {
		Merchant struct {
			Name string `json:"name"`
		} `json:"merchant"`
	}
	decode(t, e.MustRun("transactions", "--online", "--since", "30d", "--limit", "0", "--json").Out, &got)
	for _, tx := range got {
		if tx.Merchant.Name != "" {
			return tx.Merchant.Name
		}
	}
	t.Fatal("no transaction of the last 30 days has an expanded merchant")
	return ""
}

// Without a flag, local history answers while it is fresh (synced within
// 15 minutes, covering --since), and the API answers otherwise.
func TestTransactionsReadLocalHistoryWhenFresh(t *testing.T) {
	e := clitest.New(t)
	// Before any sync: the API answers, and says nothing about history.
	before := e.Requests()
	res := e.MustRun("transactions", "--since", "2w")
	if e.Requests() == before || strings.Contains(res.Err, "local history") {
		t.Fatalf("without local history: %d requests, stderr %q", e.Requests()-before, res.Err)
	}
	e.MustRun("sync") // into the default place, as a user would
	online := e.MustRun("transactions", "--online", "--since", "2w").Out

	before = e.Requests()
	res = e.MustRun("transactions", "--since", "2w")
	if n := e.Requests() - before; n != 0 || res.Out != online || !strings.Contains(res.Err, "synced a minute ago; --online asks Monzo") {
		t.Errorf("fresh store: %d requests, stderr %q, same rows %v", n, res.Err, res.Out == online)
	}

	// 16 minutes later the store is stale: the API answers.
	e.Srv.Clock.Advance(16 * time.Minute)
	before = e.Requests()
	res = e.MustRun("transactions", "--since", "2w")
	if e.Requests() == before || strings.Contains(res.Err, "local history") {
		t.Errorf("stale store: %d requests, stderr %q; want the API", e.Requests()-before, res.Err)
	}
	// --offline still reads it, and says how old it is.
	before = e.Requests()
	res = e.MustRun("transactions", "--offline", "--since", "2w")
	if e.Requests() != before || !strings.Contains(res.Err, "synced 16 minutes ago: run `monzo sync` for newer transactions") {
		t.Errorf("--offline on a stale store: %d requests, stderr %q", e.Requests()-before, res.Err)
	}
}

// A fresh sync that did not read far enough back does not answer for the
// older part: the API does.
func TestTransactionsPartialHistoryIsNotFreshForOlderQueries(t *testing.T) {
	e := clitest.New(t)
	e.MustRun("sync", "--since", "30d")
	before := e.Requests()
	if res := e.MustRun("transactions", "--since", "2w"); e.Requests() != before {
		t.Errorf("within the synced span: %d requests, stderr %q", e.Requests()-before, res.Err)
	}
	before = e.Requests()
	if res := e.MustRun("transactions", "--since", "60d"); e.Requests() == before {
		t.Errorf("before the synced span: local history answered: %q", res.Err)
	}
	res := e.MustRun("transactions", "--offline", "--since", "60d")
	if !strings.Contains(res.Err, "older transactions may be missing") {
		t.Errorf("--offline past the synced span does not warn:\n%s", res.Err)
	}
}

func TestTransactionsOfflineWithoutHistory(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"transactions", "--offline"},
		{"transactions", "--offline", "--db", e.Dir + "/nothing.db"},
	} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code == 0 || !strings.Contains(res.Err, "no local history") || !strings.Contains(res.Err, "monzo sync") {
			t.Errorf("%q: exit %d\n%s", args, res.Code, res.Err)
		}
		if n := e.Requests() - before; n != 0 {
			t.Errorf("%q sent %d requests", args, n)
		}
	}
	e.MustRun("sync", "--db", e.HistoryDB())
	before := e.Requests()
	res := e.Run("transactions", "--offline", "--account", "acc_nosuch")
	if res.Code != 2 || !strings.Contains(res.Err, `account "acc_nosuch"`) || !strings.Contains(res.Err, "accounts in local history: acc_") {
		t.Errorf("--offline --account unknown: exit %d\n%s", res.Code, res.Err)
	}
	if res := e.Run("transactions", "--offline", "--online"); res.Code != 2 {
		t.Errorf("--offline --online: exit %d\n%s", res.Code, res.Err)
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("bad offline input sent %d requests", n)
	}
}
