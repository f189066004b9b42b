package iostreams

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Table prints rows: aligned columns with a header on a terminal,
// tab-separated values without a header when piped, so that `cut -f` and
// `awk -F'\t'` work on the output.
type Table struct {
	ios    *IOStreams
	header []string
	rows   [][]string
	right  map[int]bool
}

// NewTable starts a table with the given column headers.
func (s *IOStreams) NewTable(header ...string) *Table {
	return &Table{ios: s, header: header}
}

// AddRow adds a row; cells beyond the header's width are dropped.
func (t *Table) AddRow(cells ...string) {
	t.rows = append(t.rows, cells)
}

// AlignRight right-aligns the given columns (0-based) on a terminal, so
// that amounts line up on their decimal point. Piped output is unchanged.
func (t *Table) AlignRight(columns ...int) *Table {
	if t.right == nil {
		t.right = map[int]bool{}
	}
	for _, c := range columns {
		t.right[c] = true
	}
	return t
}

// Len reports how many rows were added.
func (t *Table) Len() int { return len(t.rows) }

// Render writes the table to the streams' Out.
func (t *Table) Render() error {
	return t.render(t.ios.Out)
}

func (t *Table) render(w io.Writer) error {
	// A tab or newline inside a cell would break the columns.
	clean := strings.NewReplacer("\t", " ", "\n", " ")
	rows := make([][]string, 0, len(t.rows)+1)
	tty := t.ios.IsStdoutTTY()
	if tty && len(t.header) > 0 {
		h := make([]string, len(t.header))
		for i, c := range t.header {
			h[i] = t.ios.Bold(c)
		}
		rows = append(rows, h)
	}
	for _, r := range t.rows {
		c := make([]string, len(r))
		for i, cell := range r {
			c[i] = clean.Replace(cell)
		}
		rows = append(rows, c)
	}
	if !tty {
		for _, r := range rows {
			if _, err := fmt.Fprintln(w, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	// Widths count what is seen: colour codes take no room.
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], visibleWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-visibleWidth(c))
			if t.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c)
				if i < len(r)-1 {
					b.WriteString(pad)
				}
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// visibleWidth counts the runes of s outside ANSI escape sequences.
func visibleWidth(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			if r >= '@' && r <= '~' && r != '[' {
				esc = false
			}
		case r == '\x1b':
			esc = true
		default:
			n++
		}
	}
	return n
}

// Truncate shortens s to at most n runes, marking the cut with an ellipsis.
func Truncate(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
