// Package root assembles the monzo command: persistent flags, the
// registration of every subcommand, version, exit codes and error hints.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/oauth"
)

// Exit codes, re-exported for callers of Main.
const (
	ExitOK     = cmdutil.ExitOK
	ExitError  = cmdutil.ExitError
	ExitUsage  = cmdutil.ExitUsage
	ExitAPI    = cmdutil.ExitAPI
	ExitAuth   = cmdutil.ExitAuth
	ExitCancel = cmdutil.ExitCancel
)

// NewCmd returns the root command wired to f.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	ios := f.IOStreams
	cmd := &cobra.Command{
		Use:   "monzo <command> [flags]",
		Short: "Work with the Monzo API from the command line",
		Long: `Work with your Monzo accounts from the command line: balances, pots,
transactions, the feed, receipts and webhooks, over the Monzo developer API.

Log in once with ` + "`monzo login`" + `; tokens are kept in the system keyring (or a
0600 file) and refreshed as needed. Every command prints a table on a
terminal, tab-separated text when piped, and JSON with --json.`,
		Example: `  $ monzo login
  $ monzo balance
  $ monzo pots deposit Holidays 25.00
  $ monzo transactions --since 7d --json --jq '.[].description'
  $ monzo emulator    # a local fake Monzo to try it all on`,
		Version:       Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetVersionTemplate("monzo {{.Version}}\n")
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.UsageError{Err: err, Hint: "see `" + c.CommandPath() + " --help`"}
	})
	cmd.PersistentFlags().StringVar(&f.ProfileFlag, "profile", "", "use this login `profile` (default $MONZO_PROFILE, else \"default\")")
	cmd.PersistentFlags().BoolVar(&f.Debug, "debug", f.Getenv("MONZO_DEBUG") != "", "log each HTTP request to stderr (secrets redacted)")
	_ = cmd.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cfg.ProfileNames(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmdutil.Group(cmd, commands(f)...)
}

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, ios *iostreams.IOStreams, args []string) int {
	return MainWithFactory(ctx, cmdutil.New(ios, os.Getenv), args)
}

// MainWithFactory is Main with a prepared factory (tests replace parts of
// it).
func MainWithFactory(ctx context.Context, f *cmdutil.Factory, args []string) int {
	cmd := NewCmd(f)
	cmd.SetArgs(args)
	ran, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	var usage *cmdutil.UsageError
	if !errors.As(err, &usage) && (strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag")) {
		err = &cmdutil.UsageError{Err: err, Hint: "run `monzo --help` for the list of commands"}
	}
	if errors.As(err, &usage) && usage.Hint == "" && ran != nil {
		usage.Hint = "see `" + ran.CommandPath() + " --help`"
	}
	if monzo.IsApprovalPending(err) {
		err = emulatorApprovalHint(f, err)
	}
	return report(f.IOStreams, err)
}

// emulatorApprovalHint adds, for a profile on an emulator, how to approve
// there: an emulator has no app to open.
func emulatorApprovalHint(f *cmdutil.Factory, err error) error {
	cfg, cerr := f.Config()
	if cerr != nil {
		return err
	}
	api := strings.TrimSuffix(cfg.Profile(f.Profile()).APIURL, "/")
	if api == "" || api == strings.TrimSuffix(oauth.DefaultAPIBaseURL, "/") {
		return err
	}
	_, hint := cmdutil.Classify(err)
	return cmdutil.WithHint(err, fmt.Sprintf("%s; on the emulator at %s there is no app: run `curl -X POST %s/_emulator/approve`", hint, api, api))
}

// report prints err and its hint on stderr and returns the exit code.
func report(ios *iostreams.IOStreams, err error) int {
	code, hint := cmdutil.Classify(err)
	errOut := ios.ErrOut
	if code == ExitCancel {
		// An interrupted command may still have something to say (login:
		// the token is saved, approve in the app).
		fmt.Fprintln(errOut, "cancelled")
		if hint != "" {
			fmt.Fprintln(errOut, "hint: "+hint)
		}
		return code
	}
	// The library's errors start with its package name, which is also the
	// command's: say it once, not once per wrapping.
	msg := "monzo: " + strings.ReplaceAll(strings.TrimPrefix(err.Error(), "monzo: "), ": monzo: ", ": ")
	fmt.Fprintln(errOut, ios.Red(msg))
	if hint != "" {
		fmt.Fprintln(errOut, "hint: "+hint)
	}
	return code
}

// Version is the module version and VCS commit the binary was built from.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev == "" {
		return v + " (commit unknown)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return fmt.Sprintf("%s (commit %s%s)", v, rev, modified)
}
