package monzo

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func response(status int, body string, header http.Header) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/transactions", RawQuery: "account_id=acc_1"}}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

func TestCheckResponseFamilies(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		matches []error
		not     []error
	}{
		{401, `{"code":"unauthorized.bad_access_token.expired","error":"invalid_token","error_description":"Access token has expired","message":"Access token has expired"}`,
			[]error{ErrUnauthorized, ErrBadAccessToken, ErrTokenExpired}, []error{ErrTokenEvicted, ErrForbidden}},
		{401, `{"code":"unauthorized.bad_access_token.evicted","message":"evicted"}`,
			[]error{ErrUnauthorized, ErrBadAccessToken, ErrTokenEvicted}, []error{ErrTokenExpired}},
		{401, `{"code":"unauthorized.bad_refresh_token","message":"Bad refresh token"}`,
			[]error{ErrUnauthorized, ErrBadRefreshToken}, []error{ErrBadAccessToken}},
		{403, `{"code":"forbidden.insufficient_permissions","message":"Access forbidden due to insufficient permissions","params":{"client_id":"oauth2client_1"}}`,
			[]error{ErrForbidden, ErrInsufficientPermissions}, []error{ErrVerificationRequired}},
		{403, `{"code":"forbidden.verification_required","message":"Verification required"}`,
			[]error{ErrForbidden, ErrVerificationRequired}, []error{ErrInsufficientPermissions}},
		{400, `{"code":"bad_request.missing_param.account_id","message":"The field 'account_id' is required"}`,
			[]error{ErrBadRequest}, []error{ErrNotFound}},
		{404, `{"code":"not_found.transaction","message":"no such transaction"}`, []error{ErrNotFound}, nil},
		// Params that are not strings must not cost the error its code.
		{400, `{"code":"bad_request.bad_param.limit","message":"x","params":{"limit":100,"ids":["a"]},"retryable":{},"marshal_count":1}`,
			[]error{ErrBadRequest}, []error{ErrNotFound}},
		{429, `{"code":"rate_limited","message":"slow down"}`, []error{ErrRateLimited}, nil},
		{500, `{"code":"internal_service.request_failed","message":"oops"}`, []error{ErrServer}, nil},
		// Not Monzo-shaped: still typed by status.
		{502, `<html><body><h1>502 Bad Gateway</h1></body></html>`, []error{ErrServer}, []error{ErrBadRequest, ErrRateLimited}},
		{429, `<html>Too Many Requests</html>`, []error{ErrRateLimited}, nil},
		{403, `{"code":"forbidden.insuff`, []error{ErrForbidden}, []error{ErrInsufficientPermissions}},
	}
	for _, tt := range tests {
		err := CheckResponse(response(tt.status, tt.body, nil))
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("%d %s: got %T, want *Error", tt.status, tt.body, err)
		}
		if apiErr.StatusCode != tt.status {
			t.Errorf("status = %d, want %d", apiErr.StatusCode, tt.status)
		}
		for _, target := range tt.matches {
			if !errors.Is(err, target) {
				t.Errorf("%s: errors.Is(%v) = false, want true", tt.body, target)
			}
		}
		for _, target := range tt.not {
			if errors.Is(err, target) {
				t.Errorf("%s: errors.Is(%v) = true, want false", tt.body, target)
			}
		}
	}
}

func TestCheckResponseNonJSONExcerpt(t *testing.T) {
	page := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + strings.Repeat("x", 5000) + "</body></html>"
	err := CheckResponse(response(502, page, nil))
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T", err)
	}
	if !strings.HasPrefix(apiErr.Excerpt, "<html> <head><title>502 Bad Gateway</title>") {
		t.Errorf("excerpt = %q", apiErr.Excerpt)
	}
	if len(apiErr.Excerpt) > excerptLen+len("…") {
		t.Errorf("excerpt is %d bytes, want at most %d", len(apiErr.Excerpt), excerptLen)
	}
	if msg := err.Error(); !strings.Contains(msg, "502") || !strings.Contains(msg, "GET /transactions") || strings.Contains(msg, "account_id") {
		t.Errorf("message %q should name the status and path but not the query", msg)
	}
}

func TestCheckResponseFields(t *testing.T) {
	h := http.Header{"Retry-After": {"7"}}
	err := CheckResponse(response(429, `{"code":"rate_limited","message":"slow","params":{"limit":"30"}}`, h))
	var apiErr *Error
	errors.As(err, &apiErr)
	if apiErr.RetryAfter != 7*time.Second || apiErr.Params["limit"] != "30" || apiErr.Message != "slow" {
		t.Errorf("got %+v", apiErr)
	}
	if !strings.Contains(err.Error(), "retry after 7s") {
		t.Errorf("message %q should say when to retry", err)
	}
	if IsApprovalPending(err) {
		t.Error("a 429 is not approval pending")
	}
	pending := CheckResponse(response(403, `{"code":"forbidden.insufficient_permissions","message":"Access forbidden due to insufficient permissions"}`, nil))
	if !IsApprovalPending(pending) || !strings.Contains(pending.Error(), "approve access in the Monzo app") {
		t.Errorf("approval pending not recognised: %v", pending)
	}
}

func TestCheckResponseLenientParams(t *testing.T) {
	err := CheckResponse(response(400, `{"code":"bad_request.bad_param.limit","message":"too big","params":{"limit":100,"name":"x","nested":{"a":1}}}`, nil))
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != "bad_request.bad_param.limit" || apiErr.Excerpt != "" {
		t.Fatalf("got %#v", err)
	}
	want := map[string]string{"limit": "100", "name": "x", "nested": `{"a":1}`}
	for k, v := range want {
		if apiErr.Params[k] != v {
			t.Errorf("Params[%q] = %q, want %q", k, apiErr.Params[k], v)
		}
	}
}

func TestHasCodeIsDotted(t *testing.T) {
	e := &Error{Code: "forbidden.verification_required"}
	for prefix, want := range map[string]bool{"forbidden": true, "forbidden.verification_required": true, "forbid": false, "forbidden.verification": false, "": false} {
		if got := e.HasCode(prefix); got != want {
			t.Errorf("HasCode(%q) = %v, want %v", prefix, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 01 Jan 2026 11:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// The hint is added once: not again when Monzo's own message already says
// it.
func TestErrorHintIsNotRepeated(t *testing.T) {
	hint := "this pot has added security: withdraw from it in the Monzo app"
	for msg, want := range map[string]int{
		"This pot has added security: withdraw from it in the Monzo app": 1,
		"Pot is locked": 1,
	} {
		e := &Error{Method: "PUT", Path: "/pots/pot_1/withdraw", StatusCode: 403, Code: "forbidden.pot_locked", Message: msg}
		if got := strings.Count(strings.ToLower(e.Error()), strings.ToLower(hint)); got != want {
			t.Errorf("message %q: %q says the hint %d times, want %d", msg, e.Error(), got, want)
		}
	}
}
