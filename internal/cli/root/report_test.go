package root

import (
	"context"
	"fmt"
	"testing"

	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// An interrupted command keeps its hint: an interrupted login has saved
// the token and says to approve access in the app.
func TestReportKeepsTheHintOfAnInterruptedCommand(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	err := cmdutil.WithHint(fmt.Errorf("waiting for approval: %w", context.Canceled), "approve access in the Monzo app")
	if code := report(ios, err); code != ExitCancel {
		t.Errorf("exit %d, want %d", code, ExitCancel)
	}
	if got, want := errOut.String(), "cancelled\nhint: approve access in the Monzo app\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
