//go:build linux

package monzo_test

import (
	"bytes"
	"os"
	"strconv"
)

// peakRSSKB returns this process's peak resident set size in kB, read as
// VmHWM from /proc/self/status. getrusage's ru_maxrss is no good here: a
// process started by os/exec (go test starts the test binary that way)
// inherits, through vfork, the high-water mark of its parent's memory
// before exec, so it reports the go command's size when that is larger.
func peakRSSKB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb
		}
	}
	return 0
}
