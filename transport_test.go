package monzo_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// countingProxy forwards TCP connections to target and counts them, so a
// test sees how many connections a client really opened.
func countingProxy(t *testing.T, target string) (addr string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns = new(atomic.Int64)
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { io.Copy(up, c); up.Close() }()
				io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String(), conns
}

// The default client keeps a connection per Backfill worker: with Go's
// default of two idle connections per host most requests of a concurrent
// walk would open a new connection (a TLS handshake each, against Monzo).
func TestDefaultClientReusesConnectionsInABackfill(t *testing.T) {
	srv := monzotest.NewServer(t)
	tok, err := srv.Login.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	addr, conns := countingProxy(t, u.Host)
	c, err := monzo.NewClient(monzo.WithBaseURL("http://"+addr), monzo.WithAccessToken(tok.AccessToken), monzo.WithClock(srv.Clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.HTTPClient().CloseIdleConnections)

	const workers = monzo.DefaultBackfillConcurrency
	requests := 0
	for range 3 { // three walks: connections from the first are reused by the next
		n := 0
		for _, err := range c.Transactions.Backfill(t.Context(), srv.AccountID(monzo.AccountTypeRetail), &monzo.BackfillOptions{PageSize: 20}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n < 1000 {
			t.Fatalf("the walk saw %d transactions; the seeded history has more", n)
		}
		requests += n / 20
	}
	// At most one connection per request in flight (a dial can race an
	// idle connection coming back, so allow twice that).
	if got := conns.Load(); got > 2*workers {
		t.Errorf("%d connections for about %d requests by %d workers; want at most %d", got, requests, workers, 2*workers)
	}
}
