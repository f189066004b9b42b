//go:build linux

package monzo_test

import "syscall"

// peakRSSKB returns this process's peak resident set size in kB.
func peakRSSKB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss
}
