package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The latency and fault lab. A [Fault] slows down or
// breaks the API requests it matches, so clients can be tried against a
// slow network, 5xx answers, rate limits, proxies' HTML error pages, lost
// responses, reset connections and broken bodies without writing a proxy.
// Faults are set with [Options.Faults], [Options.Latency],
// [Server.InjectFault] or POST /_emulator/faults, and apply globally (no
// Method or Path) or per route. The control plane is never faulted.
//
// Every random choice (whether a probabilistic fault fires, the jitter, the
// bytes of a garbled body) comes from one generator seeded with
// [Options.FaultSeed], in request order: a run of sequential requests is
// replayed exactly by the same seed and faults. ClearFaults (DELETE
// /_emulator/faults) rewinds the generator.

// Fault kinds: what a fault does to the requests it answers.
const (
	// FaultStatus answers with Status (400–599) and a Monzo JSON error
	// body, or Body. It is the default kind when Status is set.
	FaultStatus = "status"
	// FaultReset closes the connection without an answer (a TCP reset
	// where the connection allows it).
	FaultReset = "reset"
	// FaultTruncate serves the request for real and cuts its body off
	// halfway: the client sees an unexpected EOF.
	FaultTruncate = "truncate"
	// FaultGarble serves the request for real and corrupts its body (same
	// status and length): the client sees JSON it cannot decode.
	FaultGarble = "garble"
)

// Fault slows down or breaks matching API requests.
//
// A fault with only Latency (and Jitter) delays every matching request (or,
// with Probability, that share of them; with Times, that many) and then
// serves it normally. A fault with a Kind or a Status also answers the
// request its own way, after its latency: by default the next matching
// request only (Times 0 means once); with Probability, each matching
// request with that probability, with no limit unless Times is set.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string `json:"method,omitempty"`
	// Path matches the request path: exactly, with {name} segments
	// matching any one segment ("/pots/{id}/deposit"), ignoring one
	// trailing slash. "" matches every API path.
	Path string `json:"path,omitempty"`

	// Latency delays each matching request, plus a uniformly random
	// extra of up to Jitter. The delay is wall-clock time unless
	// Options.LatencyClock is set. In JSON they are latency_ms and
	// jitter_ms, whole milliseconds.
	Latency time.Duration `json:"-"`
	Jitter  time.Duration `json:"-"`

	// Kind is FaultStatus, FaultReset, FaultTruncate, FaultGarble, or ""
	// (FaultStatus if Status is set, else latency only).
	Kind string `json:"kind,omitempty"`
	// Status is the HTTP status of a FaultStatus answer, 400–599.
	Status int `json:"status,omitempty"`
	// Probability, when in (0, 1], makes the fault fire on each matching
	// request with that probability instead of on every one.
	Probability float64 `json:"probability,omitempty"`
	// Times is how many requests the fault answers before it is spent.
	// 0 means once, or no limit for a Probability or latency-only fault.
	Times int `json:"times,omitempty"`
	// RetryAfter, if set, is sent as the Retry-After header (seconds or an
	// HTTP date). A 429 without one gets "1", as the real API's 429s
	// carry one.
	RetryAfter string `json:"retry_after,omitempty"`
	// Body replaces the Monzo JSON error body of a FaultStatus answer,
	// e.g. with a proxy's HTML page; ContentType goes with it (default
	// text/html).
	Body        string `json:"body,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// AfterHandling serves the request for real first and then answers
	// with the fault: the change happens, but the client never learns it
	// did (the case idempotency keys exist for). Truncate and garble
	// always do.
	AfterHandling bool `json:"after_handling,omitempty"`
}

// kind resolves the default Kind.
func (f *Fault) kind() string {
	switch {
	case f.Kind != "":
		return f.Kind
	case f.Status != 0:
		return FaultStatus
	}
	return ""
}

func (f Fault) validate() error {
	switch f.kind() {
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("fault status must be 400-599, got %d", f.Status)
		}
	case FaultReset, FaultTruncate, FaultGarble:
		if f.Status != 0 {
			return fmt.Errorf("a %s fault takes no status", f.Kind)
		}
	case "":
		if f.Latency <= 0 {
			return errors.New("a fault needs a status, a kind (reset, truncate, garble) or a latency")
		}
	default:
		return fmt.Errorf("fault kind must be status, reset, truncate or garble, got %q", f.Kind)
	}
	switch {
	case f.Times < 0:
		return errors.New("fault times must not be negative")
	case f.Latency < 0 || f.Jitter < 0:
		return errors.New("fault latency and jitter must not be negative")
	case f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("fault probability must be between 0 and 1, got %v", f.Probability)
	case strings.HasPrefix(f.Path, controlPrefix):
		return errors.New("the control plane cannot be faulted")
	case f.Path != "" && !strings.HasPrefix(f.Path, "/"):
		return fmt.Errorf("fault path must start with /, got %q", f.Path)
	}
	return nil
}

// unlimited reports whether the fault never runs out.
func (f *Fault) unlimited() bool {
	return f.Times == 0 && (f.Probability > 0 || f.kind() == "")
}

func (f *Fault) matches(r *http.Request) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && pathMatches(f.Path, r.URL.Path)
}

// pathMatches matches a request path against a fault's path pattern.
func pathMatches(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	pattern, path = strings.TrimSuffix(pattern, "/"), strings.TrimSuffix(path, "/")
	if !strings.Contains(pattern, "{") {
		return pattern == path
	}
	ps, qs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], "{") && strings.HasSuffix(ps[i], "}") {
			if qs[i] == "" {
				return false
			}
			continue
		}
		if ps[i] != qs[i] {
			return false
		}
	}
	return true
}

// faultStatus is a fault as GET /_emulator/faults reports it.
type faultStatus struct {
	Fault
	// Fired counts the requests the fault answered (or delayed).
	Fired int `json:"fired"`
}

// MarshalJSON flattens the fault and its count.
func (f faultStatus) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(f.Fault)
	if err != nil {
		return nil, err
	}
	return append(data[:len(data)-1], fmt.Sprintf(`,"fired":%d}`, f.Fired)...), nil
}

// armedFault is an injected fault with its bookkeeping.
type armedFault struct {
	Fault
	left  int // uses left; ignored when unlimited
	fired int
}

// faultList holds the injected faults and the lab's random generator. It
// has its own lock, never held while serving: faults are test
// configuration and survive Reset.
type faultList struct {
	mu     sync.Mutex
	seed   int64
	rng    *mrand.Rand
	faults []*armedFault
	// served counts the requests answered (not only delayed) by a fault.
	served int
}

func (l *faultList) rewindLocked() {
	l.rng = mrand.New(mrand.NewPCG(uint64(l.seed), 0x6661756c74)) // "fault"
}

// InjectFault adds a fault; faults are tried in the order added.
func (s *Server) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append(s.faults.faults, &armedFault{Fault: f, left: left})
	return nil
}

// ClearFaults removes every injected fault, the global latency of
// Options.Latency included, and rewinds the lab's random generator to
// Options.FaultSeed, so the same faults injected again replay the same run.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
	s.faults.rewindLocked()
}

// FaultsServed returns how many requests were answered by a fault (not
// counting those only delayed).
func (s *Server) FaultsServed() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.served
}

// Faults returns the faults in force, in the order they are tried.
func (s *Server) Faults() []Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]Fault, 0, len(s.faults.faults))
	for _, f := range s.faults.faults {
		out = append(out, f.Fault)
	}
	return out
}

// faultPlan is what the lab does to one request, decided up front.
type faultPlan struct {
	delay  time.Duration
	answer *Fault // nil: serve normally
	garble *mrand.Rand
}

// planFaults decides, under the lab's lock, how r is delayed and answered:
// the first matching latency-only fault that fires sets the delay, unless
// the answering fault has a latency of its own; the first matching
// answering fault that fires answers. It spends uses and draws
// random numbers in a fixed order, so a seed replays a run.
func (s *Server) planFaults(r *http.Request) faultPlan {
	var p faultPlan
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		return p
	}
	l := &s.faults
	l.mu.Lock()
	defer l.mu.Unlock()
	delaySet := false
	for i := 0; i < len(l.faults); i++ {
		f := l.faults[i]
		if !f.matches(r) {
			continue
		}
		latencyOnly := f.kind() == ""
		if (latencyOnly && delaySet) || (!latencyOnly && p.answer != nil) {
			continue // an earlier fault already decided this
		}
		if f.Probability > 0 && l.rng.Float64() >= f.Probability {
			continue
		}
		if latencyOnly {
			p.delay, delaySet = f.Latency+jitter(l.rng, f.Jitter), true
			f.fired++
			if l.spendLocked(f) {
				i--
			}
			continue
		}
		if f.Latency > 0 { // the answering fault's own latency is the more specific
			p.delay, delaySet = f.Latency+jitter(l.rng, f.Jitter), true
		}
		f.fired++
		l.served++
		hit := f.Fault
		p.answer = &hit
		if hit.kind() == FaultGarble {
			p.garble = mrand.New(mrand.NewPCG(l.rng.Uint64(), l.rng.Uint64()))
		}
		if l.spendLocked(f) {
			i--
		}
	}
	return p
}

// spendLocked uses up one of f's uses, removing it when none are left, and
// reports whether it was removed. Call with l.mu held.
func (l *faultList) spendLocked(f *armedFault) bool {
	if f.unlimited() {
		return false
	}
	f.left--
	if f.left > 0 {
		return false
	}
	l.faults = slices.DeleteFunc(l.faults, func(g *armedFault) bool { return g == f })
	return true
}

func jitter(rng *mrand.Rand, max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return time.Duration(rng.Int64N(int64(max) + 1))
}

// injectFaults applies the lab to every request.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := s.planFaults(r)
		if p.delay > 0 {
			if err := s.waitLatency(r.Context(), p.delay); err != nil {
				return // the client gave up
			}
		}
		f := p.answer
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		switch f.kind() {
		case FaultReset:
			if f.AfterHandling {
				next.ServeHTTP(httptest.NewRecorder(), r)
			}
			resetConnection(w)
		case FaultTruncate:
			rec := serveRecorded(next, r)
			copyHeader(w.Header(), rec.Header())
			body := rec.Body.Bytes()
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			// Abort: the server closes the connection short of the
			// promised Content-Length.
			panic(http.ErrAbortHandler)
		case FaultGarble:
			rec := serveRecorded(next, r)
			copyHeader(w.Header(), rec.Header())
			body := garble(rec.Body.Bytes(), p.garble)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		default:
			writeFaultAnswer(w, r, next, f)
		}
	})
}

// waitLatency waits d on Options.LatencyClock, or on the wall clock.
func (s *Server) waitLatency(ctx context.Context, d time.Duration) error {
	clock := s.opts.LatencyClock
	if clock == nil {
		clock = realClock{}
	}
	return sleepUntil(ctx, clock, clock.Now().Add(d))
}

// writeFaultAnswer answers a FaultStatus fault.
func writeFaultAnswer(w http.ResponseWriter, r *http.Request, next http.Handler, f *Fault) {
	if f.AfterHandling {
		next.ServeHTTP(httptest.NewRecorder(), r)
	}
	retryAfter := f.RetryAfter
	if retryAfter == "" && f.Status == http.StatusTooManyRequests {
		retryAfter = "1"
	}
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	if f.Body == "" {
		writeError(w, f.Status, faultCode(f.Status), "Injected fault: "+http.StatusText(f.Status), nil)
		return
	}
	ct := f.ContentType
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}

func serveRecorded(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// resetConnection drops the connection without an answer: a TCP reset
// (SO_LINGER 0) when the connection can be taken over, else an aborted
// response.
func resetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tcp, ok := conn.(*net.TCPConn); ok {
				_ = tcp.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// garble corrupts a body in a way no JSON decoder accepts: a run of random
// bytes in the middle, and the final closing bracket replaced, so the
// document never ends.
func garble(body []byte, rng *mrand.Rand) []byte {
	out := bytes.Clone(body)
	if len(out) == 0 {
		return []byte{0xff}
	}
	start := rng.IntN(len(out))
	for i := start; i < len(out) && i < start+16; i++ {
		out[i] = byte(0x80 + rng.IntN(0x80))
	}
	end := bytes.TrimRight(out, " \r\n")
	if n := len(end); n > 0 {
		end[n-1] = '\x00'
	}
	return out
}

// faultCode is the Monzo error code family of a status (docs/api-notes.md#error-codes).
func faultCode(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limited"
	case status == http.StatusGatewayTimeout:
		return "timeout"
	case status >= 500:
		return "internal_service.injected_fault"
	case status == http.StatusUnauthorized:
		return "unauthorized.injected_fault"
	case status == http.StatusForbidden:
		return "forbidden.injected_fault"
	case status == http.StatusNotFound:
		return "not_found.injected_fault"
	}
	return "bad_request.injected_fault"
}

// UnmarshalJSON reads a fault as POST /_emulator/faults takes it, with
// latency_ms and jitter_ms in milliseconds.
func (f *Fault) UnmarshalJSON(data []byte) error {
	type plain Fault // no methods: no recursion
	var in struct {
		plain
		LatencyMS int64 `json:"latency_ms"`
		JitterMS  int64 `json:"jitter_ms"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	*f = Fault(in.plain)
	f.Latency, f.Jitter = time.Duration(in.LatencyMS)*time.Millisecond, time.Duration(in.JitterMS)*time.Millisecond
	return nil
}

// MarshalJSON writes a fault as GET /_emulator/faults shows it.
func (f Fault) MarshalJSON() ([]byte, error) {
	type plain Fault
	return json.Marshal(struct {
		plain
		LatencyMS int64 `json:"latency_ms,omitempty"`
		JitterMS  int64 `json:"jitter_ms,omitempty"`
	}{plain(f), f.Latency.Milliseconds(), f.Jitter.Milliseconds()})
}

// ParseFaults reads a JSON array of faults (the shape POST
// /_emulator/faults takes, one element per fault), or "@path" naming a
// file holding one, read with readFile. Each fault is validated.
func ParseFaults(spec string, readFile func(string) ([]byte, error)) ([]Fault, error) {
	data := []byte(spec)
	if name, ok := strings.CutPrefix(spec, "@"); ok {
		var err error
		if data, err = readFile(name); err != nil {
			return nil, fmt.Errorf("emulator: reading faults: %w", err)
		}
	}
	var faults []Fault
	if err := json.Unmarshal(data, &faults); err != nil {
		return nil, fmt.Errorf("emulator: faults must be a JSON array of faults such as [{\"status\":503,\"probability\":0.1}]: %w", err)
	}
	for i, f := range faults {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("emulator: fault %d: %w", i, err)
		}
	}
	return faults, nil
}

// faultStatus reports the faults in force with their counts, the number of
// answers faults gave and the lab's seed.
func (s *Server) faultStatus() ([]faultStatus, int, int64) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	list := make([]faultStatus, 0, len(s.faults.faults))
	for _, f := range s.faults.faults {
		list = append(list, faultStatus{Fault: f.Fault, Fired: f.fired})
	}
	return list, s.faults.served, s.faults.seed
}
