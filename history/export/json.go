package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/monzokit/monzo/history/sqlitestore"
)

// writeJSON writes each transaction's raw JSON, exactly the object the API
// sent (compacted): as one array, or one object per line for NDJSON.
func writeJSON(ctx context.Context, w io.Writer, st *sqlitestore.Store, opts Options, lines bool) (Result, error) {
	bw := bufio.NewWriter(w)
	var res Result
	var buf bytes.Buffer
	if !lines {
		bw.WriteString("[")
	}
	for r, err := range st.Transactions(ctx, opts.Filter) {
		if err != nil {
			return res, err
		}
		buf.Reset()
		if err := json.Compact(&buf, r.Raw); err != nil {
			return res, fmt.Errorf("export: transaction %s has invalid raw JSON in the store: %w", r.ID, err)
		}
		switch {
		case lines:
		case res.Transactions > 0:
			bw.WriteString(",\n")
		default:
			bw.WriteString("\n")
		}
		bw.Write(buf.Bytes())
		if lines {
			bw.WriteByte('\n')
		}
		res.Transactions++
	}
	if !lines {
		bw.WriteString("\n]\n")
	}
	return res, bw.Flush()
}
