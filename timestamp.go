package monzo

import (
	"bytes"
	"encoding/json"
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

// UnmarshalJSON accepts an RFC 3339 string, "" or null.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) || bytes.Equal(data, []byte(`""`)) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("monzo: timestamp must be a string, got %s", data)
	}
	parsed, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// MarshalJSON writes the time as RFC 3339 in UTC, or "" when unset.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
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

// formatTime formats a time for a query parameter.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
