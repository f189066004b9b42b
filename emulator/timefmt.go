package emulator

import (
	"time"
	// Embedded zone data, so spend_today's 04:00 Europe/London day boundary
	// works on machines without tzdata.
	_ "time/tzdata"
)

// formatTime renders t as the API does: UTC, millisecond precision, trailing
// zeros trimmed (time.RFC3339Nano). The zero time renders as "", which is how
// the API shows unset timestamps such as a pending transaction's settled.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)
}

// msTime truncates t to the API's millisecond precision, in UTC.
func msTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Millisecond)
}

// londonLocation returns Europe/London, or UTC if the zone can't be loaded.
func londonLocation() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}

// spendDayStart returns the start of the "spending day" containing now: the
// most recent 04:00 Europe/London.
func spendDayStart(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	start := time.Date(l.Year(), l.Month(), l.Day(), 4, 0, 0, 0, loc)
	if l.Before(start) {
		start = start.AddDate(0, 0, -1)
	}
	return start
}
