package monzo

import (
	"net/http"
	"sync"
)

// defaultTransport is the transport of every client built without
// [WithHTTPClient]: http.DefaultTransport's settings (proxy from the
// environment, timeouts, HTTP/2), except that it keeps up to
// [MaxBackfillConcurrency] idle connections per host instead of Go's 2, so
// that a concurrent Backfill reuses its connections (one TLS handshake per
// worker) instead of opening a new one for most requests. One transport is
// shared by all such clients, so they share one connection pool, as
// clients of http.DefaultTransport do.
var defaultTransport = sync.OnceValue(func() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		// A program that replaced http.DefaultTransport keeps its own.
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, MaxBackfillConcurrency)
	return t
})
