package monzo

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestErrorTextInEachCase pins the whole text of an API error in the cases
// a user sees: an OAuth error carries its description instead of a
// message, a bare status says nothing more, and a 429 says how long to
// wait only when the server said so.
func TestErrorTextInEachCase(t *testing.T) {
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Error{Method: "POST", Path: "/oauth2/token", StatusCode: 401, OAuthError: "invalid_grant", OAuthDescription: "the code has expired"},
			"monzo: POST /oauth2/token: 401 Unauthorized: the code has expired"},
		{Error{Method: "GET", Path: "/accounts", StatusCode: 502},
			"monzo: GET /accounts: 502 Bad Gateway"},
		{Error{Method: "GET", Path: "/accounts", StatusCode: 429},
			"monzo: GET /accounts: 429 Too Many Requests (rate limited: slow down and retry later)"},
		{Error{Method: "GET", Path: "/accounts", StatusCode: 429, RetryAfter: 2 * time.Second},
			"monzo: GET /accounts: 429 Too Many Requests (rate limited: retry after 2s)"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

// TestErrServerMatchesEvery5xxAndNothingElse: ErrServer covers the whole
// 5xx range, its two ends included, and no status outside it.
func TestErrServerMatchesEvery5xxAndNothingElse(t *testing.T) {
	for status, want := range map[int]bool{499: false, 500: true, 503: true, 599: true, 600: false} {
		err := fmt.Errorf("wrapped: %w", &Error{StatusCode: status})
		if got := errors.Is(err, ErrServer); got != want {
			t.Errorf("status %d: errors.Is(err, ErrServer) = %v, want %v", status, got, want)
		}
	}
}

// TestIsApprovalPendingNeedsBothTheStatusAndTheCode: only a 403 with the
// insufficient_permissions code means "approve in the app"; the same code
// with another status, another 403, and errors that are not API errors at
// all are something else.
func TestIsApprovalPendingNeedsBothTheStatusAndTheCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&Error{StatusCode: 403, Code: "forbidden.insufficient_permissions"}, true},
		{fmt.Errorf("listing: %w", &Error{StatusCode: 403, Code: "forbidden.insufficient_permissions"}), true},
		{&Error{StatusCode: 401, Code: "forbidden.insufficient_permissions"}, false},
		{&Error{StatusCode: 403, Code: "forbidden.verification_required"}, false},
		{errors.New("connection reset"), false},
		{nil, false},
	} {
		if got := IsApprovalPending(tc.err); got != tc.want {
			t.Errorf("IsApprovalPending(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestSentinelsNameTheirFamily: a sentinel printed on its own (a wrapped
// errors.Join, a log line) reads as this package's error.
func TestSentinelsNameTheirFamily(t *testing.T) {
	if got, want := ErrNotFound.Error(), "monzo: not found"; got != want {
		t.Errorf("ErrNotFound.Error() = %q, want %q", got, want)
	}
}

// TestCheckResponseSuccessIsExactly2xx: 200 to 299 are successes; 199 and
// a 3xx the http package did not follow are errors.
func TestCheckResponseSuccessIsExactly2xx(t *testing.T) {
	for status, ok := range map[int]bool{199: false, 200: true, 204: true, 299: true, 300: false, 304: false} {
		err := CheckResponse(response(status, `{"code":"x"}`, nil))
		if (err == nil) != ok {
			t.Errorf("status %d: CheckResponse = %v, want success %v", status, err, ok)
		}
	}
}

// TestCheckResponseReadsAnyOfTheThreeErrorKeys: a JSON body is read as a
// Monzo error when it has a code, an OAuth error or a message, any one of
// them alone; JSON with none of them is an unexpected body, kept as an
// excerpt so the user can see what came back.
func TestCheckResponseReadsAnyOfTheThreeErrorKeys(t *testing.T) {
	for _, tc := range []struct {
		body                          string
		code, oauth, message, excerpt string
	}{
		{`{"code":"bad_request.missing_param"}`, "bad_request.missing_param", "", "", ""},
		{`{"error":"invalid_grant"}`, "", "invalid_grant", "", ""},
		{`{"message":"Try again later"}`, "", "", "Try again later", ""},
		{`{"status":"down"}`, "", "", "", `{"status":"down"}`},
	} {
		var e *Error
		if !errors.As(CheckResponse(response(502, tc.body, nil)), &e) {
			t.Fatalf("%s: no *Error", tc.body)
		}
		if e.Code != tc.code || e.OAuthError != tc.oauth || e.Message != tc.message || e.Excerpt != tc.excerpt {
			t.Errorf("%s: code %q, OAuth error %q, message %q, excerpt %q; want %q, %q, %q, %q",
				tc.body, e.Code, e.OAuthError, e.Message, e.Excerpt, tc.code, tc.oauth, tc.message, tc.excerpt)
		}
	}
}

// TestExcerptCutsAtARuneBoundary: an unexpected body is kept whole up to
// 200 bytes; a longer one is cut before the rune that crosses byte 200,
// never inside it, and a body with no rune start at all leaves only the
// ellipsis.
func TestExcerptCutsAtARuneBoundary(t *testing.T) {
	a199 := strings.Repeat("a", 199)
	for _, tc := range []struct{ name, body, want string }{
		{"exactly 200 bytes", a199 + "z", a199 + "z"},
		{"a rune across byte 200", a199 + "é" + "bbb", a199 + "…"},
		{"no rune start", strings.Repeat("\x80", 250), "…"},
	} {
		var e *Error
		if !errors.As(CheckResponse(response(502, tc.body, nil)), &e) {
			t.Fatalf("%s: no *Error", tc.name)
		}
		if e.Excerpt != tc.want {
			t.Errorf("%s: excerpt %q (%d bytes), want %q (%d bytes)", tc.name, e.Excerpt, len(e.Excerpt), tc.want, len(tc.want))
		}
	}
}
