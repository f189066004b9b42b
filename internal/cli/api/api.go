// Package api implements `monzo api`, the escape hatch: any request to the
// API, authenticated, like `gh api`.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Options are `monzo api`'s inputs.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
	Method  string
	Path    string
	Fields  []string
}

// NewCmdAPI returns `monzo api`.
func NewCmdAPI(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "api METHOD PATH",
		Short: "Make an authenticated request to any API endpoint",
		Long: `Make an authenticated request and print the JSON answer, pretty-printed.

Fields given with -f key=value are sent in the query string for GET and
DELETE, and as a form-encoded body for POST, PUT and PATCH (the API ignores
form fields in the query string). Repeat a key for arrays, e.g.
-f 'expand[]=merchant'.`,
		Example: `  $ monzo api GET /ping/whoami
  $ monzo api GET /accounts -f account_type=uk_retail
  $ monzo api GET /transactions -f account_id=acc_… -f limit=5 --jq '.transactions[].id'
  $ monzo api PATCH /transactions/tx_… -f 'metadata[trip]=lisbon'`,
		Args: cmdutil.ExactArgs(2, "METHOD and PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The library checks the method and path (Client.Do) before
			// anything is sent; its errors exit as usage errors.
			opts.Method, opts.Path = strings.ToUpper(args[0]), args[1]
			for _, kv := range opts.Fields {
				if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
					return cmdutil.Usagef("-f %q is not key=value", kv)
				}
			}
			return cmdutil.Run(cmd, opts, &opts.JSON, runF, Run)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Fields, "field", "f", nil, "add a `key=value` parameter (repeatable)")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// Run runs `monzo api`.
func Run(ctx context.Context, opts *Options) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	params := url.Values{}
	for _, kv := range opts.Fields {
		k, v, _ := strings.Cut(kv, "=")
		params.Add(k, v)
	}
	var answer json.RawMessage
	if err := client.Do(ctx, opts.Method, opts.Path, params, &answer); err != nil {
		return cmdutil.WithHint(err, apiHint(err))
	}
	if len(answer) == 0 {
		answer = json.RawMessage("{}")
	}
	return opts.JSON.Write(ctx, opts.IO, answer)
}

// apiHint says how to fix a request the library refused to send.
func apiHint(err error) string {
	if errors.Is(err, monzo.ErrInvalidArgument) {
		return "give the method (GET, POST, PUT, PATCH or DELETE) and the endpoint's path on the API host, e.g. `monzo api GET /ping/whoami`"
	}
	return ""
}
