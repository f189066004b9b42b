package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Fault makes the emulator fail matching API requests, so clients can test
// their handling of 5xx answers, rate limits, proxies' HTML error pages and
// lost responses. The control plane is never faulted.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string `json:"method"`
	// Path matches the request path exactly; "" matches any API path.
	Path string `json:"path"`
	// Status is the HTTP status to answer, 400–599.
	Status int `json:"status"`
	// Times is how many matching requests fail before the fault is spent;
	// 0 means once.
	Times int `json:"times"`
	// RetryAfter, if set, is sent as the Retry-After header (seconds or an
	// HTTP date).
	RetryAfter string `json:"retry_after,omitempty"`
	// Body replaces the Monzo JSON error body, e.g. with an HTML page;
	// ContentType goes with it (default text/html).
	Body        string `json:"body,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// AfterHandling serves the request for real first and then replaces
	// its response: the change happens, but the client never learns it
	// did — the case idempotency keys exist for.
	AfterHandling bool `json:"after_handling,omitempty"`
}

func (f Fault) validate() error {
	if f.Status < 400 || f.Status > 599 {
		return fmt.Errorf("fault status must be 400-599, got %d", f.Status)
	}
	if f.Times < 0 {
		return errors.New("fault times must not be negative")
	}
	if strings.HasPrefix(f.Path, controlPrefix) {
		return errors.New("the control plane cannot be faulted")
	}
	return nil
}

func (f *Fault) matches(r *http.Request) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && (f.Path == "" || f.Path == r.URL.Path)
}

// faultList holds the injected faults. It has its own lock: faults are test
// configuration and survive Reset; ClearFaults removes them.
type faultList struct {
	mu     sync.Mutex
	faults []*Fault
	// served counts the requests answered by a fault.
	served int
}

// InjectFault adds a fault; faults are tried in the order added.
func (s *Server) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append(s.faults.faults, &f)
	return nil
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
}

// FaultsServed returns how many requests were answered by a fault.
func (s *Server) FaultsServed() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.served
}

// takeFault returns a copy of the first fault matching r and spends one of
// its uses, or nil.
func (s *Server) takeFault(r *http.Request) *Fault {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		return nil
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i, f := range s.faults.faults {
		if !f.matches(r) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults.faults = append(s.faults.faults[:i], s.faults.faults[i+1:]...)
		}
		s.faults.served++
		hit := *f
		return &hit
	}
	return nil
}

// injectFaults answers requests matching an injected fault.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.takeFault(r)
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		if f.AfterHandling {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
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
	})
}

// faultCode is the Monzo error code family of a status (reference §5.3).
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

// handleAddFault serves POST /_emulator/faults.
func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if apiErr := decodeControlBody(r, &f); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if err := s.InjectFault(f); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request.bad_param.fault", err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// handleClearFaults serves DELETE /_emulator/faults.
func (s *Server) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	writeJSON(w, http.StatusOK, map[string]any{})
}

// handleListFaults serves GET /_emulator/faults.
func (s *Server) handleListFaults(w http.ResponseWriter, _ *http.Request) {
	s.faults.mu.Lock()
	list := make([]Fault, 0, len(s.faults.faults))
	for _, f := range s.faults.faults {
		list = append(list, *f)
	}
	served := s.faults.served
	s.faults.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"faults": list, "served": served})
}
