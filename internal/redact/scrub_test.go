package redact

import (
	"net/url"
	"strings"
	"testing"
)

// TestTextRemovesEveryKnownSecret: every known secret value of four
// characters or more is removed from response text, as sent and
// form-encoded, even when an earlier value (a refresh grant's empty code) is
// too short to scrub; shorter values are left alone so that the text stays
// readable.
func TestTextRemovesEveryKnownSecret(t *testing.T) {
	const (
		secret  = "mnzconf.s3cr3t/with+slash="
		refresh = "r3fr3sh-0123456789"
		short   = "abcd"
	)
	text := "echo: " + secret + " " + url.QueryEscape(secret) + " " + refresh + " " + short + " xyz"
	got := Text(text, secret, "", "xyz", refresh, short)
	for _, leaked := range []string{secret, url.QueryEscape(secret), refresh, short} {
		if strings.Contains(got, leaked) {
			t.Errorf("scrubbed text %q still holds %q", got, leaked)
		}
	}
	if !strings.Contains(got, "xyz") {
		t.Errorf("scrubbed text %q lost the three-letter word", got)
	}
}

// TestTextRemovesSecretShapes: secrets nobody named (an echoed form, JSON
// or Authorization header) go too, while ordinary words stay.
func TestTextRemovesSecretShapes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"grant_type=refresh_token&refresh_token=reftok_abc123&client_secret=mnzconf.x/y", "grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]"},
		{`{"access_token": "acctok_abc", "code": "bad_request"}`, `{"access_token": "[redacted]", "code": "bad_request"}`},
		{"Authorization: Bearer acctok_0123456789abcdef", "Authorization: Bearer [redacted]"},
		{"the bearer token is missing", "the bearer token is missing"},
		{"unauthorized.bad_access_token.expired", "unauthorized.bad_access_token.expired"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
