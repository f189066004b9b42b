package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/monzokit/monzo"
)

// TextOptions shape [Report.WriteText].
type TextOptions struct {
	// Width is the terminal's width in columns; 80 when zero.
	Width int
	// Plain writes tab-separated lines (section, name, amount, count) for
	// scripts instead of bar charts: what a pipe gets.
	Plain bool
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer, opts TextOptions) error {
	if opts.Plain {
		return r.writePlain(w)
	}
	width := opts.Width
	if width <= 0 {
		width = 80
	}
	// Below 50 columns nothing useful fits; the header lines may then wrap.
	width = max(width, 50)
	var b strings.Builder
	money := func(m int64) string { return monzo.FormatAmount(m, r.Currency) }
	fmt.Fprintf(&b, "Report %s to %s (%s)\n", r.day(r.From), r.day(r.To), r.Currency)
	fmt.Fprintf(&b, "Income %s   Spending %s   Net %s\n", money(r.Income), money(r.Spending), money(r.Income-r.Spending))
	fmt.Fprintf(&b, "%d transactions", r.Transactions)
	if r.Skipped > 0 {
		fmt.Fprintf(&b, "; %d in other currencies left out", r.Skipped)
	}
	b.WriteString("\n")

	section := func(title string, rows []Amount) {
		fmt.Fprintf(&b, "\n%s\n", title)
		if len(rows) == 0 {
			b.WriteString("  (nothing)\n")
			return
		}
		bars(&b, rows, width, money)
	}
	section("Spending by category", r.ByCategory)
	section("Top merchants", r.TopMerchants)

	fmt.Fprintf(&b, "\nBy month (income ▒, spending █)\n")
	var rows []Amount
	for _, m := range r.Months {
		label := m.Start.Format("2006-01")
		rows = append(rows, Amount{Name: label + " in", Minor: m.Income}, Amount{Name: label + " out", Minor: m.Spending})
	}
	if len(rows) == 0 {
		b.WriteString("  (nothing)\n")
	} else {
		bars(&b, rows, width, money)
	}

	if len(r.Pots) > 0 {
		fmt.Fprintf(&b, "\nPots (first and last recorded balance)\n")
		nameW := min(24, width-40)
		for _, p := range r.Pots {
			firstP, lastP := p.Points[0], p.Points[len(p.Points)-1]
			fmt.Fprintf(&b, "  %-*s %12s → %12s  (%d)\n", nameW, clip(p.Name, nameW), money(firstP.Balance), money(lastP.Balance), len(p.Points))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// bars writes one row per amount: name, amount, and a bar scaled so the
// largest fills what is left of the width.
func bars(b *strings.Builder, rows []Amount, width int, money func(int64) string) {
	nameW, amtW := 0, 0
	var top int64
	for _, r := range rows {
		nameW = max(nameW, utf8.RuneCountInString(r.Name))
		amtW = max(amtW, len(money(r.Minor)))
		top = max(top, r.Minor)
	}
	nameW = min(nameW, 24)
	barW := width - nameW - amtW - 6
	for _, r := range rows {
		n := 0
		if top > 0 && r.Minor > 0 && barW > 0 {
			// Integer arithmetic: at least one cell for any non-zero sum.
			n = max(1, int(int64(barW)*r.Minor/top))
		}
		ch := "█"
		if strings.HasSuffix(r.Name, " in") {
			ch = "▒"
		}
		fmt.Fprintf(b, "  %-*s %*s %s\n", nameW, clip(r.Name, nameW), amtW, money(r.Minor), strings.Repeat(ch, n))
	}
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

func (r *Report) day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(r.Location).Format("2006-01-02")
}

func (r *Report) writePlain(w io.Writer) error {
	var b strings.Builder
	money := func(m int64) string { return monzo.FormatAmount(m, r.Currency) }
	fmt.Fprintf(&b, "total\tincome\t%s\t\ntotal\tspending\t%s\t\n", money(r.Income), money(r.Spending))
	for _, a := range r.ByCategory {
		fmt.Fprintf(&b, "category\t%s\t%s\t%d\n", a.Name, money(a.Minor), a.Count)
	}
	for _, a := range r.TopMerchants {
		fmt.Fprintf(&b, "merchant\t%s\t%s\t%d\n", oneLine(a.Name), money(a.Minor), a.Count)
	}
	for _, m := range r.Months {
		fmt.Fprintf(&b, "month-income\t%s\t%s\t\nmonth-spending\t%s\t%s\t\n", m.Start.Format("2006-01"), money(m.Income), m.Start.Format("2006-01"), money(m.Spending))
	}
	for _, p := range r.Pots {
		for _, pt := range p.Points {
			fmt.Fprintf(&b, "pot\t%s\t%s\t%s\n", oneLine(p.Name), money(pt.Balance), pt.Taken.UTC().Format("2006-01-02T15:04:05Z"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' }), " ")
}
