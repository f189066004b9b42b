package monzo

import (
	"fmt"
	"time"
)

// Timestamp is a point in time as the Monzo API writes it: RFC 3339 in UTC,
// with or without fractional seconds. The empty string (and null) decode to
// the zero Timestamp, which means "not set" — a pending transaction's
// Settled, for example — and the zero Timestamp encodes back to "".
type Timestamp struct {
	time.Time
}

var zeroTime time.Time

// UnmarshalJSON accepts an RFC 3339 string, "" or null.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	r := jsonReader{buf: data}
	if err := r.intoTimestamp(t); err != nil {
		return fmt.Errorf("monzo: timestamp: %w", err)
	}
	return r.end()
}

// MarshalJSON writes the time as RFC 3339 in UTC, or "" when unset. Times
// outside the years 0000 to 9999 are refused: RFC 3339 cannot write them,
// and the text time.Format would produce could never be read back.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	u := t.UTC()
	if !writable(u) {
		return nil, fmt.Errorf("monzo: timestamp %s is outside the years 0000-9999 that RFC 3339 can write", u.Format(time.RFC3339Nano))
	}
	b := make([]byte, 0, len(time.RFC3339Nano)+2)
	b = append(b, '"')
	b = u.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// String formats the time as RFC 3339, or "" when unset.
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// ParseTime parses an RFC 3339 timestamp with or without fractional seconds.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("monzo: %q is not an RFC 3339 time (want e.g. 2024-01-31T09:30:00Z)", s)
	}
	return t, nil
}

// parseRFC3339UTC parses the form the API always sends,
// "2006-01-02T15:04:05.999999999Z", without allocating. It reports false
// for anything else (offsets, odd digits, out-of-range fields), which the
// caller hands to [ParseTime]: it never accepts what time.Parse refuses.
func parseRFC3339UTC(b []byte) (time.Time, bool) {
	if len(b) < len("2006-01-02T15:04:05Z") || b[4] != '-' || b[7] != '-' || b[10] != 'T' ||
		b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return zeroTime, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return zeroTime, false
	}
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return zeroTime, false
		}
		n, ok := num(frac[1:])
		if !ok {
			return zeroTime, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

func daysIn(m time.Month, year int) int {
	if m == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - int(m-1)%7%2
}

// writable reports whether RFC 3339 can write t: years 0000 to 9999 in UTC.
// Every encoder of times (JSON and query parameters) checks it.
func writable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// checkWritable refuses a time option RFC 3339 cannot write.
func checkWritable(field string, t time.Time) error {
	if !t.IsZero() && !writable(t) {
		return invalidf("%s (%s) is outside the years 0000-9999 that the API's RFC 3339 times can express", field, t.UTC().Format(time.RFC3339))
	}
	return nil
}

// formatTime formats a time for a query parameter; options are checked
// with checkWritable first.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
