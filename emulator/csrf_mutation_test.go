package emulator

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"net/http"
	"strings"
	"testing"
)

// TestConsentPageKeepsAWellFormedCookie: a browser that already has a
// consent cookie keeps it when it loads the page again (so a form opened
// in another tab stays valid); a cookie of the wrong shape is replaced.
func TestConsentPageKeepsAWellFormedCookie(t *testing.T) {
	e := setup(t)
	load := func(cookie string) []*http.Cookie {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, e.ts.URL+authQuery(e.client, e.client.RedirectURI, "code", "st"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: cookie})
		}
		resp := e.send(req)
		wantStatus(t, resp, http.StatusOK)
		return (&http.Response{Header: resp.header}).Cookies()
	}
	first := load("")
	if len(first) != 1 || first[0].Name != csrfCookie || len(first[0].Value) != 64 {
		t.Fatalf("first load set %v, want one 64-character %s cookie", first, csrfCookie)
	}
	if again := load(first[0].Value); len(again) != 0 {
		t.Errorf("a second load with the cookie set %v, want the cookie kept", again)
	}
	if short := load(strings.Repeat("a", 63)); len(short) != 1 || len(short[0].Value) != 64 {
		t.Errorf("a load with a 63-character cookie set %v, want a fresh 64-character one", short)
	}
}
