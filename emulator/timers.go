package emulator

import (
	"context"
	"time"
)

// sleeper is one goroutine waiting for a FakeClock to reach a time.
type sleeper struct {
	until time.Time
	wake  chan struct{} // closed when the clock reaches until
}

// wakeLocked releases the sleepers whose time has come. Call with c.mu held.
func (c *FakeClock) wakeLocked() {
	kept := c.sleepers[:0]
	for _, sl := range c.sleepers {
		if c.now.Before(sl.until) {
			kept = append(kept, sl)
			continue
		}
		close(sl.wake)
	}
	clear(c.sleepers[len(kept):])
	c.sleepers = kept
}

// sleepUntilFake returns a channel closed once the clock reaches t (at once
// if it already has) and a func that abandons the wait.
func (c *FakeClock) sleepUntilFake(t time.Time) (<-chan struct{}, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sl := &sleeper{until: t, wake: make(chan struct{})}
	if !c.now.Before(t) {
		close(sl.wake)
		return sl.wake, func() {}
	}
	c.sleepers = append(c.sleepers, sl)
	return sl.wake, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, other := range c.sleepers {
			if other == sl {
				c.sleepers = append(c.sleepers[:i], c.sleepers[i+1:]...)
				return
			}
		}
	}
}

// Sleepers reports how many background waits (webhook retry backoffs) are
// waiting for the clock to move. Tests can use it to know a retry is
// scheduled before they advance the clock, though they need not: a wait
// whose time has already passed ends at once.
func (c *FakeClock) Sleepers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// sleepUntil waits until clock reads t or later, or ctx is done. On a
// FakeClock it wakes when Set or Advance reaches t, never on its own; on
// any other clock it uses a real timer.
func sleepUntil(ctx context.Context, clock Clock, t time.Time) error {
	if fc, ok := clock.(*FakeClock); ok {
		wake, cancel := fc.sleepUntilFake(t)
		defer cancel()
		select {
		case <-wake:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	d := t.Sub(clock.Now())
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
