package emulator

import "testing"

// Speed lives in benchmarks, never in tests (issue 10 item 6): a loaded
// machine must not fail the build. See BENCHMARKS.md, section "Emulator".

// BenchmarkSeed measures New with the default seeded history (what every
// test pays once).
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{Clock: NewFakeClock(testNow)})
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	}
}
