package iostreams

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Table prints rows: aligned columns with a header on a terminal,
// tab-separated values without a header when piped, so that `cut -f` and
// `awk -F'\t'` work on the output.
type Table struct {
	ios    *IOStreams
	header []string
	rows   [][]string
}

// NewTable starts a table with the given column headers.
func (s *IOStreams) NewTable(header ...string) *Table {
	return &Table{ios: s, header: header}
}

// AddRow adds a row; cells beyond the header's width are dropped.
func (t *Table) AddRow(cells ...string) {
	t.rows = append(t.rows, cells)
}

// Len reports how many rows were added.
func (t *Table) Len() int { return len(t.rows) }

// Render writes the table to the streams' Out.
func (t *Table) Render() error {
	return t.render(t.ios.Out)
}

func (t *Table) render(w io.Writer) error {
	if !t.ios.IsStdoutTTY() {
		for _, r := range t.rows {
			clean := make([]string, len(r))
			for i, c := range r {
				// A tab or newline inside a cell would break the columns.
				clean[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
			}
			if _, err := fmt.Fprintln(w, strings.Join(clean, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(t.header) > 0 {
		cells := make([]string, len(t.header))
		for i, h := range t.header {
			cells[i] = t.ios.Bold(h)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// Truncate shortens s to at most n runes, marking the cut with an ellipsis.
func Truncate(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
