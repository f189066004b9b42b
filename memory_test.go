package monzo_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
)

// TestWalkMemory walks MONZO_WALK_TX generated transactions (default: skip)
// through All or, with MONZO_WALK_BACKFILL=1, Backfill, and logs the peak
// resident memory of the walk. Run it at two sizes to see that memory
// stays flat (BENCHMARKS.md); it asserts nothing about speed or size.
//
// The pages come over loopback HTTP from a second process (this test
// binary re-executed as a page server), so the figure is the walker's
// alone, not the page generator's garbage. The server announces each
// page's length, as the emulator does; MONZO_WALK_CHUNKED=1 leaves it
// unknown to the client. With MONZO_WALK_BINARY=1 the walk runs in a small
// program built from testdata/walkmem, which links the library alone,
// instead of in this test binary (whose code, with the emulator's, is
// most of its resident size).
func TestWalkMemory(t *testing.T) {
	total, _ := strconv.Atoi(os.Getenv("MONZO_WALK_TX"))
	if total == 0 {
		t.Skip("set MONZO_WALK_TX to the number of transactions to walk")
	}
	end, _ := strconv.ParseInt(os.Getenv("MONZO_WALK_END"), 10, 64)
	if os.Getenv("MONZO_WALK_SERVE") == "1" {
		serveHistoryPages(t, total, time.Unix(0, end))
		return
	}

	end = time.Now().Add(-time.Hour).UnixNano()
	h := newHistoryServer(total, 4*365*24*time.Hour, time.Unix(0, end))
	// A transport as the library's default client has (http.DefaultTransport
	// keeps two idle connections per host, so a concurrent walk opens new
	// ones; the page server reports how many on its standard error).
	base := startPageServer(t, end)
	backfill := os.Getenv("MONZO_WALK_BACKFILL") == "1"
	if os.Getenv("MONZO_WALK_BINARY") == "1" {
		walkInSmallBinary(t, base, h, total, backfill)
		return
	}
	c, err := monzo.NewClient(monzo.WithBaseURL(base), monzo.WithHTTPClient(&http.Client{Transport: &http.Transport{}}), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	got := 0
	start := time.Now()
	walk := c.Transactions.All(t.Context(), h.account, &monzo.TransactionListOptions{ExpandMerchant: true})
	if backfill {
		walk = c.Transactions.Backfill(t.Context(), h.account, &monzo.BackfillOptions{Since: h.start, ExpandMerchant: true})
	}
	for tx, err := range walk {
		if err != nil {
			t.Fatal(err)
		}
		sum += tx.Amount
		got++
	}
	elapsed := time.Since(start)
	if got != total {
		t.Fatalf("walked %d of %d", got, total)
	}
	peak, files := peakRSSKB(), fileRSSKB()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("walked %d transactions in %v; peak RSS %.1f MB (mapped files %.1f MB); live heap after GC %d kB, heap obtained from the OS %d MB, %d GCs",
		got, elapsed.Round(time.Millisecond), float64(peak)/1024, float64(files)/1024, ms.HeapAlloc>>10, ms.HeapSys>>20, ms.NumGC)
}

// walkInSmallBinary builds testdata/walkmem, runs the walk in it and logs
// the peak resident memory it reports.
func walkInSmallBinary(t *testing.T, base string, h *historyServer, total int, backfill bool) {
	bin := filepath.Join(t.TempDir(), "walkmem")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/walkmem").CombinedOutput(); err != nil {
		t.Fatalf("building testdata/walkmem: %v\n%s", err, out)
	}
	start := time.Now()
	out, err := exec.Command(bin, "-url", base, "-account", h.account, "-since", strconv.FormatInt(h.start.UnixNano(), 10),
		"-backfill="+strconv.FormatBool(backfill)).Output()
	if err != nil {
		t.Fatalf("walkmem: %v", err)
	}
	var got int
	var peak, files, sum int64
	if _, err := fmt.Sscan(string(out), &got, &peak, &files, &sum); err != nil || got != total {
		t.Fatalf("walkmem said %q (%v), want %d transactions", out, err, total)
	}
	t.Logf("walked %d transactions in %v in a program linking the library alone; peak RSS %.1f MB (mapped files %.1f MB)",
		got, time.Since(start).Round(time.Millisecond), float64(peak)/1024, float64(files)/1024)
}

// startPageServer re-executes this test binary as a page server for the
// history ending at end, and returns its base URL. The server stops when
// the test ends (its standard input closes).
func startPageServer(t *testing.T, end int64) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestWalkMemory$")
	cmd.Env = append(os.Environ(), "MONZO_WALK_SERVE=1", "MONZO_WALK_END="+strconv.FormatInt(end, 10))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "serving pages on "); ok {
			go func() {
				for lines.Scan() { // keep the pipe drained
				}
			}()
			return "http://" + addr
		}
	}
	t.Fatalf("the page server did not start: %v", lines.Err())
	return ""
}

// serveHistoryPages is the page server's side: it serves a generated
// history on a loopback port, which it prints, until its standard input
// closes.
func serveHistoryPages(t *testing.T, total int, end time.Time) {
	h := newHistoryServer(total, 4*365*24*time.Hour, end)
	h.cache = false
	h.contentLength = os.Getenv("MONZO_WALK_CHUNKED") != "1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int64
	srv := &http.Server{Handler: h, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}}
	go srv.Serve(ln)
	fmt.Printf("serving pages on %s\n", ln.Addr())
	bufio.NewReader(os.Stdin).ReadByte() // returns when the walker closes the pipe
	srv.Shutdown(context.Background())
	fmt.Fprintf(os.Stderr, "page server: %d requests on %d connections\n", h.requests.Load(), conns.Load())
}
