package history

import (
	"testing"
	"time"
)

func TestMergeSpan(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	opened := day(0)
	full := SyncState{From: day(0), To: day(100), Full: true}
	gappy := SyncState{From: day(200), To: day(300), GapFrom: day(100), GapTo: day(200)}
	cases := []struct {
		name     string
		old      SyncState
		had      bool
		from, to time.Time
		want     SyncState
	}{
		{"first backfill from the opening", SyncState{}, false, day(0), day(50), SyncState{From: day(0), To: day(50), Full: true}},
		{"first sync of the last 90 days", SyncState{}, false, day(10), day(100), SyncState{From: day(10), To: day(100)}},
		{"incremental overlapping the end", full, true, day(86), day(120), SyncState{From: day(0), To: day(120), Full: true}},
		{"re-read inside the span", full, true, day(86), day(90), full},
		{"older walk not yet reaching the span", SyncState{From: day(50), To: day(100)}, true, day(0), day(20), SyncState{From: day(50), To: day(100)}},
		{"older walk reaching the span", SyncState{From: day(50), To: day(100)}, true, day(0), day(60), SyncState{From: day(0), To: day(100), Full: true}},
		{"walk after a long absence leaves a gap", full, true, day(200), day(290), SyncState{From: day(200), To: day(290), GapFrom: day(100), GapTo: day(200)}},
		{"recent sync keeps the gap", gappy, true, day(286), day(310), SyncState{From: day(200), To: day(310), GapFrom: day(100), GapTo: day(200)}},
		{"walk into the gap narrows it", gappy, true, day(150), day(300), SyncState{From: day(150), To: day(300), GapFrom: day(100), GapTo: day(150)}},
		{"full walk fills the gap", gappy, true, day(0), day(300), SyncState{From: day(0), To: day(300), Full: true}},
	}
	for _, c := range cases {
		if got := mergeSpan(c.old, c.had, c.from, c.to, opened); got != c.want {
			t.Errorf("%s: got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}
