package monzo

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampDecode(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2022-07-22T16:13:59.567Z"`, time.Date(2022, 7, 22, 16, 13, 59, 567e6, time.UTC)},
		{`"2025-06-17T07:09:35.3Z"`, time.Date(2025, 6, 17, 7, 9, 35, 3e8, time.UTC)},
		{`"2021-07-01T06:00:00Z"`, time.Date(2021, 7, 1, 6, 0, 0, 0, time.UTC)},
		{`"2021-07-01T07:00:00+01:00"`, time.Date(2021, 7, 1, 6, 0, 0, 0, time.UTC)},
		{`""`, time.Time{}},
		{`null`, time.Time{}},
	}
	for _, tt := range tests {
		var ts Timestamp
		if err := json.Unmarshal([]byte(tt.in), &ts); err != nil {
			t.Errorf("decode %s: %v", tt.in, err)
			continue
		}
		if !ts.Equal(tt.want) {
			t.Errorf("decode %s = %v, want %v", tt.in, ts.Time, tt.want)
		}
	}
	for _, bad := range []string{`"yesterday"`, `12345`, `"2021-07-01"`} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("decode %s: want an error", bad)
		}
	}
}

func TestTimestampEncode(t *testing.T) {
	b, _ := json.Marshal(struct{ T Timestamp }{})
	if string(b) != `{"T":""}` {
		t.Errorf("zero timestamp encodes as %s, want \"\"", b)
	}
	ts := Timestamp{time.Date(2022, 7, 22, 16, 13, 59, 567e6, time.UTC)}
	b, _ = json.Marshal(ts)
	if string(b) != `"2022-07-22T16:13:59.567Z"` {
		t.Errorf("encode = %s", b)
	}
}
