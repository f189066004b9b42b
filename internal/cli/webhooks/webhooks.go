// Package webhooks implements `monzo webhooks add|list|remove|listen`.
package webhooks

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/weburl"
)

// Options are the webhooks commands' inputs.
type Options struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	AccountID string
	URL       string
	ID        string
}

// NewCmdWebhooks returns `monzo webhooks`.
func NewCmdWebhooks(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhooks <command>",
		Short: "Register URLs for transaction events, or listen for them here",
		Example: `  $ monzo webhooks add https://example.com/monzo?token=…
  $ monzo webhooks list
  $ monzo webhooks remove webhook_…
  $ monzo webhooks listen`,
	}
	return cmdutil.Group(cmd, NewCmdAdd(f, nil), NewCmdList(f, nil), NewCmdRemove(f, nil), NewCmdListen(f, nil))
}

// NewCmdAdd returns `monzo webhooks add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Register a URL to receive the account's transaction events",
		Long: `Register URL for transaction.created events. Monzo does not sign webhooks:
put a secret in the URL's query string and check it (the webhook package
does), and treat the URL as a credential.`,
		Example: `  $ monzo webhooks add "https://example.com/monzo?token=$(openssl rand -hex 16)"`,
		Args:    cmdutil.ExactArgs(1, "a URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URL = args[0]
			// The module's one URL rule; the message never repeats the
			// query string, which holds the webhook's secret.
			if _, err := weburl.ParseAbsolute(opts.URL); err != nil {
				return &cmdutil.UsageError{Err: fmt.Errorf("webhook URL %q: %v", weburl.RedactQuery(opts.URL), err),
					Hint: "give the full URL, e.g. https://example.com/monzo?token=…"}
			}
			return cmdutil.Run(cmd, opts, &opts.JSON, runF, RunAdd)
		},
	}
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, cmdutil.DefaultAccountUsage)
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunAdd runs `monzo webhooks add`.
func RunAdd(ctx context.Context, opts *Options) error {
	client, acct, err := opts.Factory.ClientAndAccount(ctx, opts.AccountID)
	if err != nil {
		return err
	}
	wh, err := client.Webhooks.Create(ctx, acct.ID, opts.URL)
	if err != nil {
		return err
	}
	return opts.JSON.WriteResult(ctx, opts.IO, cmdutil.RawOr(wh.Raw, wh),
		"Registered webhook %s on %s.\n", wh.ID, acct.ID)
}

// NewCmdList returns `monzo webhooks list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the account's webhooks (URLs without their query strings; --json shows them whole)",
		Example: `  $ monzo webhooks list`,
		Args:    cmdutil.NoArgs,
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunList),
	}
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, cmdutil.DefaultAccountUsage)
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunList runs `monzo webhooks list`.
func RunList(ctx context.Context, opts *Options) error {
	client, acct, err := opts.Factory.ClientAndAccount(ctx, opts.AccountID)
	if err != nil {
		return err
	}
	hooks, err := client.Webhooks.List(ctx, acct.ID)
	if err != nil {
		return err
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawEach(hooks, func(h monzo.Webhook) []byte { return h.Raw }))
	}
	t := opts.IO.NewTable("ID", "ACCOUNT", "URL")
	for _, h := range hooks {
		t.AddRow(h.ID, h.AccountID, withoutQuery(h.URL))
	}
	return t.Render()
}

// withoutQuery drops the query string, where webhook secrets live, from a
// URL shown in a table, and marks that there was one.
func withoutQuery(raw string) string {
	if shown := weburl.WithoutQuery(raw); shown != raw {
		return shown + "?…"
	}
	return raw
}

// NewCmdRemove returns `monzo webhooks remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "remove ID",
		Short:   "Delete a webhook",
		Example: `  $ monzo webhooks remove webhook_…`,
		Args:    cmdutil.ExactArgsInto("a webhook ID", &opts.ID),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunRemove),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunRemove runs `monzo webhooks remove`.
func RunRemove(ctx context.Context, opts *Options) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	if err := client.Webhooks.Delete(ctx, opts.ID); err != nil {
		return cmdutil.NotFoundHint(err, "no such webhook: `monzo webhooks list` shows the registered ones")
	}
	return opts.JSON.WriteResult(ctx, opts.IO, map[string]any{"id": opts.ID, "removed": true},
		"Removed webhook %s.\n", opts.ID)
}
