package monzo

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"fmt"
	"testing"
	"time"
)

// TestParseRFC3339UTCTakesEveryFormTheAPISends: the allocation-free path
// must accept every UTC timestamp the API writes, at the edges of each field
// too (a fast path that refused them would go unnoticed, since time.Parse
// catches what it refuses, but every transaction would pay for it), and give
// exactly what time.Parse gives. It must refuse anything time.Parse refuses.
func TestParseRFC3339UTCTakesEveryFormTheAPISends(t *testing.T) {
	valid := []string{
		"2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "2099-09-09T19:59:59.999999999Z",
		"2024-01-31T09:30:00.1Z", "2024-01-31T09:30:00.12Z", "2024-01-31T09:30:00.123456Z",
		"2024-01-31T09:30:00.000000001Z", "2024-01-31T09:30:00.900000000Z", "0000-01-01T00:00:00Z",
		"2024-02-29T12:00:00Z", "2000-02-29T12:00:00Z", "1900-02-28T12:00:00Z", "2023-02-28T12:00:00Z",
	}
	// The last day of every month, in a leap year and in a common year.
	for _, year := range []int{2023, 2024} {
		for m := time.January; m <= time.December; m++ {
			last := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			valid = append(valid, fmt.Sprintf("%04d-%02d-%02dT08:15:42.5Z", year, m, last))
		}
	}
	for _, s := range valid {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("%s: the test's own input does not parse: %v", s, err)
		}
		got, ok := parseRFC3339UTC([]byte(s))
		if !ok || got != want {
			t.Errorf("parseRFC3339UTC(%s) = %v, %v; want %v, true", s, got, ok, want)
		}
	}

	invalid := []string{
		"2024-00-10T00:00:00Z", "2024-13-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-32T00:00:00Z",
		"2024-01-31T24:00:00Z", "2024-01-31T23:60:00Z", "2024-01-31T23:59:60Z",
		"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
		"2024-0a-10T00:00:00Z", "2024-01-1/T00:00:00Z", "2024-01-10T0:-0:00Z", "2024-01-10T00:00:0:Z",
		"2024-01-31T09:30:00.Z", "2024-01-31T09:30:00.1x3Z",
		"2024-01-31 09:30:00Z", "2024/01/31T09:30:00Z", "2024-01-31T09.30.00Z", "2024-01-31T09:30:0Z",
	}
	for m := time.January; m <= time.December; m++ {
		for _, year := range []int{2023, 2024} {
			next := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day() + 1
			if next <= 31 {
				invalid = append(invalid, fmt.Sprintf("%04d-%02d-%02dT08:15:42Z", year, m, next))
			}
		}
	}
	for _, s := range invalid {
		if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t.Fatalf("%s: the test's own input is valid", s)
		}
		if got, ok := parseRFC3339UTC([]byte(s)); ok {
			t.Errorf("parseRFC3339UTC(%s) = %v, true; want it refused, as time.Parse refuses it", s, got)
		}
	}
}
