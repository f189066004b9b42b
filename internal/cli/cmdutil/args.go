package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// ExactArgs is cobra.ExactArgs whose failure is a UsageError naming what is
// missing, e.g. "pots deposit needs POT AMOUNT".
func ExactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &UsageError{Err: usageCount(cmd, len(args), names), Hint: "see `" + cmd.CommandPath() + " --help`"}
		}
		return nil
	}
}

// ExactArgsInto is ExactArgs(len(dst), names) that also stores the
// arguments in dst, in order, so that a command's RunE need not pick them
// out of args.
func ExactArgsInto(names string, dst ...*string) cobra.PositionalArgs {
	check := ExactArgs(len(dst), names)
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return err
		}
		for i, p := range dst {
			*p = args[i]
		}
		return nil
	}
}

// RangeArgs accepts between min and max arguments.
func RangeArgs(lo, hi int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			return &UsageError{Err: usageCount(cmd, len(args), names), Hint: "see `" + cmd.CommandPath() + " --help`"}
		}
		return nil
	}
}

// MinimumArgs accepts lo or more arguments.
func MinimumArgs(lo int, names string) cobra.PositionalArgs {
	return RangeArgs(lo, int(^uint(0)>>1), names)
}

// NoArgs refuses arguments.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &UsageError{Err: fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), strings.Join(args, " ")), Hint: "see `" + cmd.CommandPath() + " --help`"}
	}
	return nil
}

func usageCount(cmd *cobra.Command, got int, names string) error {
	return fmt.Errorf("%s needs %s (got %d argument%s)", cmd.CommandPath(), names, got, plural(got))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
