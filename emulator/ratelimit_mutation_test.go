package emulator

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// Ended windows are swept at most once per window length, not on every
// new key: a sweep walks the whole map, and sweeping on every request of
// a flood of new addresses would cost time quadratic in the flood. An
// ended window left until the next sweep counts nothing, so keeping it a
// little longer is harmless.
func TestRateLimiterSweepsAtMostOncePerWindow(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 5; o.RateLimitWindow = time.Minute })
	step := func(d time.Duration, addr string, want int) {
		t.Helper()
		e.clock.Advance(d)
		fromAddress(e.s, addr, "/nope")
		if n := e.s.limiter.size(); n != want {
			t.Fatalf("after a request from %s the limiter keeps %d windows, want %d", addr, n, want)
		}
	}
	step(0, "10.0.0.1", 1)              // t0: a sweep, the next one due at t0+60s
	step(30*time.Second, "10.0.0.2", 2) // t0+30s
	step(30*time.Second, "10.0.0.3", 2) // t0+60s: sweep due; .1's window has ended, next sweep at t0+120s
	// t0+100s: .2's window ended at t0+90s, but no sweep is due yet.
	step(40*time.Second, "10.0.0.4", 3)
	// t0+120s: the sweep drops .2 and .3 (ended at t0+120s).
	step(20*time.Second, "10.0.0.5", 2)
	// Back to t0: the clock was set back, so the next sweep's time means
	// nothing; a sweep runs now and drops the windows that start later.
	step(-2*time.Minute, "10.0.0.6", 1)
}

// An address is a host: a client that opens a new connection (a new
// source port) for every request still spends one allowance.
func TestRateLimitCountsAHostAcrossConnections(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 2; o.RateLimitWindow = time.Minute })
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	t.Cleanup(client.CloseIdleConnections)
	var statuses []int
	for range 3 {
		resp, err := client.Get(e.ts.URL + "/nope")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if want := []int{http.StatusNotFound, http.StatusNotFound, http.StatusTooManyRequests}; !slices.Equal(statuses, want) {
		t.Errorf("three requests from 127.0.0.1, each on its own connection: statuses %v, want %v", statuses, want)
	}
}
