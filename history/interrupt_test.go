package history_test

import (
	"bufio"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/historycmd"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/monzotest"
)

// checkResumed syncs again, uninterrupted, and compares every account
// with the emulator.
func checkResumed(t *testing.T, srv *monzotest.Server, st *sqlitestore.Store) {
	t.Helper()
	res, err := newSyncer(srv, st).Sync(context.Background(), history.Options{})
	if err != nil {
		t.Fatalf("resuming: %v", err)
	}
	for _, a := range res.Accounts {
		if !a.State.Full {
			t.Errorf("%s: state after resuming %+v, want full history", a.Account.ID, a.State)
		}
		sameHistory(t, storedTx(t, st, a.Account.ID, time.Time{}), truth(t, srv, a.Account.ID, time.Time{}))
	}
	if n := count(t, st, `SELECT count(*) FROM transactions WHERE account_id NOT IN (SELECT id FROM accounts)`); n != 0 {
		t.Errorf("%d transactions of unknown accounts", n)
	}
}

// checkStateHolds fails if a sync state claims a span the store does not
// hold: every transaction the emulator has in [From, To) must be stored.
func checkStateHolds(t *testing.T, srv *monzotest.Server, st *sqlitestore.Store) {
	t.Helper()
	states, err := st.SyncStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		got := storedTx(t, st, s.AccountID, time.Time{})
		for id, tx := range truth(t, srv, s.AccountID, s.From) {
			if _, ok := got[id]; !ok && txCreated(t, srv, id).Before(s.To) {
				t.Errorf("state of %s claims [%s, %s) but %s (%+v) is not stored", s.AccountID, s.From, s.To, id, tx)
			}
		}
	}
}

func txCreated(t *testing.T, srv *monzotest.Server, id string) time.Time {
	tx, err := srv.Client.Transactions.Get(context.Background(), id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tx.Created.Time
}

// Cancelling a sync before its n-th request, at several points, then
// syncing again gives exactly the emulator's history.
func TestCancelledSyncResumes(t *testing.T) {
	srv := monzotest.NewServer(t)
	for _, n := range []int{1, 2, 3, 5, 8, 13} {
		t.Run(fmt.Sprint("request ", n), func(t *testing.T) {
			st := openStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			counter := &requestCounter{before: func(i int, _ *http.Request) {
				if i == n {
					cancel()
				}
			}}
			client := srv.NewClient(srv.Login, monzo.WithHTTPClient(counter.client(srv)))
			_, err := (&history.Syncer{Client: client, Store: st, Now: srv.Clock.Now, BatchSize: 40}).Sync(ctx, history.Options{})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("sync cancelled at request %d: err = %v, want context.Canceled", n, err)
			}
			checkStateHolds(t, srv, st)
			checkResumed(t, srv, st)
		})
	}
}

// Cancelling between store commits, at several points.
func TestSyncCancelledAfterCommitsResumes(t *testing.T) {
	srv := monzotest.NewServer(t)
	for _, k := range []int{1, 2, 4, 9} {
		t.Run(fmt.Sprint("commit ", k), func(t *testing.T) {
			st := openStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			commits := 0
			s := &history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now, BatchSize: 30, Progress: func(p history.Progress) {
				if p.Phase == history.PhaseBackfill && !p.Reached.Equal(p.From) {
					if commits++; commits == k {
						cancel()
					}
				}
			}}
			if _, err := s.Sync(ctx, history.Options{}); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			checkStateHolds(t, srv, st)
			checkResumed(t, srv, st)
		})
	}
}

// The child process of TestKilledMidWriteResumes: it syncs into the
// database named by the environment and blocks inside SQLite's write
// transaction at the chosen insert, after telling the parent, who kills it.
func TestMain(m *testing.M) {
	if os.Getenv("HISTORY_TEST_CHILD") == "1" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

func runChild() int {
	switch job := os.Getenv("HISTORY_TEST_JOB"); {
	case job == "sync":
		return runSyncChild()
	case strings.HasPrefix(job, "export-"):
		return runExportChild(export.Format(strings.TrimPrefix(job, "export-")))
	}
	pauseAt, _ := strconv.Atoi(os.Getenv("HISTORY_TEST_PAUSE_AT"))
	now, err := time.Parse(time.RFC3339Nano, os.Getenv("HISTORY_TEST_NOW"))
	if err != nil {
		fmt.Println("bad HISTORY_TEST_NOW:", err)
		return 2
	}
	var inserts atomic.Int64
	sqlite.MustRegisterScalarFunction("history_test_pause", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		if inserts.Add(1) == int64(pauseAt) {
			fmt.Println("PAUSED")
			select {} // inside the write transaction, until killed
		}
		return nil, nil
	})
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, os.Getenv("HISTORY_TEST_DB"))
	if err != nil {
		fmt.Println(err)
		return 2
	}
	if _, err := st.DB().Exec(`CREATE TRIGGER IF NOT EXISTS pause AFTER INSERT ON transactions BEGIN SELECT history_test_pause(); END`); err != nil {
		fmt.Println(err)
		return 2
	}
	clock := func() time.Time { return now }
	client, err := monzo.NewClient(monzo.WithBaseURL(os.Getenv("HISTORY_TEST_URL")),
		monzo.WithAccessToken(os.Getenv("HISTORY_TEST_TOKEN")), monzo.WithClock(clock))
	if err != nil {
		fmt.Println(err)
		return 2
	}
	_, err = (&history.Syncer{Client: client, Store: st, Now: clock, BatchSize: 50}).Sync(ctx, history.Options{})
	fmt.Println("FINISHED", err)
	return 1
}

// A sync process killed (SIGKILL) in the middle of a SQLite write
// transaction leaves a store that the next sync completes, with nothing
// lost or duplicated.
func TestKilledMidWriteResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	srv := monzotest.NewServer(t)
	tok, err := srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, pauseAt := range []int{1, 75, 160} {
		t.Run(fmt.Sprint("insert ", pauseAt), func(t *testing.T) {
			db := t.TempDir() + "/history.db"
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "HISTORY_TEST_CHILD=1", "HISTORY_TEST_DB="+db, "HISTORY_TEST_URL="+srv.URL,
				"HISTORY_TEST_TOKEN="+tok.AccessToken, "HISTORY_TEST_NOW="+srv.Clock.Now().Format(time.RFC3339Nano),
				fmt.Sprint("HISTORY_TEST_PAUSE_AT=", pauseAt))
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(out).ReadString('\n')
			if strings.TrimSpace(line) != "PAUSED" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child said %q, want PAUSED", line)
			}
			cmd.Process.Kill()
			cmd.Wait()

			st, err := sqlitestore.Open(context.Background(), db)
			if err != nil {
				t.Fatalf("reopening after the kill: %v", err)
			}
			defer st.Close()
			if _, err := st.DB().Exec(`DROP TRIGGER pause`); err != nil {
				t.Fatal(err)
			}
			// The interrupted batch left nothing behind: only the whole
			// batches committed before it (the first account has more
			// than 160 transactions, so all of them are its).
			if n, want := count(t, st, `SELECT count(*) FROM transactions`), int64((pauseAt-1)/50*50); n != want {
				t.Errorf("%d transactions survived the kill, want the %d of the committed batches", n, want)
			}
			checkStateHolds(t, srv, st)
			checkResumed(t, srv, st)
		})
	}
}

// runSyncChild runs `monzo sync`'s code path for one account into the
// database named by the environment (BenchmarkPeakRSS measures it).
func runSyncChild() int {
	now, err := time.Parse(time.RFC3339Nano, os.Getenv("HISTORY_TEST_NOW"))
	if err != nil {
		fmt.Println(err)
		return 2
	}
	clock := func() time.Time { return now }
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.New(ios, func(string) string { return "" })
	f.Now, f.Location = clock, time.UTC
	f.Client = func() (*monzo.Client, error) {
		return monzo.NewClient(monzo.WithBaseURL(os.Getenv("HISTORY_TEST_URL")),
			monzo.WithAccessToken(os.Getenv("HISTORY_TEST_TOKEN")), monzo.WithClock(clock))
	}
	err = historycmd.RunSync(context.Background(), &historycmd.SyncOptions{IO: ios, Factory: f, DBPath: os.Getenv("HISTORY_TEST_DB"),
		Accounts: []string{os.Getenv("HISTORY_TEST_ACCOUNT")}})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("PEAK_KB", peakRSSKB())
	return 0
}

// runExportChild exports the database named by the environment.
func runExportChild(f export.Format) int {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, os.Getenv("HISTORY_TEST_DB"))
	if err != nil {
		fmt.Println(err)
		return 2
	}
	defer st.Close()
	if _, err := export.Write(ctx, io.Discard, st, export.Options{Format: f}); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("PEAK_KB", peakRSSKB())
	return 0
}
