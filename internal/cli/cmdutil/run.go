package cmdutil

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// Run is what every command's RunE ends with, once the arguments are in
// opts: --json and --jq are checked (js may be nil for a command without
// them), so a typo in the filter costs no API call; then runF runs when a
// test gave one, else run. Tests pass runF to see the options a command
// line produces without running it, as gh's commands do.
func Run[T any](cmd *cobra.Command, opts *T, js *JSONFlags, runF, run func(context.Context, *T) error) error {
	if js != nil {
		if err := js.Check(); err != nil {
			return err
		}
	}
	if runF != nil {
		return runF(cmd.Context(), opts)
	}
	return run(cmd.Context(), opts)
}

// RunE is Run as a cobra RunE, for a command whose arguments need no
// reading (it takes none, or reads them in its run).
func RunE[T any](opts *T, js *JSONFlags, runF, run func(context.Context, *T) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		return Run(cmd, opts, js, runF, run)
	}
}

// Group makes cmd a command that only holds subcommands, and adds subs to
// it: run bare it shows its help, and an unknown subcommand is a
// UsageError (cobra would otherwise print the help and exit 0).
func Group(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.AddCommand(subs...)
	cmd.Args = groupArgs
	cmd.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	return cmd
}

func groupArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &UsageError{Err: fmt.Errorf("unknown command %q for %q", args[0], c.CommandPath()),
			Hint: "run `" + c.CommandPath() + " --help` for the list of commands"}
	}
	return nil
}
