package monzo

import "time"

// Now returns the client's idea of the current time: the clock given with
// [WithClock], or the wall clock. Code built on a Client (a history sync, a
// CLI command) reads it so that one WithClock moves all of it together,
// which matters against an emulator whose fake clock is far from the wall
// clock.
func (c *Client) Now() time.Time {
	if c == nil || c.now == nil {
		return time.Now()
	}
	return c.now()
}
