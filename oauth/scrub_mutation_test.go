package oauth

import (
	"net/url"
	"strings"
	"testing"
)

// TestScrubTextRemovesEveryKnownSecret: every known secret value of four
// characters or more is removed from response text, as sent and
// form-encoded, even when an earlier value (a refresh grant's empty code) is
// too short to scrub; shorter values are left alone so that the text stays
// readable.
func TestScrubTextRemovesEveryKnownSecret(t *testing.T) {
	const (
		secret  = "mnzconf.s3cr3t/with+slash="
		refresh = "r3fr3sh-0123456789"
		short   = "abcd"
	)
	text := "echo: " + secret + " " + url.QueryEscape(secret) + " " + refresh + " " + short + " xyz"
	got := scrubText(text, []string{secret, "", "xyz", refresh, short})
	for _, leaked := range []string{secret, url.QueryEscape(secret), refresh, short} {
		if strings.Contains(got, leaked) {
			t.Errorf("scrubbed text %q still holds %q", got, leaked)
		}
	}
	if !strings.Contains(got, "xyz") {
		t.Errorf("scrubbed text %q lost the three-letter word", got)
	}
}
