//go:build !linux

package monzo_test

// peakRSSKB is only measured on Linux.
func peakRSSKB() int64 { return 0 }

// fileRSSKB is only measured on Linux.
func fileRSSKB() int64 { return 0 }
