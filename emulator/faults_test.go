package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFaultsAnswerThenSpend(t *testing.T) {
	s, err := New(Options{Clock: NewFakeClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	post := func(body string) *http.Response {
		resp, err := http.Post(ts.URL+"/_emulator/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := post(`{"path":"/ping/whoami","status":503,"times":2,"retry_after":"4"}`); resp.StatusCode != 200 {
		t.Fatalf("injecting: %d", resp.StatusCode)
	}
	for i := range 3 {
		resp, err := http.Get(ts.URL + "/ping/whoami")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i < 2 {
			var e struct{ Code string }
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "4" || e.Code != "internal_service.injected_fault" {
				t.Errorf("attempt %d: %d %q %s", i, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
		} else if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("after the fault is spent: %d, want the real 401 (no token)", resp.StatusCode)
		}
	}
	if s.FaultsServed() != 2 {
		t.Errorf("served %d, want 2", s.FaultsServed())
	}
	for _, bad := range []string{`{"status":200}`, `{"status":503,"path":"/_emulator/health"}`, `{"status":503,"times":-1}`, `not json`} {
		if resp := post(bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, resp.StatusCode)
		}
	}
}

func TestFaultAfterHandlingStillServes(t *testing.T) {
	s, err := New(Options{Clock: NewFakeClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	handled := 0
	inner := s.handler
	s.handler = s.injectFaults(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled++
		inner.ServeHTTP(w, r)
	}))
	if err := s.InjectFault(Fault{Method: "GET", Path: "/ping/whoami", Status: 502, AfterHandling: true, Body: "<html>bad gateway</html>"}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/ping/whoami", nil))
	if handled != 1 || rec.Code != 502 || !strings.Contains(rec.Body.String(), "bad gateway") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("handled=%d, got %d %q", handled, rec.Code, rec.Body)
	}
	s.ClearFaults()
	rec = httptest.NewRecorder()
	s.handler.ServeHTTP(rec, httptest.NewRequest("POST", "/ping/whoami", nil))
	if rec.Code == 502 {
		t.Error("fault still active after ClearFaults")
	}
}

// labEnv is an emulator whose latency waits on a fake clock of its own.
func labEnv(t *testing.T, opts ...func(*Options)) (*env, *FakeClock) {
	t.Helper()
	lat := NewFakeClock(testNow)
	e := setup(t, append([]func(*Options){func(o *Options) { o.LatencyClock = lat }}, opts...)...)
	return e, lat
}

// Latency delays matching requests on the latency clock, per route or
// globally, and never the control plane.
func TestLatencyDelaysMatchingRequests(t *testing.T) {
	e, lat := labEnv(t, func(o *Options) { o.Latency = 100 * time.Millisecond })
	done := make(chan response, 1)
	go func() { done <- e.get("/ping/whoami", "") }()
	waitSleepers(t, lat, 1)
	lat.Advance(99 * time.Millisecond)
	if lat.Sleepers() != 1 {
		t.Fatal("the request was released before its 100ms latency")
	}
	select {
	case r := <-done:
		t.Fatalf("answered (%d) before the latency passed", r.status)
	default:
	}
	lat.Advance(time.Millisecond)
	if r := <-done; r.status != http.StatusUnauthorized {
		t.Errorf("after the latency: %d, want the real 401", r.status)
	}
	// The control plane is never delayed (it would block here).
	wantStatus(t, e.get("/_emulator/health", ""), http.StatusOK)

	// A per-route latency: only that route waits.
	e.s.ClearFaults()
	if err := e.s.InjectFault(Fault{Path: "/pots/{id}/deposit", Latency: time.Second}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.get("/ping/whoami", ""), http.StatusUnauthorized) // not delayed
	go func() { done <- e.do(http.MethodPut, "/pots/pot_x/deposit/", "", nil) }()
	waitSleepers(t, lat, 1)
	lat.Advance(time.Second)
	<-done
}

// planDelays draws n requests' latency from a server's lab.
func planDelays(t *testing.T, seed int64, n int) []time.Duration {
	t.Helper()
	s, err := New(Options{Clock: NewFakeClock(testNow), FaultSeed: seed, Latency: 100 * time.Millisecond, LatencyJitter: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Duration
	for range n {
		p := s.planFaults(httptest.NewRequest(http.MethodGet, "/accounts", nil))
		if p.delay < 100*time.Millisecond || p.delay > 150*time.Millisecond {
			t.Fatalf("delay %s outside 100ms + [0, 50ms]", p.delay)
		}
		out = append(out, p.delay)
	}
	return out
}

// Jitter is random but replayable: the same seed draws the same delays.
func TestJitterIsDeterministicUnderASeed(t *testing.T) {
	a, b, c := planDelays(t, 7, 20), planDelays(t, 7, 20), planDelays(t, 8, 20)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different delays:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("different seeds drew the same delays: %v", a)
	}
	if slices.Min(a) == slices.Max(a) {
		t.Errorf("no jitter: %v", a)
	}
}

// errorPattern sends n requests and records which were faulted.
func errorPattern(t *testing.T, e *env, n int) string {
	t.Helper()
	var b strings.Builder
	for range n {
		r := e.get("/ping/whoami", "")
		switch r.status {
		case http.StatusUnauthorized:
			b.WriteByte('.')
		case http.StatusServiceUnavailable:
			b.WriteByte('x')
		default:
			t.Fatalf("unexpected status %d", r.status)
		}
	}
	return b.String()
}

// Error rates as probabilities fire on about that share of requests, in a
// pattern a seed replays exactly; as counts they fire exactly that often.
func TestErrorRatesAreReplayable(t *testing.T) {
	e := setup(t, func(o *Options) { o.FaultSeed = 42 })
	rate := Fault{Path: "/ping/whoami", Status: http.StatusServiceUnavailable, Probability: 0.25}
	if err := e.s.InjectFault(rate); err != nil {
		t.Fatal(err)
	}
	first := errorPattern(t, e, 200)
	if n := strings.Count(first, "x"); n < 25 || n > 75 {
		t.Errorf("%d of 200 requests faulted at probability 0.25", n)
	}
	// Clearing rewinds the generator: the same fault replays the run.
	e.s.ClearFaults()
	_ = e.s.InjectFault(rate)
	if again := errorPattern(t, e, 200); again != first {
		t.Errorf("replay differs:\n%s\n%s", first, again)
	}
	// Another seed, another run.
	other := setup(t, func(o *Options) { o.FaultSeed = 43; o.Faults = []Fault{rate} })
	if errorPattern(t, other, 200) == first {
		t.Error("seed 43 replayed seed 42's run")
	}
	// A count: exactly 3, then never again.
	e.s.ClearFaults()
	_ = e.s.InjectFault(Fault{Path: "/ping/whoami", Status: http.StatusServiceUnavailable, Times: 3})
	if got := errorPattern(t, e, 6); got != "xxx..." {
		t.Errorf("count fault pattern %q, want xxx...", got)
	}
}

// A 429 fault carries Retry-After even when none was given.
func TestRateLimitFaultCarriesRetryAfter(t *testing.T) {
	e := setup(t, func(o *Options) { o.Faults = []Fault{{Status: http.StatusTooManyRequests}} })
	r := e.get("/accounts", "")
	wantError(t, r, http.StatusTooManyRequests, "rate_limited")
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q, want 1", r.header.Get("Retry-After"))
	}
}

// Broken transport: a reset connection, a truncated body and a garbled
// body each reach the client as the failure it must handle.
func TestResetTruncateGarble(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	get := func() (*http.Response, []byte, error) {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/accounts", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Access)
		resp, err := e.http.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	_, real, err := get()
	if err != nil {
		t.Fatal(err)
	}

	// A fresh connection: on a reused one, net/http quietly retries an
	// idempotent request that died before any answer.
	e.http.Transport = &http.Transport{DisableKeepAlives: true}
	_ = e.s.InjectFault(Fault{Path: "/accounts", Kind: FaultReset})
	if _, _, err := get(); err == nil {
		t.Error("reset: the request succeeded")
	}

	_ = e.s.InjectFault(Fault{Path: "/accounts", Kind: FaultTruncate})
	if _, body, err := get(); !errors.Is(err, io.ErrUnexpectedEOF) || len(body) >= len(real) {
		t.Errorf("truncate: err %v after %d of %d bytes, want io.ErrUnexpectedEOF", err, len(body), len(real))
	}

	_ = e.s.InjectFault(Fault{Path: "/accounts", Kind: FaultGarble})
	resp, body, err := get()
	if err != nil || resp.StatusCode != http.StatusOK || len(body) != len(real) {
		t.Fatalf("garble: %v, status %v, %d bytes (real %d)", err, resp, len(body), len(real))
	}
	if json.Valid(body) {
		t.Errorf("garbled body is still valid JSON: %s", body)
	}

	// Reset after handling: the deposit happens, the client never hears.
	f := newPotsFixture(t)
	pot := f.pot("Holidays")["id"].(string)
	_ = f.s.InjectFault(Fault{Method: http.MethodPut, Path: "/pots/{id}/deposit", Kind: FaultReset, AfterHandling: true})
	before := potsNum(f.pot("Holidays")["balance"])
	req, _ := http.NewRequest(http.MethodPut, f.ts.URL+"/pots/"+pot+"/deposit",
		strings.NewReader(url.Values{"source_account_id": {f.personal}, "amount": {"100"}, "dedupe_id": {"d1"}}.Encode()))
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := f.http.Do(req); err == nil {
		resp.Body.Close()
		t.Error("reset after handling: the client got an answer")
	}
	if after := potsNum(f.pot("Holidays")["balance"]); after != before+100 {
		t.Errorf("pot balance %d → %d, want the deposit made", before, after)
	}
}

// The control plane sets the lab as the docs say: {"latency_ms":100}.
func TestFaultsControlPlane(t *testing.T) {
	e := setup(t)
	for body, want := range map[string]int{
		`{"latency_ms":100,"jitter_ms":20}`:                       200,
		`{"path":"/transactions","status":503,"probability":0.1}`: 200,
		`{"path":"/pots/{id}/deposit","kind":"reset"}`:            200,
		`{"kind":"explode"}`:                                      400,
		`{"status":503,"probability":2}`:                          400,
		`{"kind":"garble","status":500}`:                          400,
		`{}`:                                                      400,
	} {
		if r := e.controlJSON(http.MethodPost, "/_emulator/faults", body); r.status != want {
			t.Errorf("%s: %d, want %d: %s", body, r.status, want, r.body)
		}
	}
	r := e.get("/_emulator/faults", "")
	var list struct {
		Faults []map[string]any
		Seed   int64
	}
	if err := json.Unmarshal(r.body, &list); err != nil || len(list.Faults) != 3 || list.Seed != DefaultSeed {
		t.Errorf("GET /_emulator/faults = %s", r.body)
	}
	if i := slices.IndexFunc(list.Faults, func(f map[string]any) bool { return f["latency_ms"] != nil }); i < 0 ||
		list.Faults[i]["latency_ms"] != 100.0 || list.Faults[i]["jitter_ms"] != 20.0 {
		t.Errorf("GET /_emulator/faults = %s", r.body)
	}
	wantStatus(t, e.do(http.MethodDelete, "/_emulator/faults", "", nil), http.StatusOK)
	if n := len(e.s.Faults()); n != 0 {
		t.Errorf("%d faults after DELETE", n)
	}
}

// Latency faults can be counted or probabilistic too, and an answering
// fault's own latency (a 504 after 5 s) beats the global one.
func TestLatencyFaultsCountsProbabilityAndPrecedence(t *testing.T) {
	s, err := New(Options{Clock: NewFakeClock(testNow), Latency: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(path string) faultPlan {
		return s.planFaults(httptest.NewRequest(http.MethodGet, path, nil))
	}
	s.ClearFaults()
	_ = s.InjectFault(Fault{Path: "/accounts", Latency: time.Second, Times: 2})
	var got []time.Duration
	for range 3 {
		got = append(got, plan("/accounts").delay)
	}
	if !slices.Equal(got, []time.Duration{time.Second, time.Second, 0}) {
		t.Errorf("counted latency: %v, want 1s, 1s, 0", got)
	}

	_ = s.InjectFault(Fault{Path: "/balance", Latency: time.Second, Probability: 0.5})
	var slow int
	for range 200 {
		if plan("/balance").delay > 0 {
			slow++
		}
	}
	if slow < 60 || slow > 140 {
		t.Errorf("%d of 200 requests delayed at probability 0.5", slow)
	}

	s.ClearFaults()
	_ = s.InjectFault(Fault{Latency: 100 * time.Millisecond})
	_ = s.InjectFault(Fault{Path: "/pots", Status: http.StatusGatewayTimeout, Latency: 5 * time.Second})
	if p := plan("/pots"); p.delay != 5*time.Second || p.answer == nil || p.answer.Status != 504 {
		t.Errorf("504 fault: delay %s, answer %+v; want 5s and a 504", p.delay, p.answer)
	}
	if p := plan("/accounts"); p.delay != 100*time.Millisecond || p.answer != nil {
		t.Errorf("other route: delay %s, answer %+v; want the global 100ms only", p.delay, p.answer)
	}
}
