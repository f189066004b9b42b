package history_test

import (
	"net/http"
	"sync"

	"github.com/monzokit/monzo/monzotest"
)

// requestCounter counts requests by path on their way to the emulator.
type requestCounter struct {
	mu     sync.Mutex
	byPath map[string]int
	next   http.RoundTripper
	// before, if set, runs before each request is sent.
	before func(n int, r *http.Request)
	n      int
}

func (c *requestCounter) client(srv *monzotest.Server) *http.Client {
	c.next = srv.HTTPClient.Transport
	if c.next == nil {
		c.next = http.DefaultTransport
	}
	return &http.Client{Transport: c}
}

func (c *requestCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.byPath == nil {
		c.byPath = map[string]int{}
	}
	c.byPath[r.URL.Path]++
	c.n++
	n, before := c.n, c.before
	c.mu.Unlock()
	if before != nil {
		before(n, r)
	}
	return c.next.RoundTrip(r)
}

func (c *requestCounter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byPath[path]
}
