// Package root assembles the monzo command.
package root

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/demo"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Exit codes.
const (
	ExitOK     = 0
	ExitError  = 1
	ExitCancel = 2
)

// NewCmd returns the root command.
func NewCmd(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:           "monzo <command>",
		Short:         "Work with the Monzo API from the command line",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	cmd.AddCommand(demo.NewCmd(ios, nil))
	cmd.AddCommand(historyCommands(ios)...)
	return cmd
}

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, ios *iostreams.IOStreams, args []string) int {
	cmd := NewCmd(ios)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(ios.ErrOut, "cancelled")
			return ExitCancel
		}
		fmt.Fprintf(ios.ErrOut, "monzo: %v\n", err)
		return ExitError
	}
	return ExitOK
}
