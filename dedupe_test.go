package monzo

import (
	"regexp"
	"testing"
)

func TestNewDedupeIDIsURLSafeAndUnique(t *testing.T) {
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)
	seen := make(map[string]bool)
	for range 1000 {
		id := NewDedupeID()
		if !urlSafe.MatchString(id) {
			t.Fatalf("NewDedupeID() = %q, want 22 URL-safe characters", id)
		}
		if seen[id] {
			t.Fatalf("NewDedupeID() repeated %q", id)
		}
		seen[id] = true
	}
}
