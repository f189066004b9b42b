package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/webhook"
)

const testSecret = "s3cret-0123456789abcdef"

// recorder is a HandleFunc that remembers the events it saw.
type recorder struct {
	mu     sync.Mutex
	events []*webhook.Event
	fail   func(n int) error // optional: the error to return for the nth call (1-based)
}

func (r *recorder) handle(ctx context.Context, ev *webhook.Event) error {
	r.mu.Lock()
	r.events = append(r.events, ev)
	n := len(r.events)
	r.mu.Unlock()
	if r.fail != nil {
		return r.fail(n)
	}
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// serve starts the handler behind a real HTTP server and returns the URL to
// post to, secret included.
func serve(t *testing.T, opts webhook.Options, fn webhook.HandleFunc) (*webhook.Handler, string) {
	t.Helper()
	if opts.Secret == "" {
		opts.Secret = testSecret
	}
	h, err := webhook.NewHandler(opts, fn)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	u, err := h.URL(ts.URL + "/monzo")
	if err != nil {
		t.Fatal(err)
	}
	return h, u
}

func post(t *testing.T, url string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func cardPayment(id string) monzo.Transaction {
	return monzo.Transaction{
		ID: id, AccountID: "acc_1", Amount: -450, Currency: "GBP", Description: "OZONE COFFEE",
		Merchant: monzo.MerchantRefFromMerchant(&monzo.Merchant{ID: "merch_1", Name: "Ozone Coffee"}),
	}
}

func TestHandlerDeliversEvent(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{}, rec.handle)
	status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_1")))
	if status != http.StatusOK {
		t.Fatalf("status = %d, want 200", status)
	}
	if rec.count() != 1 || rec.events[0].Data.ID != "tx_1" || rec.events[0].Data.Merchant.String() != "Ozone Coffee" {
		t.Fatalf("handler saw %+v", rec.events)
	}
}

// countingBody records whether anything read the request body.
type countingBody struct {
	r    io.Reader
	read atomic.Bool
}

func (b *countingBody) Read(p []byte) (int, error) { b.read.Store(true); return b.r.Read(p) }
func (b *countingBody) Close() error               { return nil }

func TestHandlerRejectsWrongOrMissingSecret(t *testing.T) {
	var rec recorder
	h, err := webhook.NewHandler(webhook.Options{Secret: testSecret}, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"https://example.com/monzo",
		"https://example.com/monzo?token=",
		"https://example.com/monzo?token=wrong",
		"https://example.com/monzo?token=" + testSecret + "x",
		"https://example.com/monzo?token=" + testSecret[:len(testSecret)-1],
		"https://example.com/monzo?secret=" + testSecret,
	} {
		body := &countingBody{r: bytes.NewReader(webhook.NewTestEvent(cardPayment("tx_1")))}
		req := webhook.NewTestRequest(target, nil)
		req.Body = body
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status = %d, want 401", target, w.Code)
		}
		if body.read.Load() {
			t.Errorf("%s: the body was read before the secret was checked", target)
		}
		if strings.Contains(w.Body.String(), testSecret) {
			t.Errorf("%s: the answer leaks the secret", target)
		}
	}
	if rec.count() != 0 {
		t.Fatalf("handler called %d times", rec.count())
	}

	// Over real HTTP too.
	_, u := serve(t, webhook.Options{}, rec.handle)
	if status, _ := post(t, strings.Replace(u, testSecret, "guess", 1), webhook.NewTestEvent(cardPayment("tx_1"))); status != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", status)
	}
}

func TestHandlerOnlyPOST(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{}, rec.handle)
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(method, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
			t.Errorf("%s: status %d Allow %q, want 405 and Allow: POST", method, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

func TestHandlerCapsBody(t *testing.T) {
	var rec recorder
	const limit = 4096
	_, u := serve(t, webhook.Options{MaxBodyBytes: limit}, rec.handle)
	big := webhook.NewTestEvent(monzo.Transaction{ID: "tx_big", Description: strings.Repeat("x", limit)})

	// Declared length over the cap.
	if status, _ := post(t, u, big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("Content-Length body: status = %d, want 413", status)
	}
	// Chunked, so the length is only found while reading.
	resp, err := http.Post(u, "application/json", io.MultiReader(bytes.NewReader(big)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body: status = %d, want 413", resp.StatusCode)
	}
	// Up to the cap is fine.
	small := webhook.NewTestEvent(monzo.Transaction{ID: "tx_small"})
	small = append(small, bytes.Repeat([]byte(" "), limit-len(small))...)
	if status, _ := post(t, u, small); status != http.StatusOK {
		t.Errorf("small body: status = %d, want 200", status)
	}
	if rec.count() != 1 {
		t.Errorf("handler called %d times, want 1", rec.count())
	}
}

func TestHandlerRejectsGarbage(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{}, rec.handle)
	for _, body := range []string{"", "not json", `{"type":"transaction.created","data":{}}`} {
		if status, _ := post(t, u, []byte(body)); status != http.StatusBadRequest {
			t.Errorf("%q: status = %d, want 400", body, status)
		}
	}
	if rec.count() != 0 {
		t.Errorf("handler called %d times", rec.count())
	}
}

func TestHandlerIgnoresRedelivery(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{}, rec.handle)
	ev := webhook.NewTestEvent(cardPayment("tx_dup"))
	for i := range 3 {
		if status, _ := post(t, u, ev); status != http.StatusOK {
			t.Fatalf("delivery %d: status = %d, want 200", i+1, status)
		}
	}
	if rec.count() != 1 {
		t.Fatalf("handler called %d times for one transaction, want 1", rec.count())
	}
	// Another transaction is not a duplicate.
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_other"))); status != http.StatusOK || rec.count() != 2 {
		t.Fatalf("second transaction: status %d, calls %d", status, rec.count())
	}
}

func TestHandlerDedupeOff(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{DedupeSize: -1}, rec.handle)
	ev := webhook.NewTestEvent(cardPayment("tx_dup"))
	post(t, u, ev)
	post(t, u, ev)
	if rec.count() != 2 {
		t.Fatalf("handler called %d times, want 2 with deduplication off", rec.count())
	}
}

func TestHandlerDedupeIsBounded(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{DedupeSize: 2}, rec.handle)
	for _, id := range []string{"tx_a", "tx_b", "tx_c", "tx_a"} {
		post(t, u, webhook.NewTestEvent(cardPayment(id)))
	}
	// tx_a was pushed out by tx_b and tx_c, so its redelivery is handled again.
	if rec.count() != 4 {
		t.Fatalf("handler called %d times, want 4", rec.count())
	}
	post(t, u, webhook.NewTestEvent(cardPayment("tx_c")))
	if rec.count() != 4 {
		t.Fatalf("recent tx_c was handled again")
	}
}

// TestHandlerDedupeWindowFollowsTheClock dates handled events with
// Options.Clock, a fake clock years away from the wall clock: a redelivery
// inside the window is ignored, one after it is handled afresh.
func TestHandlerDedupeWindowFollowsTheClock(t *testing.T) {
	clock := emulator.NewFakeClock(time.Date(2031, 7, 1, 12, 0, 0, 0, time.UTC))
	var rec recorder
	_, u := serve(t, webhook.Options{DedupeWindow: time.Hour, Clock: clock.Now}, rec.handle)
	ev := webhook.NewTestEvent(cardPayment("tx_window"))
	post(t, u, ev)
	clock.Advance(time.Hour - time.Millisecond)
	if status, _ := post(t, u, ev); status != http.StatusOK || rec.count() != 1 {
		t.Fatalf("redelivery inside the window: status %d, calls %d, want 200 and 1", status, rec.count())
	}
	clock.Advance(time.Millisecond)
	if status, _ := post(t, u, ev); status != http.StatusOK || rec.count() != 2 {
		t.Fatalf("redelivery once the window has passed: status %d, calls %d, want 200 and 2", status, rec.count())
	}
	// Handled again, it is remembered again from the clock's new now.
	clock.Advance(time.Hour - time.Millisecond)
	if post(t, u, ev); rec.count() != 2 {
		t.Fatalf("calls = %d after a redelivery inside the new window, want 2", rec.count())
	}
}

func TestHandlerFailureIsRetried(t *testing.T) {
	rec := recorder{fail: func(n int) error {
		if n == 1 {
			return errors.New("database down")
		}
		return nil
	}}
	_, u := serve(t, webhook.Options{}, rec.handle)
	ev := webhook.NewTestEvent(cardPayment("tx_retry"))
	status, body := post(t, u, ev)
	if status != http.StatusInternalServerError {
		t.Fatalf("failing handler: status = %d, want 500", status)
	}
	if strings.Contains(body, "database down") {
		t.Errorf("the handler's error leaked into the answer: %q", body)
	}
	// Monzo's retry is handled afresh, not swallowed as a duplicate.
	if status, _ := post(t, u, ev); status != http.StatusOK {
		t.Fatalf("retry: status = %d, want 200", status)
	}
	if rec.count() != 2 {
		t.Fatalf("handler called %d times, want 2", rec.count())
	}
}

func TestHandlerPanicIs500(t *testing.T) {
	calls := 0
	_, u := serve(t, webhook.Options{}, func(ctx context.Context, ev *webhook.Event) error {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return nil
	})
	ev := webhook.NewTestEvent(cardPayment("tx_panic"))
	if status, _ := post(t, u, ev); status != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", status)
	}
	if status, _ := post(t, u, ev); status != http.StatusOK || calls != 2 {
		t.Fatalf("retry after panic: status %d, calls %d", status, calls)
	}
}

func TestHandlerTimeoutReachesFunc(t *testing.T) {
	// The context given to the function carries the deadline.
	_, u := serve(t, webhook.Options{Timeout: 1}, func(ctx context.Context, ev *webhook.Event) error {
		<-ctx.Done() // a 1ns deadline has passed, or soon will
		return ctx.Err()
	})
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_slow"))); status != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", status)
	}
}

func TestHandlerDefaultTimeout(t *testing.T) {
	// The default must leave room within the sender's own per-attempt
	// timeout (the emulator's is 10s), so the answer arrives before the
	// sender gives up and retries.
	if webhook.DefaultTimeout != 5*time.Second {
		t.Errorf("DefaultTimeout = %v, want 5s", webhook.DefaultTimeout)
	}
	var remaining time.Duration
	var hasDeadline bool
	_, u := serve(t, webhook.Options{}, func(ctx context.Context, ev *webhook.Event) error {
		var deadline time.Time
		deadline, hasDeadline = ctx.Deadline()
		remaining = time.Until(deadline)
		return nil
	})
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_deadline"))); status != http.StatusOK {
		t.Fatalf("status = %d, want 200", status)
	}
	if !hasDeadline || remaining <= 0 || remaining > webhook.DefaultTimeout {
		t.Errorf("function's context: deadline %v, %v left; want one at most DefaultTimeout (%v) away",
			hasDeadline, remaining, webhook.DefaultTimeout)
	}
}

func TestHandlerConcurrentRedeliveryWaits(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	var calls atomic.Int32
	_, u := serve(t, webhook.Options{}, func(ctx context.Context, ev *webhook.Event) error {
		if calls.Add(1) == 1 {
			close(started)
			<-release
		}
		return nil
	})
	ev := webhook.NewTestEvent(cardPayment("tx_race"))
	first := make(chan int)
	go func() { s, _ := post(t, u, ev); first <- s }()
	<-started
	second := make(chan int)
	go func() { s, _ := post(t, u, ev); second <- s }()
	// Whether or not the second request has reached the handler yet, it
	// must not call the function; let the first finish.
	close(release)
	if s := <-first; s != http.StatusOK {
		t.Errorf("first: %d", s)
	}
	if s := <-second; s != http.StatusOK {
		t.Errorf("second: %d", s)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("function called %d times, want 1", n)
	}
}

func TestHandlerCustomSecretParam(t *testing.T) {
	var rec recorder
	h, u := serve(t, webhook.Options{SecretParam: "key"}, rec.handle)
	if !strings.Contains(u, "key="+testSecret) {
		t.Fatalf("URL %q does not carry key=", u)
	}
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_1"))); status != http.StatusOK {
		t.Fatalf("status = %d", status)
	}
	u2, _ := webhook.URLWithSecret("https://example.com/monzo", testSecret)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, webhook.NewTestRequest(u2, webhook.NewTestEvent(cardPayment("tx_2"))))
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("secret under the default name: status %d, want 401", w.Code)
	}
}

func TestHandlerVerify(t *testing.T) {
	trusted := cardPayment("tx_real")
	trusted.Amount = -999 // the API's figure wins over the posted one
	verify := func(ctx context.Context, ev *webhook.Event) (*monzo.Transaction, error) {
		switch ev.Data.ID {
		case "tx_real":
			tx := trusted
			return &tx, nil
		case "tx_flaky":
			return nil, errors.New("connection reset")
		}
		return nil, fmt.Errorf("%w: no such transaction", webhook.ErrUnverified)
	}
	var rec recorder
	_, u := serve(t, webhook.Options{Verify: verify}, rec.handle)

	forged := cardPayment("tx_real")
	forged.Amount = -1
	if status, _ := post(t, u, webhook.NewTestEvent(forged)); status != http.StatusOK {
		t.Fatalf("verified: status %d", status)
	}
	if rec.count() != 1 || rec.events[0].Data.Amount != -999 {
		t.Fatalf("handler did not get the verified copy: %+v", rec.events)
	}
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_fake"))); status != http.StatusOK {
		t.Fatalf("unverified: status %d, want 200 (dropped)", status)
	}
	if status, _ := post(t, u, webhook.NewTestEvent(cardPayment("tx_flaky"))); status != http.StatusInternalServerError {
		t.Fatalf("verify error: status %d, want 500", status)
	}
	if status, _ := post(t, u, []byte(`{"type":"transaction.updated","data":{"id":"tx_real"}}`)); status != http.StatusOK {
		t.Fatalf("unverifiable type: status %d, want 200 (dropped)", status)
	}
	if rec.count() != 1 {
		t.Fatalf("handler called %d times, want only for the verified event", rec.count())
	}
}

func TestHandlerUnknownTypeReachesFunc(t *testing.T) {
	var rec recorder
	_, u := serve(t, webhook.Options{}, rec.handle)
	if status, _ := post(t, u, []byte(`{"type":"transaction.updated","data":{"id":"tx_1"}}`)); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if rec.count() != 1 || rec.events[0].Type != "transaction.updated" {
		t.Fatalf("events %+v", rec.events)
	}
}

func TestNewHandlerValidates(t *testing.T) {
	noop := func(context.Context, *webhook.Event) error { return nil }
	if _, err := webhook.NewHandler(webhook.Options{}, noop); err == nil {
		t.Error("empty secret accepted")
	}
	if _, err := webhook.NewHandler(webhook.Options{Secret: testSecret}, nil); err == nil {
		t.Error("nil func accepted")
	}
	if _, err := webhook.NewHandler(webhook.Options{Secret: testSecret, MaxBodyBytes: -1}, noop); err == nil {
		t.Error("negative MaxBodyBytes accepted")
	}
}

func TestSecrets(t *testing.T) {
	a, b := webhook.GenerateSecret(), webhook.GenerateSecret()
	if a == b || len(a) < 40 {
		t.Fatalf("weak secrets %q %q", a, b)
	}
	u, err := webhook.URLWithSecret("https://example.com/hooks/monzo?user=7", a)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://example.com/hooks/monzo?token=" + a + "&user=7"; u != want {
		t.Errorf("URLWithSecret = %q, want %q", u, want)
	}
	for _, bad := range []string{"/relative", "ftp://example.com/x", "example.com/x", "://"} {
		if _, err := webhook.URLWithSecret(bad, a); err == nil {
			t.Errorf("URLWithSecret(%q) accepted", bad)
		}
	}
	if _, err := webhook.URLWithSecret("https://example.com", ""); err == nil {
		t.Error("empty secret accepted")
	}
	if _, err := webhook.URLWithSecret("ftp://example.com/?token=hunter2", a); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error leaks the query: %v", err)
	}
}

// TestHandlerRedeliveryWithMoreInFlightThanDedupeSize keeps more distinct
// events in flight than DedupeSize and redelivers the first: the function
// must run once per event, never twice for one, concurrently or not.
func TestHandlerRedeliveryWithMoreInFlightThanDedupeSize(t *testing.T) {
	const n = 5
	var mu sync.Mutex
	calls := map[string]int{}
	release := map[string]chan struct{}{}
	started := make(chan string, 2*n)
	for i := range n {
		release[fmt.Sprintf("tx_%d", i)] = make(chan struct{})
	}
	_, u := serve(t, webhook.Options{DedupeSize: 2}, func(ctx context.Context, ev *webhook.Event) error {
		mu.Lock()
		calls[ev.Data.ID]++
		mu.Unlock()
		started <- ev.Data.ID
		<-release[ev.Data.ID]
		return nil
	})
	answers := make(chan int, 2*n)
	deliver := func(id string) { s, _ := post(t, u, webhook.NewTestEvent(cardPayment(id))); answers <- s }
	for i := range n {
		go deliver(fmt.Sprintf("tx_%d", i))
	}
	for range n {
		<-started // all n events are in the function at once
	}
	go deliver("tx_0") // a redelivery of the first, evicted by a size-only bound
	// Finish the others first, so tx_0 ends as the most recently handled.
	for i := 1; i < n; i++ {
		close(release[fmt.Sprintf("tx_%d", i)])
		if s := <-answers; s != http.StatusOK {
			t.Errorf("answer %d", s)
		}
	}
	close(release["tx_0"])
	for range 2 {
		if s := <-answers; s != http.StatusOK {
			t.Errorf("tx_0 answer %d", s)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for id, c := range calls {
		if c != 1 {
			t.Errorf("%s: the function ran %d times, want 1", id, c)
		}
	}
}
