package monzo

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
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
