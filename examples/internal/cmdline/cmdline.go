// Package cmdline is the examples' shared command-line handling: -h and
// mistakes, the same in every step, so that each example's main.go shows
// only the step of the tutorial it is about.
package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// NewFlagSet returns the flags of the example called name. Its messages go
// to stderr; the usage text is Parse's to print.
func NewFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {} // printed by Parse: on stdout when asked for, on stderr after a mistake
	return flags
}

// Parse parses args. It returns ok when the example should go on;
// otherwise the exit status: 0 after -h (usage on stdout), 2 after a bad
// flag or an argument (the examples take their settings from the
// environment), with the usage on stderr.
func Parse(flags *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (status int, ok bool) {
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0, false
		}
		fmt.Fprint(stderr, "\n"+usage) // after flag's own message
		return 2, false
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q: settings come from the environment\n\n%s", flags.Name(), flags.Arg(0), usage)
		return 2, false
	}
	return 0, true
}
