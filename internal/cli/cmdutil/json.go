package cmdutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// JSONFlags are --json and --jq, which every command has.
type JSONFlags struct {
	JSON bool
	JQ   string
}

// AddJSONFlags adds --json and --jq to cmd.
func AddJSONFlags(cmd *cobra.Command, f *JSONFlags) {
	cmd.Flags().BoolVar(&f.JSON, "json", false, "print JSON (the API's own field names) instead of text")
	cmd.Flags().StringVarP(&f.JQ, "jq", "q", "", "filter the JSON output with a jq `expression` (implies --json)")
}

// Enabled reports whether the command should print JSON.
func (f *JSONFlags) Enabled() bool { return f.JSON || f.JQ != "" }

// Check validates --jq before anything is sent, so a typo in the filter
// costs no API call (and never moves money twice on a retry).
func (f *JSONFlags) Check() error {
	if f.JQ == "" {
		return nil
	}
	if _, err := compileJQ(f.JQ); err != nil {
		return err
	}
	return nil
}

func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, Usagef("--jq %q: %v", expr, err)
	}
	code, err := gojq.Compile(q, gojq.WithEnvironLoader(os.Environ))
	if err != nil {
		return nil, Usagef("--jq %q: %v", expr, err)
	}
	return code, nil
}

// Write prints v as indented JSON, or the results of the --jq filter (a
// string result unquoted, as jq -r and gh do).
func (f *JSONFlags) Write(ctx context.Context, ios *iostreams.IOStreams, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	if f.JQ == "" {
		return writeIndented(ios.Out, data)
	}
	code, err := compileJQ(f.JQ)
	if err != nil {
		return err
	}
	var input any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&input); err != nil {
		return err
	}
	input = normaliseNumbers(input)
	iter := code.RunWithContext(ctx, input)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := out.(error); ok {
			if herr, ok := err.(*gojq.HaltError); ok && herr.Value() == nil {
				return nil
			}
			return fmt.Errorf("--jq: %w", err)
		}
		if s, ok := out.(string); ok {
			fmt.Fprintln(ios.Out, s)
			continue
		}
		b, err := gojq.Marshal(out)
		if err != nil {
			return err
		}
		if err := writeIndented(ios.Out, b); err != nil {
			return err
		}
	}
}

// normaliseNumbers turns json.Numbers into ints where they fit (amounts
// are int64 minor units and must not pass through float64) and floats
// otherwise, the types gojq works with.
func normaliseNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normaliseNumbers(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normaliseNumbers(x)
		}
		return v
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return int(i)
		}
		f, _ := v.Float64()
		return f
	}
	return v
}

func writeIndented(w io.Writer, data []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// RawOr returns raw when the API's own JSON is known, else v: --json keeps
// every field Monzo sent, including ones the library does not model.
func RawOr(raw []byte, v any) any {
	if len(raw) > 0 {
		return json.RawMessage(raw)
	}
	return v
}

// RawEach is RawOr for every item of a list, raw picking an item's own
// JSON: what --json prints for a listing.
func RawEach[T any](items []T, raw func(T) []byte) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = RawOr(raw(it), it)
	}
	return out
}

// WriteResult prints what a command did: v as JSON with --json or --jq,
// else the sentence that format and args make.
func (f *JSONFlags) WriteResult(ctx context.Context, ios *iostreams.IOStreams, v any, format string, args ...any) error {
	if f.Enabled() {
		return f.Write(ctx, ios, v)
	}
	fmt.Fprintf(ios.Out, format, args...)
	return nil
}
