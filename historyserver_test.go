package monzo_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// historyServer serves GET /transactions for one account whose history is
// generated, not stored: transaction i is created at start + i*step. It
// follows the API's paging rules (since as a time or an id, before, limit
// up to 100, oldest first) and writes realistic transactions with the
// merchant expanded, about 1.4 kB each. It lets benchmarks walk histories
// far larger than the emulator seeds, with no per-transaction memory.
type historyServer struct {
	account string
	n       int
	start   time.Time
	step    time.Duration
	// cache keeps each page's bytes once built, so serving costs almost
	// nothing; off for very long walks.
	cache bool
	// contentLength announces each page's length, as the emulator does;
	// off, the length is unknown to the client (as with chunked encoding).
	contentLength bool
	pages         sync.Map
	requests      atomic.Int64
}

func newHistoryServer(n int, span time.Duration, end time.Time) *historyServer {
	step := span / time.Duration(n)
	return &historyServer{account: "acc_bench", n: n, start: end.Add(-span), step: step, cache: true}
}

func (h *historyServer) created(i int) time.Time { return h.start.Add(time.Duration(i) * h.step) }

// index returns the first transaction created at or after t.
func (h *historyServer) index(t time.Time) int {
	if !t.After(h.start) {
		return 0
	}
	d := t.Sub(h.start)
	i := int(d / h.step)
	if time.Duration(i)*h.step < d {
		i++
	}
	return min(i, h.n)
}

func (h *historyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	if r.URL.Path != "/transactions" {
		http.Error(w, `{"code":"not_found"}`, http.StatusNotFound)
		return
	}
	if h.cache {
		if b, ok := h.pages.Load(r.URL.RawQuery); ok {
			h.write(w, b.([]byte))
			return
		}
	}
	q := r.URL.Query()
	lo, hi := 0, h.n
	if s := q.Get("since"); strings.HasPrefix(s, "tx_") {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "tx_"))
		lo = n + 1
	} else if s != "" {
		t, _ := time.Parse(time.RFC3339Nano, s)
		lo = h.index(t)
	}
	if b := q.Get("before"); b != "" {
		t, _ := time.Parse(time.RFC3339Nano, b)
		hi = h.index(t)
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 30
	}
	hi = min(hi, lo+limit)
	var buf bytes.Buffer
	buf.WriteString(`{"transactions":[`)
	for i := lo; i < hi; i++ {
		if i > lo {
			buf.WriteByte(',')
		}
		h.writeTransaction(&buf, i)
	}
	buf.WriteString("]}")
	if h.cache {
		h.pages.Store(r.URL.RawQuery, buf.Bytes())
	}
	h.write(w, buf.Bytes())
}

func (h *historyServer) write(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", "application/json")
	if h.contentLength {
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	}
	w.Write(page)
}

var benchMerchants = []struct{ name, city, category string }{
	{"Pret A Manger", "London", "eating_out"}, {"Tesco", "Manchester", "groceries"}, {"TfL", "London", "transport"},
	{"Amazon", "Luxembourg", "shopping"}, {"Netflix", "Amsterdam", "entertainment"}, {"Boots", "Leeds", "shopping"},
}

func (h *historyServer) writeTransaction(w io.Writer, i int) {
	m := benchMerchants[i%len(benchMerchants)]
	created := h.created(i).UTC().Format(time.RFC3339Nano)
	fmt.Fprintf(w, `{"id":"tx_%012d","created":"%s","description":"%s %s GBR","amount":-%d,"fees":{},"currency":"GBP",`+
		`"merchant":{"id":"merch_%04d","group_id":"grp_%04d","created":"2015-08-22T12:20:18.123Z","name":"%s","logo":"https://mondo-logo-cache.appspot.com/twitter/x/?size=large",`+
		`"emoji":"🍞","category":"%s","online":false,"atm":false,"address":{"short_formatted":"1 High Street, %s SW1A 1AA","formatted":"1 High Street, %s SW1A 1AA, United Kingdom",`+
		`"address":"1 High Street","city":"%s","region":"Greater London","country":"GBR","postcode":"SW1A 1AA","latitude":51.5%04d,"longitude":-0.1%04d,"zoom_level":17,"approximate":false},`+
		`"updated":"2023-01-05T10:11:12.456Z","metadata":{"google_places_icon":"https://maps.gstatic.com/x.png","website":"https://example.com","twitter_id":""},"disable_feedback":false},`+
		`"notes":"","metadata":{"ledger_insertion_id":"entryset_%012d","mastercard_lifecycle_id":"mclc_%d","mcc":"5814"},"labels":null,`+
		`"account_balance":0,"attachments":null,"international":null,"category":"%s","categories":{"%s":-%d},"is_load":false,`+
		`"settled":"%s","local_amount":-%d,"local_currency":"GBP","updated":"%s","account_id":"%s","user_id":"user_bench",`+
		`"counterparty":{},"scheme":"mastercard","dedupe_id":"mc:%d","originator":false,"include_in_spending":true,`+
		`"can_be_excluded_from_breakdown":true,"can_be_made_subscription":false,"can_split_the_bill":true,"can_add_to_tab":true,`+
		`"can_match_transactions_in_categorization":true,"amount_is_pending":false,"atm_fees_detailed":null,"parent_account_id":""}`,
		i, created, strings.ToUpper(m.name), strings.ToUpper(m.city), 100+i%5000, i%500, i%50, m.name, m.category, m.city, m.city, m.city,
		i%10000, i%10000, i, i, m.category, m.category, 100+i%5000, created, 100+i%5000, created, h.account, i)
}

// memTransport answers requests by calling a handler in memory: no
// sockets, so a benchmark measures the client and decoding alone. Latency,
// when set, is added to every request.
type memTransport struct {
	h       http.Handler
	latency time.Duration
}

func (t memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.latency > 0 {
		time.Sleep(t.latency) // a benchmark's simulated network, never in tests
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
