package pots

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Direction is which way money moves.
type Direction string

// The two directions.
const (
	Deposit  Direction = "deposit"
	Withdraw Direction = "withdraw"
)

// MoveOptions are `monzo pots deposit|withdraw`'s inputs.
type MoveOptions struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	Direction Direction
	Pot       string
	Amount    string
	AccountID string
	DedupeID  string
	Yes       bool
}

// NewCmdMove returns `monzo pots deposit` or `monzo pots withdraw`.
func NewCmdMove(f *cmdutil.Factory, dir Direction, runF func(context.Context, *MoveOptions) error) *cobra.Command {
	opts := &MoveOptions{IO: f.IOStreams, Factory: f, Direction: dir}
	verb := "Move money into a pot from its account"
	if dir == Withdraw {
		verb = "Move money out of a pot into its account"
	}
	cmd := &cobra.Command{
		Use:   string(dir) + " POT AMOUNT",
		Short: verb,
		Long: verb + `.

POT is a pot's name (any case) or id; AMOUNT is a decimal in the pot's
currency, such as 12.34 (no symbols, commas or exponents). On a terminal the
move is confirmed first unless --yes.

Every move carries a dedupe id, printed before the move is sent: Monzo moves
money once per pot and dedupe id. If the command fails or is interrupted,
run it again with --dedupe-id and that id, and the money cannot move twice.`,
		Example: fmt.Sprintf(`  $ monzo pots %[1]s Holidays 25.00
  $ monzo pots %[1]s "Rainy day" 10 --yes
  $ monzo pots %[1]s Holidays 25.00 --dedupe-id bcx9tphLOHCNcvoFSeXj3g   # retry with the id printed before`, dir),
		Args:              cmdutil.ExactArgsInto("POT AMOUNT", &opts.Pot, &opts.Amount),
		ValidArgsFunction: completePots(f),
		RunE:              cmdutil.RunE(opts, &opts.JSON, runF, RunMove),
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// "-5" reads as a flag: say what to do instead.
		if arg, ok := negativeNumber(err.Error()); ok {
			return &cmdutil.UsageError{Err: fmt.Errorf("amount %q is negative", arg),
				Hint: fmt.Sprintf("amounts are positive: to move money the other way use `monzo pots %s`", other(dir))}
		}
		return &cmdutil.UsageError{Err: err, Hint: "see `" + c.CommandPath() + " --help`"}
	})
	cmd.Flags().StringVar(&opts.DedupeID, "dedupe-id", "", "reuse this dedupe `id` (from an earlier, failed attempt) so the money moves at most once")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, "look for the pot under this account `id` only")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// moveResult is what --json prints: the pot after the move and the dedupe
// id used.
type moveResult struct {
	DedupeID string `json:"dedupe_id"`
	Pot      any    `json:"pot"`
}

// RunMove runs a deposit or withdrawal.
func RunMove(ctx context.Context, opts *MoveOptions) error {
	if strings.HasPrefix(strings.TrimSpace(opts.Amount), "-") {
		return cmdutil.Usagef("amount %q: must be positive (use `monzo pots %s` to move the other way)", opts.Amount, other(opts.Direction))
	}
	// The widest currency exponent accepts every well-formed amount, so a
	// typo is refused before anything is sent; the pot's own currency is
	// checked once the pot is known. That stand-in currency is not the
	// user's, so the message does not repeat the library's.
	if _, err := monzo.ParseAmount(opts.Amount, "BHD"); err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("amount %q is not a plain decimal number", opts.Amount),
			Hint: "write amounts like 12.34 or 5: digits and at most one '.', without currency symbols, commas, spaces or exponents"}
	}
	if opts.DedupeID != "" && strings.TrimSpace(opts.DedupeID) != opts.DedupeID {
		return cmdutil.Usagef("--dedupe-id %q has surrounding spaces", opts.DedupeID)
	}
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	pot, acct, err := findPot(ctx, client, opts.AccountID, opts.Pot)
	if err != nil {
		return err
	}
	amount, err := monzo.ParseAmount(opts.Amount, pot.Currency)
	if err != nil {
		return &cmdutil.UsageError{Err: err, Hint: fmt.Sprintf("pot %q holds %s: write the amount in %s, e.g. %s", pot.Name, pot.Currency, pot.Currency, monzo.FormatAmount(1234, pot.Currency))}
	}
	if amount <= 0 {
		return cmdutil.Usagef("amount %q: must be more than zero", opts.Amount)
	}
	money := cmdutil.Money(amount, pot.Currency)
	// Money moves ask whenever a person can answer (stdin is a terminal;
	// the question goes to stderr), even with stdout piped to jq: only
	// --yes, or stdin from a script, skips the question.
	if opts.IO.IsStdinTTY() && !opts.Yes {
		q := fmt.Sprintf("Move %s into pot %q%s?", money, pot.Name, fromAccount(acct, "from"))
		if opts.Direction == Withdraw {
			q = fmt.Sprintf("Move %s out of pot %q%s?", money, pot.Name, fromAccount(acct, "into"))
		}
		ok, err := cmdutil.Confirm(ctx, opts.IO, q)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("cancelled: nothing was moved")
		}
	}
	dedupe := opts.DedupeID
	if dedupe == "" {
		dedupe = monzo.NewDedupeID()
	}
	// Printed before the call, so that it survives a crash or Ctrl-C.
	fmt.Fprintf(opts.IO.ErrOut, "Dedupe id %s (to retry safely: --dedupe-id %s)\n", dedupe, dedupe)
	var after *monzo.Pot
	if opts.Direction == Deposit {
		after, err = client.Pots.Deposit(ctx, pot.ID, monzo.PotDeposit{SourceAccountID: pot.CurrentAccountID, Amount: amount, DedupeID: dedupe})
	} else {
		after, err = client.Pots.Withdraw(ctx, pot.ID, monzo.PotWithdrawal{DestinationAccountID: pot.CurrentAccountID, Amount: amount, DedupeID: dedupe})
	}
	if err != nil {
		// Monzo's 4xx answer says the move was refused; any other failure
		// (the network, a 5xx, Ctrl-C) leaves the outcome unknown, and only
		// the same dedupe id makes a retry safe.
		var apiErr *monzo.Error
		if errors.As(err, &apiErr) && apiErr.StatusCode < 500 {
			return cmdutil.WithHint(err, "nothing was moved")
		}
		return cmdutil.WithHint(err, fmt.Sprintf("it may or may not have moved: run the same command with --dedupe-id %s to finish it without moving the money twice", dedupe))
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, moveResult{DedupeID: dedupe, Pot: cmdutil.RawOr(after.Raw, after)})
	}
	verb := "into"
	if opts.Direction == Withdraw {
		verb = "out of"
	}
	fmt.Fprintf(opts.IO.Out, "Moved %s %s pot %q; its balance is now %s.\n", money, verb, after.Name, cmdutil.Money(after.Balance, after.Currency))
	return nil
}

// negativeNumber returns the argument of pflag's "unknown shorthand flag:
// 'x' in -…" message when it is a negative number, which pflag took for
// flags.
func negativeNumber(msg string) (string, bool) {
	if !strings.HasPrefix(msg, "unknown shorthand flag") {
		return "", false
	}
	_, arg, ok := strings.Cut(msg, " in -")
	if !ok || arg == "" {
		return "", false
	}
	for _, r := range arg {
		if (r < '0' || r > '9') && r != '.' {
			return "", false
		}
	}
	return "-" + arg, true
}

// fromAccount names the pot's account in the confirmation when it is not
// the personal one, so that money never leaves a joint account unawares.
// Personal accounts' descriptions are the user's id, which says nothing.
func fromAccount(a *monzo.Account, preposition string) string {
	if a == nil || a.Type == monzo.AccountTypeRetail || a.Description == "" {
		return ""
	}
	return fmt.Sprintf(" (%s the account %q)", preposition, a.Description)
}

func other(d Direction) Direction {
	if d == Deposit {
		return Withdraw
	}
	return Deposit
}
