package emulator

import (
	"fmt"
	"sync"
	"time"

	"github.com/monzokit/monzo/internal/redact"
)

// Clock tells the emulator what time it is. Every time-dependent rule (token
// and code expiry, SCA windows, auto-approval, spend_today, seeded history)
// reads the server's Clock, so a [FakeClock] makes them testable without
// sleeping.
type Clock interface {
	Now() time.Time
}

// realClock is the default Clock: the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a manually driven Clock, safe for concurrent use. It only
// moves when Set or Advance is called.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
	// sleepers wait for the clock to reach a time (timers.go).
	sleepers []*sleeper
}

// NewFakeClock returns a FakeClock stopped at t, truncated to milliseconds
// (the API's precision). A zero t means the current wall-clock time.
func NewFakeClock(t time.Time) *FakeClock {
	if t.IsZero() {
		t = time.Now()
	}
	return &FakeClock{now: t.UTC().Truncate(time.Millisecond)}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// String shows the clock's time. Printing a clock that is in use goes
// through its lock: fmt's reflection would read the time and the waiting
// timers while another goroutine moves them.
func (c *FakeClock) String() string {
	if c == nil {
		return "emulator.FakeClock(nil)"
	}
	return "emulator.FakeClock(" + formatTime(c.Now()) + ")"
}

// GoString is [FakeClock.String], for %#v.
func (c *FakeClock) GoString() string { return c.String() }

// Format prints [FakeClock.String] under every verb.
func (c *FakeClock) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }

// Set moves the clock to t (forwards or backwards).
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
	c.wakeLocked()
}

// Advance moves the clock forward by d (backwards if d is negative) and
// returns the new time.
func (c *FakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.wakeLocked()
	return c.now
}
