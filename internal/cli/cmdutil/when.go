package cmdutil

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/monzokit/monzo"
)

// ParseWhen reads a point in time given on the command line: a relative age
// ("90m", "36h", "7d", "2w": that long before now), a date ("2025-01-01",
// midnight in loc) or an RFC 3339 timestamp. Anything else is a UsageError
// naming the accepted forms.
func ParseWhen(flag, s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if n := len(s); n >= 2 {
		if num, err := strconv.Atoi(s[:n-1]); err == nil && num >= 0 {
			switch s[n-1] {
			case 'm':
				return now.Add(-time.Duration(num) * time.Minute), nil
			case 'h':
				return now.Add(-time.Duration(num) * time.Hour), nil
			case 'd':
				return now.AddDate(0, 0, -num), nil
			case 'w':
				return now.AddDate(0, 0, -7*num), nil
			}
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := monzo.ParseTime(s); err == nil {
		return t, nil
	}
	return time.Time{}, Usagef("--%s %q is not a time: use a date (2025-01-01), a timestamp (2025-01-01T09:00:00Z) or an age (90m, 36h, 7d, 2w)", flag, s)
}

// Money formats minor units for people: "£12.34"-style symbols are left to
// the currency code, which reads unambiguously in a table: "12.34 GBP".
func Money(minor int64, currency string) string {
	return fmt.Sprintf("%s %s", monzo.FormatAmount(minor, currency), currency)
}
