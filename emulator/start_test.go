package emulator

import "testing"

// The started server bounds slow and idle connections (issue 6 item 13):
// without these, slow-body clients hold connections open forever.
func TestStartSetsServerTimeouts(t *testing.T) {
	run, err := Start("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	hs := run.httpServer
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Fatalf("ReadHeaderTimeout %v, ReadTimeout %v, IdleTimeout %v: all must be set",
			hs.ReadHeaderTimeout, hs.ReadTimeout, hs.IdleTimeout)
	}
	if hs.ReadHeaderTimeout > hs.ReadTimeout {
		t.Errorf("ReadHeaderTimeout %v exceeds ReadTimeout %v", hs.ReadHeaderTimeout, hs.ReadTimeout)
	}
}
