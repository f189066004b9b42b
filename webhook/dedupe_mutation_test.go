package webhook

import (
	"testing"
	"time"
)

// TestSeenSetLenCountsInFlightAndHandled: len counts both the events being
// handled and those remembered as handled.
func TestSeenSetLenCountsInFlightAndHandled(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSeenSet(10, time.Hour, func() time.Time { return now })
	a, _ := s.begin("a")
	s.begin("b")
	s.begin("c")
	s.finish(a, true)
	if n := s.len(); n != 3 {
		t.Fatalf("len with 1 handled and 2 in flight = %d, want 3", n)
	}
}
