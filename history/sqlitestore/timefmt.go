package sqlitestore

import "time"

// timeLayout is fixed-width UTC with nanoseconds, so that comparing the
// text in SQL orders times correctly (RFC 3339 with trimmed fractions does
// not: "…:00.5Z" sorts before "…:00Z").
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// formatTime writes t for the database; the zero time is "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a time written by formatTime; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, s)
}
