// Package feed implements `monzo feed post`.
package feed

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// PostOptions are `monzo feed post`'s inputs.
type PostOptions struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	AccountID string
	Title     string
	Body      string
	ImageURL  string
	URL       string
}

// NewCmdFeed returns `monzo feed` with post.
func NewCmdFeed(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "feed <command>",
		Short:   "Post items to your Monzo feed",
		Example: `  $ monzo feed post --title "Backup done" --image-url https://example.com/icon.png`,
	}
	return cmdutil.Group(cmd, NewCmdPost(f, nil))
}

// NewCmdPost returns `monzo feed post`.
func NewCmdPost(f *cmdutil.Factory, runF func(context.Context, *PostOptions) error) *cobra.Command {
	opts := &PostOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "post",
		Short: "Post an item to an account's feed in the Monzo app",
		Long: `Post a basic item (title, image, optional body and link) to an account's feed.
--title and --image-url are required by Monzo.`,
		Example: `  $ monzo feed post --title "Rent paid" --image-url https://example.com/house.png \
      --body "£950 to the landlord" --url https://example.com/rent`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.JSON.Check(); err != nil {
				return err
			}
			// The library's own check, before anything is sent; the account
			// is resolved later, so a stand-in passes its check.
			if err := opts.item("acc_placeholder").Validate(); err != nil {
				// Name the flags, not the library's fields.
				msg := flagNames.Replace(strings.TrimPrefix(err.Error(), "monzo: "))
				return &cmdutil.UsageError{Err: errors.New(msg), Hint: "pass --title, and --image-url (and --url) as full https URLs"}
			}
			return cmdutil.Run(cmd, opts, nil, runF, RunPost)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, cmdutil.DefaultAccountUsage)
	fl.StringVar(&opts.Title, "title", "", "the item's `title` (required)")
	fl.StringVar(&opts.Body, "body", "", "text under the title")
	fl.StringVar(&opts.ImageURL, "image-url", "", "the item's icon `URL` (required)")
	fl.StringVar(&opts.URL, "url", "", "`URL` opened when the item is tapped")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// flagNames turns the field names of monzo.FeedItem's validation errors
// into the flags that set them.
var flagNames = strings.NewReplacer("Params.Title", "--title", "Params.ImageURL", "--image-url", "Params.Body", "--body", `URL "`, `--url "`)

func (opts *PostOptions) item(accountID string) monzo.FeedItem {
	return monzo.FeedItem{AccountID: accountID, URL: opts.URL,
		Params: monzo.BasicFeedParams{Title: opts.Title, Body: opts.Body, ImageURL: opts.ImageURL}}
}

// RunPost runs `monzo feed post`.
func RunPost(ctx context.Context, opts *PostOptions) error {
	client, acct, err := opts.Factory.ClientAndAccount(ctx, opts.AccountID)
	if err != nil {
		return err
	}
	if err := client.Feed.Create(ctx, opts.item(acct.ID)); err != nil {
		return err
	}
	return opts.JSON.WriteResult(ctx, opts.IO, map[string]any{"account_id": acct.ID, "title": opts.Title, "posted": true},
		"Posted %q to the feed of %s.\n", opts.Title, acct.DisplayName())
}
