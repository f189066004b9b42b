// Package emulatorcmd implements `monzo emulator`: the emulator of Monzo,
// served from the same binary.
package emulatorcmd

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Options are `monzo emulator`'s inputs.
type Options struct {
	IO          *iostreams.IOStreams
	Factory     *cmdutil.Factory
	Addr        string
	Seed        int64
	FakeClock   bool
	AutoApprove time.Duration
	JSON        cmdutil.JSONFlags
	// Ready, when set, is called with the running emulator (tests).
	Ready func(*emulator.Running)
}

// NewCmdEmulator returns `monzo emulator`.
func NewCmdEmulator(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local emulator of Monzo to try every command on",
		Long: `Run the emulator of Monzo's auth pages and API until Ctrl-C, and print the
lines that log a profile in to it. Its data is generated from --seed; with
--fake-clock its time only moves when told to (POST /_emulator/clock).

New logins wait for approval "in the app": approve them with
POST /_emulator/approve, or start with --auto-approve 2s.`,
		Example: `  $ monzo emulator --addr 127.0.0.1:8080
  $ monzo login --emulator http://127.0.0.1:8080 --profile emu    # in another terminal
  $ monzo balance --profile emu`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.JSON.Check(); err != nil {
				return err
			}
			if opts.AutoApprove < 0 {
				return cmdutil.Usagef("--auto-approve must not be negative")
			}
			return cmdutil.Run(cmd, opts, nil, runF, Run)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "listen `address` (port 0: any free port)")
	cmd.Flags().Int64Var(&opts.Seed, "seed", emulator.DefaultSeed, "seed for the generated users, accounts and history")
	cmd.Flags().BoolVar(&opts.FakeClock, "fake-clock", false, "start with a clock that moves only through the control plane")
	cmd.Flags().DurationVar(&opts.AutoApprove, "auto-approve", 0, "approve new logins after this long (0: wait for POST /_emulator/approve)")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// Run runs `monzo emulator`.
func Run(ctx context.Context, opts *Options) error {
	eo := emulator.Options{Seed: opts.Seed, AutoApproveAfter: opts.AutoApprove}
	if opts.FakeClock {
		eo.Clock = emulator.NewFakeClock(time.Now())
	}
	running, err := emulator.Start(opts.Addr, eo)
	if err != nil {
		ue := &cmdutil.UsageError{Err: fmt.Errorf("starting the emulator: %w", err)}
		if errors.Is(err, syscall.EADDRINUSE) {
			ue.Hint = fmt.Sprintf("something (perhaps another emulator) already listens on %s: pick another --addr, or port 0 for any free one", opts.Addr)
		}
		return ue
	}
	defer running.Close()
	u := running.URL
	out := opts.IO.Out
	login := fmt.Sprintf("monzo login --emulator %s --profile emulator", u)
	if opts.JSON.Enabled() {
		if err := opts.JSON.Write(ctx, opts.IO, map[string]any{"url": u, "seed": opts.Seed, "login": login,
			"approve_url": u + "/_emulator/approve"}); err != nil {
			return err
		}
		if opts.Ready != nil {
			opts.Ready(running)
		}
		<-ctx.Done()
		return nil
	}
	fmt.Fprintf(out, "Monzo emulator running at %s (seed %d). Ctrl-C stops it.\n\n", u, opts.Seed)
	fmt.Fprintf(out, "Log in to it with a profile of its own (paste into another terminal):\n\n")
	fmt.Fprintf(out, "  %s\n\n", login)
	if opts.AutoApprove == 0 {
		fmt.Fprintf(out, "then approve the login \"in the app\":\n\n  curl -X POST %s/_emulator/approve\n\n", u)
	}
	fmt.Fprintf(out, "and use it:\n\n  export MONZO_PROFILE=emulator\n  monzo balance\n")
	if opts.Ready != nil {
		opts.Ready(running)
	}
	<-ctx.Done()
	fmt.Fprintln(opts.IO.ErrOut, "Stopping the emulator.")
	return nil
}
