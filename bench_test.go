package monzo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// The benchmarks compare the library with what a user could write in a few
// lines: a net/http + encoding/json loop into a plain struct (naive) with
// the same fields and no raw JSON. Ratios are only meaningful within one
// run; BENCHMARKS.md has the commands and the numbers.

// naiveTransaction is the plain struct a hand-written client would use.
type naiveTransaction struct {
	ID                string            `json:"id"`
	Amount            int64             `json:"amount"`
	Created           string            `json:"created"`
	Currency          string            `json:"currency"`
	Description       string            `json:"description"`
	Merchant          naiveMerchant     `json:"merchant"`
	Metadata          map[string]string `json:"metadata"`
	Notes             string            `json:"notes"`
	IsLoad            bool              `json:"is_load"`
	Settled           string            `json:"settled"`
	Category          string            `json:"category"`
	DeclineReason     string            `json:"decline_reason"`
	AccountBalance    *int64            `json:"account_balance"`
	AccountID         string            `json:"account_id"`
	UserID            string            `json:"user_id"`
	Updated           string            `json:"updated"`
	LocalAmount       int64             `json:"local_amount"`
	LocalCurrency     string            `json:"local_currency"`
	Fees              json.RawMessage   `json:"fees"`
	Labels            json.RawMessage   `json:"labels"`
	Categories        map[string]int64  `json:"categories"`
	Counterparty      map[string]string `json:"counterparty"`
	Scheme            string            `json:"scheme"`
	DedupeID          string            `json:"dedupe_id"`
	Originator        bool              `json:"originator"`
	IncludeInSpending bool              `json:"include_in_spending"`
	AmountIsPending   bool              `json:"amount_is_pending"`
	ParentAccountID   string            `json:"parent_account_id"`
}

type naiveMerchant struct {
	ID       string `json:"id"`
	GroupID  string `json:"group_id"`
	Name     string `json:"name"`
	Logo     string `json:"logo"`
	Emoji    string `json:"emoji"`
	Category string `json:"category"`
	Created  string `json:"created"`
	Updated  string `json:"updated"`
	Address  struct {
		Address   string  `json:"address"`
		City      string  `json:"city"`
		Country   string  `json:"country"`
		Postcode  string  `json:"postcode"`
		Region    string  `json:"region"`
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"address"`
	Online   bool              `json:"online"`
	ATM      bool              `json:"atm"`
	Metadata map[string]string `json:"metadata"`
}

// naiveWalk pages through /transactions with since=<last id> until an
// empty page, decoding each page into plain structs.
func naiveWalk(b *testing.B, hc *http.Client, base, account, token string) int {
	n, since := 0, ""
	for {
		q := url.Values{"account_id": {account}, "limit": {"100"}, "expand[]": {"merchant"}}
		if since != "" {
			q.Set("since", since)
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/transactions?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Transactions []naiveTransaction `json:"transactions"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Transactions) == 0 {
			return n
		}
		n += len(page.Transactions)
		since = page.Transactions[len(page.Transactions)-1].ID
	}
}

func libraryWalk(b *testing.B, c *monzo.Client, account string) int {
	n := 0
	for _, err := range c.Transactions.All(context.Background(), account, &monzo.TransactionListOptions{ExpandMerchant: true}) {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkDecodeTransactionPage decodes one page of 100 transactions with
// merchants expanded (about 140 kB): the library's one-pass decoder,
// keeping raw JSON and reporting malformed fields, against encoding/json
// into plain structs and into maps.
func BenchmarkDecodeTransactionPage(b *testing.B) {
	h := newHistoryServer(1000, 30*24*time.Hour, time.Now())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/transactions?limit=100&expand[]=merchant", nil))
	page := rec.Body.Bytes()

	b.Run("monzokit", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			// The client reads each body into a fresh buffer and decodes
			// in place; copying here keeps the comparison fair.
			body := append([]byte(nil), page...)
			txs, err := monzo.DecodePage(body)
			if err != nil || len(txs) != 100 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(testing.AllocsPerRun(10, func() { monzo.DecodePage(append([]byte(nil), page...)) }))/100, "allocs/tx")
	})
	b.Run("naive-struct", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p struct {
				Transactions []naiveTransaction `json:"transactions"`
			}
			if err := json.Unmarshal(page, &p); err != nil || len(p.Transactions) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("naive-maps", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p struct {
				Transactions []map[string]any `json:"transactions"`
			}
			if err := json.Unmarshal(page, &p); err != nil || len(p.Transactions) != 100 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWalk walks a history page by page with merchants expanded:
// from memory (a RoundTripper calling the handler, no sockets) over 20,000
// generated transactions, and over real HTTP against the emulator's seeded
// account. On loopback it also times Python's requests + json.loads over
// the same pages when python3 and requests are installed.
func BenchmarkWalk(b *testing.B) {
	const n = 20000
	h := newHistoryServer(n, 4*365*24*time.Hour, time.Now())
	mem := &http.Client{Transport: memTransport{h: h}}

	b.Run("memory/monzokit", func(b *testing.B) {
		c, err := monzo.NewClient(monzo.WithBaseURL("http://history.test"), monzo.WithHTTPClient(mem), monzo.WithAccessToken("t"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if got := libraryWalk(b, c, h.account); got != n {
				b.Fatalf("walked %d", got)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tx")
	})
	b.Run("memory/naive-struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if got := naiveWalk(b, mem, "http://history.test", h.account, "t"); got != n {
				b.Fatalf("walked %d", got)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tx")
	})

	srv := httptest.NewServer(h)
	defer srv.Close()
	b.Run("loopback/monzokit", func(b *testing.B) {
		c, err := monzo.NewClient(monzo.WithBaseURL(srv.URL), monzo.WithHTTPClient(srv.Client()), monzo.WithAccessToken("t"))
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			libraryWalk(b, c, h.account)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/walk")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tx")
	})
	b.Run("loopback/naive-struct", func(b *testing.B) {
		for b.Loop() {
			naiveWalk(b, srv.Client(), srv.URL, h.account, "t")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/walk")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tx")
	})
	b.Run("loopback/python-requests", func(b *testing.B) {
		benchPython(b, srv.URL, h.account, n)
	})

	emu := monzotest.NewServer(b)
	account := emu.AccountID(monzo.AccountTypeRetail)
	tok, err := emu.Login.Token(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("emulator/monzokit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			libraryWalk(b, emu.Client, account)
		}
	})
	b.Run("emulator/naive-struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			naiveWalk(b, emu.HTTPClient, emu.URL, account, tok.AccessToken)
		}
	})
}

// pythonWalk is the loop a Python user would write.
const pythonWalk = `
import json, sys, time, requests
base, account, want, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = requests.Session()
start = time.perf_counter()
for _ in range(rounds):
    n, since = 0, None
    while True:
        params = {"account_id": account, "limit": 100, "expand[]": "merchant"}
        if since:
            params["since"] = since
        r = s.get(base + "/transactions", params=params, headers={"Authorization": "Bearer t"})
        txs = json.loads(r.content)["transactions"]
        if not txs:
            break
        n += len(txs)
        since = txs[-1]["id"]
    assert n == want, n
print(int((time.perf_counter() - start) * 1e9 / rounds))
`

// benchPython runs the Python walk b.N times in one process and reports
// the time per walk Python measured itself (without its start-up) as
// ns/walk; compare that, not ns/op, with the Go walks.
func benchPython(b *testing.B, base, account string, n int) {
	if exec.Command("python3", "-c", "import requests").Run() != nil {
		b.Skip("python3 with requests is not installed")
	}
	out, err := exec.Command("python3", "-c", pythonWalk, base, account, strconv.Itoa(n), strconv.Itoa(b.N)).CombinedOutput()
	if err != nil {
		b.Fatalf("python: %v\n%s", err, out)
	}
	ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("python said %q", out)
	}
	b.ReportMetric(ns, "ns/walk")
	b.ReportMetric(ns/float64(n), "ns/tx")
}

// BenchmarkBackfillLatency fetches 20,000 transactions over four years
// with 100 ms added to every request, as on a real network: the windowed
// walk at the default concurrency, one window at a time, and All; first
// from memory with a latency-adding RoundTripper, then from the emulator
// with its latency option.
func BenchmarkBackfillLatency(b *testing.B) {
	if testing.Short() {
		b.Skip("slow: every request waits 100 ms")
	}
	const n = 20000
	h := newHistoryServer(n, 4*365*24*time.Hour, time.Now().Add(-time.Hour))
	slow := &http.Client{Transport: memTransport{h: h, latency: 100 * time.Millisecond}}
	c, err := monzo.NewClient(monzo.WithBaseURL("http://history.test"), monzo.WithHTTPClient(slow), monzo.WithAccessToken("t"))
	if err != nil {
		b.Fatal(err)
	}
	since := h.start.Add(-time.Hour)
	run := func(b *testing.B, concurrency int) {
		for b.Loop() {
			h.requests.Store(0)
			got := 0
			for _, err := range c.Transactions.Backfill(context.Background(), h.account, &monzo.BackfillOptions{Since: since, ExpandMerchant: true, Concurrency: concurrency}) {
				if err != nil {
					b.Fatal(err)
				}
				got++
			}
			if got != n {
				b.Fatalf("walked %d", got)
			}
		}
		b.ReportMetric(float64(h.requests.Load()), "requests")
	}
	b.Run("concurrent-default", func(b *testing.B) { run(b, 0) })
	b.Run("sequential", func(b *testing.B) { run(b, 1) })
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			h.requests.Store(0)
			if got := libraryWalk(b, c, h.account); got != n {
				b.Fatalf("walked %d", got)
			}
		}
		b.ReportMetric(float64(h.requests.Load()), "requests")
	})

	// The same against the emulator: its own latency option, and 20,000
	// transactions seeded over four years.
	emu := monzotest.NewServer(b, monzotest.WithEmulatorOptions(emulator.Options{
		HistoryDays: 4 * 365, Transactions: n, Latency: 100 * time.Millisecond}))
	account := emu.AccountID(monzo.AccountTypeRetail)
	emuRun := func(b *testing.B, concurrency int) {
		for b.Loop() {
			got := 0
			for _, err := range emu.Client.Transactions.Backfill(context.Background(), account, &monzo.BackfillOptions{ExpandMerchant: true, Concurrency: concurrency}) {
				if err != nil {
					b.Fatal(err)
				}
				got++
			}
			if got < n {
				b.Fatalf("walked %d", got)
			}
		}
	}
	b.Run("emulator/concurrent-default", func(b *testing.B) { emuRun(b, 0) })
	b.Run("emulator/sequential", func(b *testing.B) { emuRun(b, 1) })
	b.Run("emulator/all", func(b *testing.B) {
		for b.Loop() {
			if got := libraryWalk(b, emu.Client, account); got < n {
				b.Fatalf("walked %d", got)
			}
		}
	})
}

// BenchmarkWalkPaired measures the library and the naive loop alternately
// within each iteration, so both see the same machine load, and reports
// the ratio of their total times (naive/monzokit; above 1 means the
// library is faster). Use it on a shared machine, where separate
// sub-benchmarks see different loads.
func BenchmarkWalkPaired(b *testing.B) {
	const n = 20000
	h := newHistoryServer(n, 4*365*24*time.Hour, time.Now())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/transactions?limit=100&expand[]=merchant", nil))
	page := rec.Body.Bytes()
	srv := httptest.NewServer(h)
	defer srv.Close()
	mem := &http.Client{Transport: memTransport{h: h}}
	memClient, err := monzo.NewClient(monzo.WithBaseURL("http://history.test"), monzo.WithHTTPClient(mem), monzo.WithAccessToken("t"))
	if err != nil {
		b.Fatal(err)
	}
	loopClient, err := monzo.NewClient(monzo.WithBaseURL(srv.URL), monzo.WithHTTPClient(srv.Client()), monzo.WithAccessToken("t"))
	if err != nil {
		b.Fatal(err)
	}
	emu := monzotest.NewServer(b)
	account := emu.AccountID(monzo.AccountTypeRetail)
	tok, err := emu.Login.Token(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	python := exec.Command("python3", "-c", "import requests").Run() == nil

	// paired times ours and theirs alternately, swapping the order each
	// iteration, and reports theirs/ours.
	paired := func(b *testing.B, ours, theirs func() time.Duration) {
		var o, t time.Duration
		i := 0
		for b.Loop() {
			if i%2 == 0 {
				o += ours()
				t += theirs()
			} else {
				t += theirs()
				o += ours()
			}
			i++
		}
		b.ReportMetric(float64(t)/float64(o), "naive/monzokit")
	}
	timed := func(f func()) time.Duration {
		start := time.Now()
		f()
		return time.Since(start)
	}
	b.Run("decode", func(b *testing.B) {
		paired(b, func() time.Duration {
			return timed(func() {
				for range 10 {
					monzo.DecodePage(append([]byte(nil), page...))
				}
			})
		}, func() time.Duration {
			return timed(func() {
				for range 10 {
					var p struct {
						Transactions []naiveTransaction `json:"transactions"`
					}
					json.Unmarshal(page, &p)
				}
			})
		})
	})
	b.Run("memory", func(b *testing.B) {
		paired(b, func() time.Duration { return timed(func() { libraryWalk(b, memClient, h.account) }) },
			func() time.Duration {
				return timed(func() { naiveWalk(b, mem, "http://history.test", h.account, "t") })
			})
	})
	b.Run("loopback", func(b *testing.B) {
		paired(b, func() time.Duration { return timed(func() { libraryWalk(b, loopClient, h.account) }) },
			func() time.Duration { return timed(func() { naiveWalk(b, srv.Client(), srv.URL, h.account, "t") }) })
	})
	b.Run("loopback-python", func(b *testing.B) {
		if !python {
			b.Skip("python3 with requests is not installed")
		}
		paired(b, func() time.Duration { return timed(func() { libraryWalk(b, loopClient, h.account) }) },
			func() time.Duration {
				out, err := exec.Command("python3", "-c", pythonWalk, srv.URL, h.account, strconv.Itoa(n), "1").CombinedOutput()
				if err != nil {
					b.Fatalf("python: %v\n%s", err, out)
				}
				ns, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
				if err != nil {
					b.Fatalf("python said %q", out)
				}
				return time.Duration(ns) // measured inside Python, without its start-up
			})
	})
	b.Run("emulator", func(b *testing.B) {
		paired(b, func() time.Duration { return timed(func() { libraryWalk(b, emu.Client, account) }) },
			func() time.Duration {
				return timed(func() { naiveWalk(b, emu.HTTPClient, emu.URL, account, tok.AccessToken) })
			})
	})
}
