package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMethodNotAllowedIsJSON(t *testing.T) {
	e := setup(t)
	for path, allow := range map[string]string{
		"/accounts":        "GET",
		"/oauth2/token":    "POST",
		"/ping/whoami":     "GET",
		"/_emulator/clock": "GET, POST",
	} {
		resp := e.do(http.MethodDelete, path, "", nil)
		wantError(t, resp, http.StatusMethodNotAllowed, "method_not_allowed")
		if got := resp.header.Get("Allow"); got != allow {
			t.Errorf("%s: Allow = %q, want %q", path, got, allow)
		}
	}
}

func TestUnknownPathIsJSON404(t *testing.T) {
	e := setup(t)
	for _, path := range []string{"/nope", "/accounts/", "/pots/listV1", "/_emulator/nope"} {
		m := wantError(t, e.get(path, ""), http.StatusNotFound, "not_found.endpoint")
		if !strings.Contains(m["message"].(string), path) {
			t.Errorf("message %v does not name the path", m["message"])
		}
	}
}

func TestHeadFollowsGet(t *testing.T) {
	e := setup(t)
	wantStatus(t, e.do(http.MethodHead, "/_emulator/health", "", nil), http.StatusOK)
}

func TestRouterRejectsDuplicateRoutes(t *testing.T) {
	r := newRouter()
	r.HandleFunc("GET /x", func(http.ResponseWriter, *http.Request) {})
	defer func() {
		if recover() == nil {
			t.Error("duplicate registration did not panic")
		}
	}()
	r.HandleFunc("GET /x", func(http.ResponseWriter, *http.Request) {})
}

func TestRateLimit(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 4; o.RateLimitWindow = time.Minute })
	tok := e.login(e.client, e.primary().ID) // authorize + exchange: 2 of this client's 4 requests
	wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
	wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
	resp := e.get("/ping/whoami", tok.Access)
	wantError(t, resp, http.StatusTooManyRequests, "rate_limited")
	if resp.header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After = %q", resp.header.Get("Retry-After"))
	}
	// The control plane is never limited.
	wantStatus(t, e.get("/_emulator/health", ""), http.StatusOK)
	e.clock.Advance(time.Minute)
	wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
}

func TestPanicsBecomeJSON500(t *testing.T) {
	e := setup(t)
	h := e.s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "internal_service.request_failed") {
		t.Errorf("got %d %s", rec.Code, rec.Body.String())
	}
}
