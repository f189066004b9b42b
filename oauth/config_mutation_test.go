package oauth

import (
	"testing"
	"time"
)

// TestDefaultHTTPClientHasTheDocumentedTimeout: without an HTTPClient, token
// and logout requests are bounded by DefaultHTTPTimeout (30s), so a server
// that never answers cannot hang a call whose context has no deadline.
func TestDefaultHTTPClientHasTheDocumentedTimeout(t *testing.T) {
	if DefaultHTTPTimeout != 30*time.Second {
		t.Errorf("DefaultHTTPTimeout = %v, want the documented 30s", DefaultHTTPTimeout)
	}
	for _, c := range []*Config{nil, {}} {
		if got := c.httpClient().Timeout; got != DefaultHTTPTimeout {
			t.Errorf("httpClient() of %+v: Timeout %v, want %v", c, got, DefaultHTTPTimeout)
		}
	}
}
