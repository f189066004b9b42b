//go:build linux

package history_test

import (
	"os"
	"syscall"
)

// peakRSSKB returns a finished child's peak resident set size in kB.
func peakRSSKB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
