//go:build !linux

package history_test

// peakRSSKB is measured on Linux only.
func peakRSSKB() int64 { return 0 }
