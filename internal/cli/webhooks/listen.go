package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/webhook"
)

// ListenOptions are `monzo webhooks listen`'s inputs.
type ListenOptions struct {
	IO         *iostreams.IOStreams
	Factory    *cmdutil.Factory
	JSON       cmdutil.JSONFlags
	AccountID  string
	Addr       string
	PublicURL  string
	NoRegister bool
	// Ready, when set, is called with the local URL once listening (tests).
	Ready func(localURL string)
}

// NewCmdListen returns `monzo webhooks listen`.
func NewCmdListen(f *cmdutil.Factory, runF func(context.Context, *ListenOptions) error) *cobra.Command {
	opts := &ListenOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive webhook events here and print each as it arrives",
		Long: `Run a local webhook receiver and print each transaction event as it arrives,
until Ctrl-C.

The receiver checks a secret in the URL (generated here), ignores
redeliveries, and re-reads each transaction through the API so a forged
event is never printed. Unless --no-register, the URL is registered for the
account and removed again on exit.

Monzo itself cannot reach your machine: give --public-url, the address of a
tunnel that forwards to --addr. An emulator on this machine reaches it
directly.`,
		Example: `  $ monzo webhooks listen --profile emu
  $ monzo webhooks listen --addr 127.0.0.1:8790 --public-url https://abc.tunnel.example
  $ monzo webhooks listen --json --jq '.data.description'`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunListen),
	}
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, cmdutil.DefaultAccountUsage)
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "local `address` to listen on (port 0: any free port)")
	cmd.Flags().StringVar(&opts.PublicURL, "public-url", "", "the `URL` Monzo should post to, forwarded to --addr (default: the local URL)")
	cmd.Flags().BoolVar(&opts.NoRegister, "no-register", false, "do not register the URL; print it for you to register")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunListen runs `monzo webhooks listen`.
func RunListen(ctx context.Context, opts *ListenOptions) error {
	client, acct, err := opts.Factory.ClientAndAccount(ctx, opts.AccountID)
	if err != nil {
		return err
	}
	var mu sync.Mutex // events arrive concurrently; lines must not interleave
	handler, err := webhook.NewHandler(webhook.Options{
		Secret: webhook.GenerateSecret(),
		Verify: webhook.VerifyWithClient(client),
	}, func(ctx context.Context, ev *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		return printEvent(ctx, opts, ev)
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("--addr %s: %w", opts.Addr, err)}
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer srv.Close()

	local := "http://" + ln.Addr().String() + "/"
	base := local
	if opts.PublicURL != "" {
		base = opts.PublicURL
	}
	hookURL, err := handler.URL(base)
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("--public-url: %w", err)}
	}
	errOut := opts.IO.ErrOut
	fmt.Fprintf(errOut, "Listening on %s for events on %s (Ctrl-C to stop).\n", local, acct.ID)
	if opts.NoRegister {
		fmt.Fprintf(errOut, "Register this URL (it holds the secret, keep it private):\n  %s\n", hookURL)
	} else {
		wh, err := client.Webhooks.Create(ctx, acct.ID, hookURL)
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "Registered webhook %s; it is removed when you stop.\n", wh.ID)
		defer func() {
			// Ctrl-C cancelled ctx; the clean-up must still run.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := client.Webhooks.Delete(cctx, wh.ID); err != nil {
				fmt.Fprintf(errOut, "Could not remove webhook %s: %v (run `monzo webhooks remove %s`)\n", wh.ID, err, wh.ID)
			} else {
				fmt.Fprintf(errOut, "Removed webhook %s.\n", wh.ID)
			}
		}()
	}
	if opts.Ready != nil {
		opts.Ready(local)
	}
	select {
	case <-ctx.Done():
		return nil // Ctrl-C is how a listener stops
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func printEvent(ctx context.Context, opts *ListenOptions, ev *webhook.Event) error {
	if opts.JSON.Enabled() {
		// The verified transaction, not the posted body.
		return opts.JSON.Write(ctx, opts.IO, map[string]any{"type": ev.Type, "data": cmdutil.RawOr(ev.Data.Raw, ev.Data)})
	}
	tx := ev.Data
	name := tx.Description
	if m, ok := tx.Merchant.Expanded(); ok && m.Name != "" {
		name = m.Name
	}
	line := fmt.Sprintf("%s  %s  %s  %s  %s", tx.Created.Time.In(opts.Factory.Location).Format("2006-01-02 15:04:05"),
		ev.Type, tx.ID, cmdutil.Money(tx.Amount, tx.Currency), name)
	if tx.IsDeclined() {
		line += "  (declined: " + string(tx.DeclineReason) + ")"
	}
	_, err := fmt.Fprintln(opts.IO.Out, line)
	return err
}
