//go:build !linux

package history_test

import "os"

// peakRSSKB is measured on Linux only.
func peakRSSKB(*os.ProcessState) int64 { return 0 }
