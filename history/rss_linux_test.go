//go:build linux

package history_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// peakRSSKB returns this process's peak resident set size in kB: VmHWM
// from /proc/self/status. (getrusage's ru_maxrss would not do in a child
// started by a big parent: Linux carries the pre-exec high-water mark of
// the parent's memory, shared during vfork, across exec.)
func peakRSSKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
