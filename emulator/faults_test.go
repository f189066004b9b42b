package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
