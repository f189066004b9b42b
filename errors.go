package monzo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/monzokit/monzo/internal/apihttp"
	"github.com/monzokit/monzo/internal/redact"
)

// maxErrorBody caps how much of an error response is read.
const maxErrorBody = 64 << 10

// excerptLen caps how much of a non-JSON error body is kept in an [Error].
const excerptLen = 200

// Error is an error answered by the Monzo API (any status other than 2xx).
//
// Monzo error codes are dotted hierarchies such as
// "unauthorized.bad_access_token.expired"; use [Error.HasCode] or [errors.Is]
// with the sentinels in this package ([ErrTokenExpired], ...) rather than
// comparing strings.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path identify the request (the path never holds secrets).
	Method, Path string
	// Code is Monzo's dotted error code, e.g. "bad_request.missing_param.account_id".
	Code string
	// Message is Monzo's human-readable message.
	Message string
	// Params holds the error's parameters, when Monzo sent any.
	Params map[string]string
	// OAuthError and OAuthDescription carry the OAuth "error" and
	// "error_description" keys that authentication errors add.
	OAuthError, OAuthDescription string
	// RetryAfter is the delay asked for by a 429 or 503 response's Retry-After
	// header, or zero.
	RetryAfter time.Duration
	// Excerpt is the start of a body that was not a Monzo JSON error (an HTML
	// page from a proxy, truncated JSON), for diagnosis.
	Excerpt string
}

// Error describes the failure and, where there is one, what to do about it.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "monzo: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.OAuthDescription != "" {
		fmt.Fprintf(&b, ": %s", e.OAuthDescription)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, " (unexpected body: %q)", e.Excerpt)
	}
	// A server that already says what to do (the emulator does, for a
	// locked pot) is not repeated.
	if hint := e.hint(); hint != "" && !strings.Contains(strings.ToLower(e.Message), strings.ToLower(hint)) {
		fmt.Fprintf(&b, " (%s)", hint)
	}
	return b.String()
}

// hint says what the user can do about the well-known failures.
func (e *Error) hint() string {
	switch {
	case e.HasCode(ErrInsufficientPermissions.code) && e.StatusCode == http.StatusForbidden:
		return "if you have just logged in, approve access in the Monzo app, then retry with the same token"
	case e.HasCode(ErrVerificationRequired.code):
		return "full history is only readable within 5 minutes of login: log in again and sync straight away, or ask for the last 90 days only"
	case e.HasCode(ErrTokenExpired.code):
		return "the access token has expired: refresh it or log in again"
	case e.HasCode(ErrTokenEvicted.code):
		return "a newer login for this client replaced this token: log in again"
	case e.HasCode(ErrBadRefreshToken.code):
		return "the refresh token was already used or revoked: log in again"
	case e.HasCode("forbidden.pot_locked"):
		return "this pot has added security: withdraw from it in the Monzo app"
	case e.StatusCode == http.StatusTooManyRequests:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("rate limited: retry after %s", e.RetryAfter)
		}
		return "rate limited: slow down and retry later"
	}
	return ""
}

// HasCode reports whether the error's code is prefix or lies below it in
// Monzo's dotted hierarchy: "forbidden" matches "forbidden.verification_required",
// but "forbid" does not.
func (e *Error) HasCode(prefix string) bool {
	return codeHasPrefix(e.Code, prefix)
}

func codeHasPrefix(code, prefix string) bool {
	if prefix == "" {
		return false
	}
	return code == prefix || strings.HasPrefix(code, prefix+".")
}

// Is lets [errors.Is] match an [*Error] against the sentinels of this package.
func (e *Error) Is(target error) bool {
	k, ok := target.(*ErrorKind)
	if !ok {
		return false
	}
	if k.code != "" && e.HasCode(k.code) {
		return true
	}
	if k.status == 0 {
		return false
	}
	if k.statusMax != 0 {
		return e.StatusCode >= k.status && e.StatusCode <= k.statusMax
	}
	return e.StatusCode == k.status
}

// ErrorKind is the type of this package's sentinel errors ([ErrNotFound],
// [ErrTokenExpired], [ErrInvalidArgument], ...). Use the sentinels with
// [errors.Is]; there is no need to create an ErrorKind.
//
// A sentinel that names a Monzo code family matches an [*Error] whose code
// lies below that code in the dotted hierarchy; one that names an HTTP status
// also matches an [*Error] with that status (or, for [ErrServer], any 5xx).
// [ErrInvalidArgument] matches the errors this package reports before
// sending anything.
type ErrorKind struct {
	code      string
	status    int
	statusMax int
	text      string
}

// Error names the family, e.g. "monzo: not found".
func (k *ErrorKind) Error() string { return "monzo: " + k.text }

// Sentinels for [errors.Is]. Each matches a family of Monzo error codes by
// dotted prefix (see docs/api-notes.md#error-codes).
var (
	// ErrInvalidArgument matches every error this package reports before
	// sending a request: a missing id, an amount that is not positive, bad
	// options or a malformed request struct. The call never reached Monzo,
	// so nothing happened; fix the argument and call again. It never
	// matches an answer from the API (a 400 from Monzo is [ErrBadRequest]).
	ErrInvalidArgument = &ErrorKind{text: "invalid argument"}
	// ErrBadRequest matches every 400 "bad_request.…" error.
	ErrBadRequest = &ErrorKind{code: "bad_request", status: http.StatusBadRequest, text: "bad request"}
	// ErrUnauthorized matches every 401 "unauthorized.…" error.
	ErrUnauthorized = &ErrorKind{code: "unauthorized", status: http.StatusUnauthorized, text: "unauthorized"}
	// ErrBadAccessToken matches any rejected access token: unknown, expired or evicted.
	ErrBadAccessToken = &ErrorKind{code: "unauthorized.bad_access_token", text: "bad access token"}
	// ErrTokenExpired matches an access token past its expiry.
	ErrTokenExpired = &ErrorKind{code: "unauthorized.bad_access_token.expired", text: "access token expired"}
	// ErrTokenEvicted matches an access token replaced by a newer login or refresh.
	ErrTokenEvicted = &ErrorKind{code: "unauthorized.bad_access_token.evicted", text: "access token evicted"}
	// ErrBadRefreshToken matches a refresh token that was reused, revoked or
	// evicted (unauthorized.bad_refresh_token[.evicted]). The Open Banking
	// API's 400 bad_request.refresh_token.* codes are not the developer
	// API's and are not matched.
	ErrBadRefreshToken = &ErrorKind{code: "unauthorized.bad_refresh_token", text: "bad refresh token"}
	// ErrForbidden matches every 403 "forbidden.…" error.
	ErrForbidden = &ErrorKind{code: "forbidden", status: http.StatusForbidden, text: "forbidden"}
	// ErrInsufficientPermissions matches 403 forbidden.insufficient_permissions:
	// straight after login it means the user has not yet approved access in
	// the Monzo app (see [IsApprovalPending]).
	ErrInsufficientPermissions = &ErrorKind{code: "forbidden.insufficient_permissions", text: "insufficient permissions"}
	// ErrVerificationRequired matches 403 forbidden.verification_required: the
	// query reaches past the 90-day window more than 5 minutes after login.
	ErrVerificationRequired = &ErrorKind{code: "forbidden.verification_required", text: "verification required"}
	// ErrNotFound matches every 404.
	ErrNotFound = &ErrorKind{code: "not_found", status: http.StatusNotFound, text: "not found"}
	// ErrRateLimited matches a 429; [Error.RetryAfter] says how long to wait.
	ErrRateLimited = &ErrorKind{code: "rate_limited", status: http.StatusTooManyRequests, text: "rate limited"}
	// ErrServer matches every 5xx, Monzo-shaped or not (a proxy's HTML page).
	ErrServer = &ErrorKind{code: "internal_service", status: 500, statusMax: 599, text: "server error"}
)

// IsApprovalPending reports whether err says the access token is valid but
// the user has not yet approved access in the Monzo app. The same token
// starts working once they do; there is no need to log in again.
func IsApprovalPending(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusForbidden && e.HasCode(ErrInsufficientPermissions.code)
}

// errorBody is the JSON shape of Monzo's error responses. Params are
// documented as strings, but are decoded leniently so that an unexpected
// value (a number, a list) cannot cost the error its code.
type errorBody struct {
	Code             string                     `json:"code"`
	Message          string                     `json:"message"`
	Params           map[string]json.RawMessage `json:"params"`
	Error            string                     `json:"error"`
	ErrorDescription string                     `json:"error_description"`
}

// params turns the raw params into strings: JSON strings are unquoted,
// anything else is kept as its JSON text.
func (b *errorBody) params() map[string]string {
	if len(b.Params) == 0 {
		return nil
	}
	out := make(map[string]string, len(b.Params))
	for k, raw := range b.Params {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			out[k] = s
		} else {
			out[k] = string(raw)
		}
	}
	return out
}

// CheckResponse returns nil for a 2xx response and an [*Error] otherwise,
// built from at most 64 KiB of the body. It does not close the body.
// It is exported for packages (such as oauth) that send their own requests.
// A Retry-After date is measured from the wall clock; code with its own
// clock calls [CheckResponseAt], as a [Client] does with [WithClock].
func CheckResponse(resp *http.Response) error {
	return CheckResponseAt(resp, time.Now())
}

// CheckResponseAt is [CheckResponse] with the caller's idea of the current
// time: a Retry-After given as an HTTP date becomes [Error.RetryAfter]
// measured from now, so a program (or test) running on an injected clock
// waits as long as the server asked, not as long as the wall clock says.
func CheckResponseAt(resp *http.Response, now time.Time) error {
	if e := checkResponse(resp, now); e != nil {
		return e
	}
	return nil
}

// checkResponse is [CheckResponse] with the caller's "now", so a client
// with an injected clock reads Retry-After dates against that clock, and
// with the secrets the request sent (known), which are removed from every
// text taken from the body, as is anything shaped like a secret: a proxy
// that echoes the request in its error page must not put the token into an
// error message (see [redact.Text]).
func checkResponse(resp *http.Response, now time.Time, known ...string) *Error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &Error{StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		if resp.Request.URL != nil {
			e.Path = resp.Request.URL.Path
		}
	}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	data := apihttp.ReadCapped(resp.Body, maxErrorBody)
	var body errorBody
	if err := json.Unmarshal(data, &body); err == nil && (body.Code != "" || body.Error != "" || body.Message != "") {
		e.Code, e.Message = redact.Text(body.Code, known...), redact.Text(body.Message, known...)
		e.OAuthError, e.OAuthDescription = redact.Text(body.Error, known...), redact.Text(body.ErrorDescription, known...)
		for k, v := range body.params() {
			if e.Params == nil {
				e.Params = map[string]string{}
			}
			e.Params[redact.Text(k, known...)] = redact.Text(v, known...)
		}
		return e
	}
	// Scrubbed before it is cut, so that a secret cut in half is not left
	// behind.
	e.Excerpt = excerpt([]byte(redact.Text(string(data), known...)))
	return e
}

// excerpt keeps the start of an unexpected body, on one line, cut at a rune boundary.
func excerpt(data []byte) string {
	s := strings.Join(strings.Fields(string(data)), " ")
	if len(s) <= excerptLen {
		return s
	}
	cut := excerptLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// parseRetryAfter reads a Retry-After header given in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
