// Package receipts implements `monzo receipts set|show|delete`.
package receipts

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Options are the receipts commands' inputs.
type Options struct {
	IO            *iostreams.IOStreams
	Factory       *cmdutil.Factory
	JSON          cmdutil.JSONFlags
	TransactionID string
	File          string
	ExternalID    string
}

// NewCmdReceipts returns `monzo receipts`.
func NewCmdReceipts(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "receipts <command>",
		Short: "Attach line-item receipts to transactions",
		Example: `  $ monzo receipts set tx_… receipt.json
  $ monzo receipts show my-receipt-1
  $ monzo receipts delete my-receipt-1`,
	}
	return cmdutil.Group(cmd, NewCmdSet(f, nil), NewCmdShow(f, nil), NewCmdDelete(f, nil))
}

// NewCmdSet returns `monzo receipts set`.
func NewCmdSet(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "set TRANSACTION FILE.json",
		Short: "Create or replace a transaction's receipt from a JSON file",
		Long: `Create or replace a receipt. FILE.json is a receipt in the API's shape
(external_id, total, currency, items, and optionally taxes, payments,
merchant), amounts in minor units (1250 is 12.50 GBP); its transaction_id is
set to TRANSACTION. Putting a receipt with
an existing external_id replaces it, so the command is safe to repeat.`,
		Example: `  $ cat receipt.json
  {"external_id": "shop-1234", "total": 1250, "currency": "GBP",
   "items": [{"description": "Coffee beans", "amount": 1250, "currency": "GBP", "quantity": 1}]}
  $ monzo receipts set tx_… receipt.json`,
		Args: cmdutil.ExactArgsInto("a TRANSACTION id and a FILE.json", &opts.TransactionID, &opts.File),
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunSet),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// noSuchReceipt is the hint for an external id with no receipt.
const noSuchReceipt = "no receipt has this external id (the external_id of the file given to `monzo receipts set`, not the receipt_… id)"

// RunSet runs `monzo receipts set`.
func RunSet(ctx context.Context, opts *Options) error {
	data, err := os.ReadFile(opts.File)
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("reading %s: %w", opts.File, err)}
	}
	var r monzo.Receipt
	if err := json.Unmarshal(data, &r); err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("%s is not a receipt: %s", opts.File, jsonProblem(data, err)), Hint: "see `monzo receipts set --help` for the shape"}
	}
	r.TransactionID = opts.TransactionID
	r.Raw = nil
	// The library's own check, before anything is sent.
	if err := r.Validate(); err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("%s: %w", opts.File, err)}
	}
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	if err := client.Receipts.Put(ctx, &r); err != nil {
		return err
	}
	if opts.JSON.Enabled() {
		got, err := client.Receipts.Get(ctx, r.ExternalID)
		if err != nil {
			return err
		}
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawOr(got.Raw, got))
	}
	fmt.Fprintf(opts.IO.Out, "Receipt %s set on %s.\n", r.ExternalID, r.TransactionID)
	return nil
}

// NewCmdShow returns `monzo receipts show`.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "show EXTERNAL_ID",
		Short:   "Show a receipt by its external id",
		Example: `  $ monzo receipts show shop-1234`,
		Args:    cmdutil.ExactArgsInto("an EXTERNAL_ID", &opts.ExternalID),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunShow),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunShow runs `monzo receipts show`.
func RunShow(ctx context.Context, opts *Options) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	r, err := client.Receipts.Get(ctx, opts.ExternalID)
	if err != nil {
		return cmdutil.NotFoundHint(err, noSuchReceipt)
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawOr(r.Raw, r))
	}
	fmt.Fprintf(opts.IO.Out, "Receipt %s (%s) on %s: %s\n", r.ExternalID, r.ID, r.TransactionID, cmdutil.Money(r.Total, r.Currency))
	t := opts.IO.NewTable("ITEM", "QUANTITY", "AMOUNT").AlignRight(1, 2)
	for _, it := range r.Items {
		t.AddRow(it.Description, fmt.Sprint(it.Quantity), cmdutil.Money(it.Amount, cmp.Or(it.Currency, r.Currency)))
	}
	return t.Render()
}

// NewCmdDelete returns `monzo receipts delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "delete EXTERNAL_ID",
		Short:   "Delete a receipt by its external id",
		Example: `  $ monzo receipts delete shop-1234`,
		Args:    cmdutil.ExactArgsInto("an EXTERNAL_ID", &opts.ExternalID),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunDelete),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunDelete runs `monzo receipts delete`.
func RunDelete(ctx context.Context, opts *Options) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	if err := client.Receipts.Delete(ctx, opts.ExternalID); err != nil {
		return cmdutil.NotFoundHint(err, noSuchReceipt)
	}
	return opts.JSON.WriteResult(ctx, opts.IO, map[string]any{"external_id": opts.ExternalID, "deleted": true},
		"Deleted receipt %s.\n", opts.ExternalID)
}

// jsonProblem says what is wrong with a JSON file in the file's terms
// (field names, line and column), not in terms of the Go types it is read
// into.
func jsonProblem(data []byte, err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		// The path may start with the decoder's own type name.
		if i := strings.Index(field, "."); i >= 0 && !strings.Contains(string(data), `"`+field+`"`) {
			field = field[i+1:]
		}
		want := typeErr.Type.Kind().String()
		switch typeErr.Type.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			want = "a whole number (amounts are in minor units: 1250 for 12.50 GBP)"
		case reflect.String:
			want = "a string"
		case reflect.Slice, reflect.Array:
			want = "a list"
		case reflect.Struct, reflect.Map:
			want = "an object"
		}
		return fmt.Sprintf("%q must be %s, not %s", field, want, typeErr.Value)
	case errors.As(err, &syntaxErr):
		line, col := 1, 1
		for _, b := range data[:min(int(syntaxErr.Offset), len(data))] {
			if b == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, strings.TrimPrefix(err.Error(), "json: "))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
