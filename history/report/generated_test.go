package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/history/report"
)

// TestHTMLStampsTheInjectedClock: the page says when it was made on the
// clock the program gave Build (the CLI's, an emulator's in tests), not the
// wall clock.
func TestHTMLStampsTheInjectedClock(t *testing.T) {
	st := syncedStore(t)
	at := time.Date(2031, 7, 8, 9, 10, 0, 0, time.UTC)
	r, err := report.Build(context.Background(), st, report.Options{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if want := "2031-07-08 09:10 UTC"; !strings.Contains(page.String(), want) {
		t.Errorf("the page does not say it was made at %s", want)
	}
}
