package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fromAddress sends GET path to s's handler as if from addr, and returns
// the status.
func fromAddress(s *Server, addr, path string) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code
}

// Distinct keys cannot grow the limiter without bound: ended windows are
// dropped once the clock passes them, and the map never holds more than
// maxKeys windows, however many addresses a flood comes from.
func TestRateLimiterForgetsEndedWindows(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 2; o.RateLimitWindow = time.Minute })
	for i := range 500 {
		fromAddress(e.s, fmt.Sprintf("10.0.%d.%d", i/256, i%256), "/nope")
	}
	if n := e.s.limiter.size(); n != 500 {
		t.Fatalf("after 500 addresses within one window the limiter keeps %d windows, want 500 (all still count)", n)
	}
	e.clock.Advance(time.Minute)
	fromAddress(e.s, "10.1.0.1", "/nope")
	if n := e.s.limiter.size(); n != 1 {
		t.Errorf("a window after the flood the limiter keeps %d windows, want 1 (the ended ones dropped)", n)
	}
}

func TestRateLimiterIsCapped(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 2; o.RateLimitWindow = time.Hour })
	e.s.limiter.maxKeys = 50
	for i := range 1000 {
		e.clock.Advance(time.Millisecond) // distinct starts: the oldest is dropped first
		fromAddress(e.s, fmt.Sprintf("10.0.%d.%d", i/256, i%256), "/nope")
		if n := e.s.limiter.size(); n > 50 {
			t.Fatalf("after %d addresses the limiter keeps %d windows, over its cap of 50", i+1, n)
		}
	}
	// The newest keys are still counted: the limit holds for them.
	last := "10.0.3.231" // address 999
	if got := fromAddress(e.s, last, "/nope"); got != http.StatusNotFound {
		t.Fatalf("second request from %s: status %d, want 404", last, got)
	}
	if got := fromAddress(e.s, last, "/nope"); got != http.StatusTooManyRequests {
		t.Errorf("third request from %s: status %d, want 429 (its window was lost)", last, got)
	}
}

// A clock set back does not leave windows that never end.
func TestRateLimiterSurvivesClockSetBack(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 1; o.RateLimitWindow = time.Minute })
	fromAddress(e.s, "10.0.0.1", "/nope")
	e.clock.Advance(-time.Hour)
	if got := fromAddress(e.s, "10.0.0.1", "/nope"); got != http.StatusNotFound {
		t.Errorf("after the clock went back an hour: status %d, want 404 (a new window)", got)
	}
	fromAddress(e.s, "10.0.0.2", "/nope")
	if n := e.s.limiter.size(); n != 2 {
		t.Errorf("limiter keeps %d windows, want 2", n)
	}
}
