package history_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// bigHistory starts an emulator whose personal account holds n
// transactions over the two years before now (the emulator's seeding
// options), with a client logged in and approved, so the full-history
// window is open.
func bigHistory(b testing.TB, n int) (*monzotest.Server, *monzo.Client, string) {
	b.Helper()
	srv := monzotest.NewServer(b, monzotest.WithEmulatorOptions(emulator.Options{HistoryDays: 730, Transactions: n}))
	return srv, srv.Client, srv.AccountID(monzo.AccountTypeRetail)
}

// counting counts requests on their way to the emulator.
type counting struct {
	next     http.RoundTripper
	requests atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	return c.next.RoundTrip(r)
}

func countingClient(srv *monzotest.Server, login *monzotest.Login) (*monzo.Client, *counting) {
	c := &counting{next: srv.HTTPClient.Transport}
	if c.next == nil {
		c.next = http.DefaultTransport
	}
	return srv.NewClient(login, monzo.WithHTTPClient(&http.Client{Transport: c})), c
}

func syncOnce(b testing.TB, client *monzo.Client, srv *monzotest.Server, accountID string, mut func(*history.Syncer)) (history.Counts, time.Duration) {
	b.Helper()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "history.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := &history.Syncer{Client: client, Store: st, Now: srv.Clock.Now}
	if mut != nil {
		mut(s)
	}
	began := time.Now()
	res, err := s.Sync(context.Background(), history.Options{AccountIDs: []string{accountID}})
	if err != nil {
		b.Fatal(err)
	}
	return res.Counts(), time.Since(began)
}

// BenchmarkFirstSyncWithLatency: the first sync of 20,000 transactions
// with 100 ms of latency on every request (the emulator's latency lab),
// writes into SQLite included: the library's concurrent windowed walk at
// its default concurrency against the same walk one window at a time.
func BenchmarkFirstSyncWithLatency(b *testing.B) {
	srv, _, personal := bigHistory(b, 20000)
	login := srv.LogIn(srv.Emulator.DefaultClient(), "")
	srv.Approve(login)
	client, count := countingClient(srv, login)
	if err := srv.Emulator.InjectFault(emulator.Fault{Latency: 100 * time.Millisecond}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		count.requests.Store(0)
		c, seq := syncOnce(b, client, srv, personal, func(s *history.Syncer) { s.Concurrency = 1 })
		seqRequests := count.requests.Load()
		count.requests.Store(0)
		_, conc := syncOnce(b, client, srv, personal, func(s *history.Syncer) {
			if w := os.Getenv("HISTORY_BENCH_WINDOW"); w != "" {
				s.Window, _ = time.ParseDuration(w)
			}
			if c := os.Getenv("HISTORY_BENCH_CONCURRENCY"); c != "" {
				s.Concurrency, _ = strconv.Atoi(c)
			}
		})
		b.ReportMetric(seq.Seconds(), "s-sequential")
		b.ReportMetric(conc.Seconds(), "s-concurrent")
		b.ReportMetric(seq.Seconds()/conc.Seconds(), "speedup")
		b.ReportMetric(float64(c.New)/conc.Seconds(), "tx/s-concurrent")
		b.ReportMetric(float64(seqRequests), "requests-sequential")
		b.ReportMetric(float64(count.requests.Load()), "requests-concurrent")
	}
}

// BenchmarkSyncThroughput: the first sync of 20,000 transactions from the
// in-process emulator, no added latency: how fast rows go into SQLite.
func BenchmarkSyncThroughput(b *testing.B) {
	srv, client, personal := bigHistory(b, 20000)
	b.ResetTimer()
	for b.Loop() {
		c, d := syncOnce(b, client, srv, personal, nil)
		b.ReportMetric(float64(c.New)/d.Seconds(), "tx/s")
	}
}

// BenchmarkIncrementalSyncNothingNew counts the requests of a sync that
// finds nothing new (the accounts list, one transactions page, the pots).
func BenchmarkIncrementalSyncNothingNew(b *testing.B) {
	srv := monzotest.NewServer(b)
	client, count := countingClient(srv, srv.Login)
	st, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "history.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	personal := srv.AccountID(monzo.AccountTypeRetail)
	s := &history.Syncer{Client: client, Store: st, Now: srv.Clock.Now}
	if _, err := s.Sync(context.Background(), history.Options{AccountIDs: []string{personal}}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		count.requests.Store(0)
		if _, err := s.Sync(context.Background(), history.Options{AccountIDs: []string{personal}}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(count.requests.Load()), "requests")
	}
}

// BenchmarkPeakRSS measures the peak resident memory of a child process
// that syncs n transactions and of one that exports them, for 20,000 and
// 100,000: flat means the second is not five times the first.
func BenchmarkPeakRSS(b *testing.B) {
	for _, n := range []int{20000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			srv, _, personal := bigHistory(b, n)
			// A login of its own for the child, whose token it can use.
			login := srv.LogIn(srv.Emulator.DefaultClient(), "")
			srv.Approve(login)
			tok, err := login.Token(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			db := filepath.Join(b.TempDir(), "history.db")
			for b.Loop() {
				os.Remove(db)
				syncKB := child(b, "sync", db, srv, tok.AccessToken, personal)
				b.ReportMetric(float64(syncKB)/1024, "MB-sync")
				for _, f := range []export.Format{export.CSV, export.OFX, export.Beancount} {
					kb := child(b, "export-"+string(f), db, srv, "", personal)
					b.ReportMetric(float64(kb)/1024, "MB-"+string(f))
				}
			}
		})
	}
}

// child runs this test binary as a child doing one job, and returns its
// peak RSS in kB.
func child(b *testing.B, job, db string, srv *monzotest.Server, token, accountID string) int64 {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "HISTORY_TEST_CHILD=1", "HISTORY_TEST_JOB="+job, "HISTORY_TEST_DB="+db,
		"HISTORY_TEST_URL="+srv.URL, "HISTORY_TEST_TOKEN="+token, "HISTORY_TEST_ACCOUNT="+accountID,
		"HISTORY_TEST_NOW="+srv.Clock.Now().Format(time.RFC3339Nano))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", job, err, out)
	}
	if os.Getenv("HISTORY_BENCH_VERBOSE") != "" {
		b.Logf("child %s:\n%s", job, out)
	}
	var kb int64
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "PEAK_KB "); ok {
			kb, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if kb == 0 {
		b.Skipf("peak RSS is measured on Linux only (child said %q)", out)
	}
	return kb
}

// BenchmarkCommit: transactions already in memory written into SQLite in
// the sync's batches, without the network: the store's own speed.
func BenchmarkCommit(b *testing.B) {
	_, client, personal := bigHistory(b, 20000)
	var txs []*monzo.Transaction
	for tx, err := range client.Transactions.Backfill(context.Background(), personal, &monzo.BackfillOptions{ExpandMerchant: true}) {
		if err != nil {
			b.Fatal(err)
		}
		txs = append(txs, tx)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		st, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "history.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		began := time.Now()
		for i := 0; i < len(txs); i += history.DefaultBatchSize {
			batch := txs[i:min(i+history.DefaultBatchSize, len(txs))]
			if _, err := st.Commit(context.Background(), history.Batch{State: history.SyncState{AccountID: personal}, Transactions: batch}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(txs))/time.Since(began).Seconds(), "tx/s")
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
