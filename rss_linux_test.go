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
func peakRSSKB() int64 { return procStatusKB("VmHWM") }

// fileRSSKB returns how much of this process's resident memory is mapped
// files (the binary's code and data), in kB, as opposed to the heap.
func fileRSSKB() int64 { return procStatusKB("RssFile") }

// procStatusKB reads one "Name: N kB" line of /proc/self/status.
func procStatusKB(name string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte(name+":")); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb
		}
	}
	return 0
}
