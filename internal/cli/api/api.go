// Package api implements `monzo api`, the escape hatch: any request to the
// API, authenticated, like `gh api`.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/oauth"
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
			opts.Method, opts.Path = strings.ToUpper(args[0]), args[1]
			switch opts.Method {
			case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			default:
				return cmdutil.Usagef("method %q: use GET, POST, PUT, PATCH or DELETE", args[0])
			}
			if !strings.HasPrefix(opts.Path, "/") || strings.Contains(opts.Path, "://") {
				return cmdutil.Usagef("path %q: give the path on the API host, starting with /", opts.Path)
			}
			for _, kv := range opts.Fields {
				if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
					return cmdutil.Usagef("-f %q is not key=value", kv)
				}
			}
			if err := opts.JSON.Check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Fields, "field", "f", nil, "add a `key=value` parameter (repeatable)")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// Run runs `monzo api`.
func Run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	store, err := f.TokenStore()
	if err != nil {
		return err
	}
	oc, err := f.OAuthConfig()
	if err != nil {
		return err
	}
	if oc.ClientID == "" {
		oc = &oauth.Config{APIBaseURL: oc.APIBaseURL, HTTPClient: oc.HTTPClient, Clock: oc.Clock}
	}
	ts, err := oauth.NewTokenSource(oc, store)
	if err != nil {
		return err
	}
	token, err := ts.AccessToken(ctx)
	if err != nil {
		return err
	}
	base := oc.APIBaseURL
	if base == "" {
		base = monzo.DefaultBaseURL
	}
	path, rawQuery, _ := strings.Cut(opts.Path, "?")
	u, err := url.Parse(strings.TrimSuffix(base, "/") + path)
	if err != nil {
		return cmdutil.Usagef("path %q: %v", opts.Path, err)
	}
	params := url.Values{}
	for _, kv := range opts.Fields {
		k, v, _ := strings.Cut(kv, "=")
		params.Add(k, v)
	}
	var body io.Reader
	q, _ := url.ParseQuery(rawQuery)
	switch opts.Method {
	case http.MethodGet, http.MethodDelete:
		for k, vs := range params {
			q[k] = append(q[k], vs...)
		}
	default:
		body = strings.NewReader(params.Encode())
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, opts.Method, u.String(), body)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "monzokit-cli")
	resp, err := oc.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := monzo.CheckResponse(resp); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}")
	}
	if !json.Valid(data) {
		_, err := fmt.Fprintf(opts.IO.Out, "%s\n", data)
		return err
	}
	return opts.JSON.Write(ctx, opts.IO, json.RawMessage(data))
}
