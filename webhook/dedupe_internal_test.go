package webhook

import (
	"testing"
	"time"
)

func TestSeenSetWindowAndSize(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSeenSet(3, time.Hour, func() time.Time { return now })

	e, fresh := s.begin("a")
	if !fresh {
		t.Fatal("first sighting not fresh")
	}
	s.finish(e, true)
	if _, fresh := s.begin("a"); fresh {
		t.Fatal("redelivery within the window treated as new")
	}

	now = now.Add(time.Hour)
	if e, fresh := s.begin("a"); !fresh {
		t.Fatal("redelivery after the window treated as a duplicate")
	} else {
		s.finish(e, true)
	}

	// A failure is forgotten, so the retry is fresh.
	e, _ = s.begin("b")
	s.finish(e, false)
	if e, fresh := s.begin("b"); !fresh {
		t.Fatal("retry of a failed event treated as a duplicate")
	} else {
		s.finish(e, false)
	}

	// Size bound: the oldest entries go first.
	for _, k := range []string{"c", "d", "e"} {
		e, _ := s.begin(k)
		s.finish(e, true)
	}
	if s.len() != 3 {
		t.Fatalf("len = %d, want 3", s.len())
	}
	if _, fresh := s.begin("a"); !fresh {
		t.Fatal("evicted entry still remembered")
	}
}

// TestSeenSetNeverEvictsInFlight begins more events than the set's size
// without finishing them: every one must still be recognised, so that a
// redelivery waits instead of running the function again.
func TestSeenSetNeverEvictsInFlight(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSeenSet(2, time.Hour, func() time.Time { return now })
	keys := []string{"a", "b", "c", "d", "e"}
	entries := map[string]*seenEntry{}
	for _, k := range keys {
		e, fresh := s.begin(k)
		if !fresh {
			t.Fatalf("%s: first sighting not fresh", k)
		}
		entries[k] = e
	}
	// Even past the window: an event still being handled is not forgotten.
	now = now.Add(2 * time.Hour)
	for _, k := range keys {
		if e, fresh := s.begin(k); fresh || e != entries[k] {
			t.Fatalf("%s is in flight but was evicted (fresh=%v)", k, fresh)
		}
	}
	// Finishing brings the set back within its size, oldest handled first.
	for _, k := range keys {
		s.finish(entries[k], true)
	}
	if n := s.len(); n != 2 {
		t.Fatalf("len after finishing = %d, want 2", n)
	}
	if _, fresh := s.begin("e"); fresh {
		t.Fatal("the most recently handled event was forgotten")
	}
	if e, fresh := s.begin("a"); !fresh {
		t.Fatal("the oldest handled event is still remembered beyond the size")
	} else {
		s.finish(e, false)
	}
}
