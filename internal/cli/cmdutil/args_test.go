package cmdutil_test

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/cmdutil"
)

// ExactArgsInto stores the arguments only when their number is right, and
// otherwise says what is missing as a usage error.
func TestExactArgsInto(t *testing.T) {
	var tx, file string
	check := cmdutil.ExactArgsInto("a TRANSACTION id and a FILE", &tx, &file)
	cmd := &cobra.Command{Use: "add"}
	if err := check(cmd, []string{"tx_1", "r.png"}); err != nil || tx != "tx_1" || file != "r.png" {
		t.Fatalf("two arguments: %v, stored %q %q", err, tx, file)
	}
	tx, file = "", ""
	for _, args := range [][]string{nil, {"tx_1"}, {"tx_1", "r.png", "extra"}} {
		err := check(cmd, args)
		var ue *cmdutil.UsageError
		if !errors.As(err, &ue) || ue.Hint == "" {
			t.Errorf("%q: %v, want a usage error with a hint", args, err)
		}
		if tx != "" || file != "" {
			t.Errorf("%q: stored %q %q from a refused command line", args, tx, file)
		}
	}
}
