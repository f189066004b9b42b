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
	if _, fresh := s.begin("b"); !fresh {
		t.Fatal("retry of a failed event treated as a duplicate")
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
