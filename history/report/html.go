package report

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/monzokit/monzo"
)

// WriteHTML writes the report as one self-contained HTML page: styles
// inline, charts as inline SVG, no scripts, fonts or anything fetched from
// elsewhere. Its Content-Security-Policy forbids every external load, so
// the page shows the same offline as online.
func (r *Report) WriteHTML(w io.Writer) error {
	money := func(m int64) string { return monzo.FormatAmount(m, r.Currency) + " " + r.Currency }
	data := map[string]any{
		"Title":     fmt.Sprintf("Monzo report %s to %s", r.day(r.From), r.day(r.To)),
		"Income":    money(r.Income),
		"Spending":  money(r.Spending),
		"Net":       money(r.Income - r.Spending),
		"Count":     r.Transactions,
		"Skipped":   r.Skipped,
		"Generated": r.Generated.UTC().Format("2006-01-02 15:04 UTC"),
		"Category":  hbars(r.ByCategory, money, "#e64b3c"),
		"Merchants": hbars(r.TopMerchants, money, "#14233c"),
		"Months":    monthChart(r.Months, money),
		"Pots":      potChart(r.Pots, money),
		"HasPots":   len(r.Pots) > 0,
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 960px; color: #14233c; background: #fff; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
.totals { display: flex; gap: 2rem; flex-wrap: wrap; margin: 1rem 0; }
.totals div { background: #f4f6fa; border-radius: 8px; padding: .6rem 1rem; }
.totals b { display: block; font-size: 1.3rem; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #14233c; }
.note { color: #5a6478; font-size: .85rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="note">{{.Count}} transactions{{if .Skipped}}, {{.Skipped}} in other currencies left out{{end}}. Spending counts payments Monzo counts as spending; pot transfers and declined payments are left out.</p>
<div class="totals">
<div>Income<b>{{.Income}}</b></div>
<div>Spending<b>{{.Spending}}</b></div>
<div>Net<b>{{.Net}}</b></div>
</div>
<main id="charts">
<section id="by-category"><h2>Spending by category</h2>{{.Category}}</section>
<section id="by-month"><h2>Income and spending by month</h2>{{.Months}}</section>
<section id="top-merchants"><h2>Top merchants</h2>{{.Merchants}}</section>
{{if .HasPots}}<section id="pots"><h2>Pots over time</h2>{{.Pots}}</section>{{end}}
</main>
<p class="note">Made by the monzo command from local history on {{.Generated}}.</p>
</body>
</html>
`))

// esc escapes text for SVG markup.
func esc(s string) string { return html.EscapeString(s) }

const chartWidth = 900

// hbars draws a horizontal bar per amount.
func hbars(rows []Amount, money func(int64) string, colour string) template.HTML {
	if len(rows) == 0 {
		return `<p class="note">Nothing in this period.</p>`
	}
	const rowH, labelW, amountW = 24, 190, 130
	var top int64
	for _, r := range rows {
		top = max(top, r.Minor)
	}
	barMax := float64(chartWidth - labelW - amountW - 10)
	var b strings.Builder
	h := len(rows)*rowH + 8
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, chartWidth, h, chartWidth, h)
	for i, r := range rows {
		y := i*rowH + 4
		w := 0.0
		if top > 0 && r.Minor > 0 {
			w = max(1, barMax*float64(r.Minor)/float64(top))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+16, esc(clip(r.Name, 28)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" rx="3" fill="%s"><title>%s: %s (%d)</title></rect>`,
			labelW, y+3, w, rowH-6, colour, esc(r.Name), esc(money(r.Minor)), r.Count)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, float64(labelW)+w+6, y+16, esc(money(r.Minor)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// monthChart draws income and spending side by side for each month.
func monthChart(months []Month, money func(int64) string) template.HTML {
	if len(months) == 0 {
		return `<p class="note">Nothing in this period.</p>`
	}
	const h, top, bottom, left = 300, 16, 40, 70
	var peak int64
	for _, m := range months {
		peak = max(peak, m.Income, m.Spending)
	}
	if peak == 0 {
		peak = 1
	}
	plotH := float64(h - top - bottom)
	slot := float64(chartWidth-left-10) / float64(len(months))
	barW := max(1, slot*0.38)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, chartWidth, h, chartWidth, h)
	// Axis at zero, half the peak and the peak (labels in exact minor
	// units; only positions are floats).
	for halves := range int64(3) {
		y := float64(top) + plotH*(1-float64(halves)/2)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#d8dde6"/>`, left, chartWidth-10, y, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, left-6, y+4, esc(money(peak*halves/2)))
	}
	every := max(1, len(months)/12)
	for i, m := range months {
		x := float64(left) + slot*float64(i) + slot*0.1
		for j, v := range []struct {
			minor  int64
			colour string
			what   string
		}{{m.Income, "#2e9e6a", "income"}, {m.Spending, "#e64b3c", "spending"}} {
			bh := plotH * float64(v.minor) / float64(peak)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
				x+float64(j)*barW, float64(top)+plotH-bh, barW, bh, v.colour, m.Start.Format("Jan 2006"), v.what, esc(money(v.minor)))
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+barW, h-bottom+16, m.Start.Format("Jan 06"))
		}
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="#2e9e6a"/><text x="%d" y="%d">income</text>`, left, h-14, left+14, h-5)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="#e64b3c"/><text x="%d" y="%d">spending</text>`, left+80, h-14, left+94, h-5)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var potColours = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"}

// potChart draws each pot's recorded balances as a line over time.
func potChart(pots []PotSeries, money func(int64) string) template.HTML {
	if len(pots) == 0 {
		return ""
	}
	const h, top, bottom, left, right = 280, 16, 30, 70, 180
	var t0, t1 time.Time
	var peak int64 = 1
	for _, p := range pots {
		for _, pt := range p.Points {
			if t0.IsZero() || pt.Taken.Before(t0) {
				t0 = pt.Taken
			}
			if pt.Taken.After(t1) {
				t1 = pt.Taken
			}
			peak = max(peak, pt.Balance)
		}
	}
	span := t1.Sub(t0)
	plotW, plotH := float64(chartWidth-left-right), float64(h-top-bottom)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return float64(left) + plotW/2
		}
		return float64(left) + plotW*float64(t.Sub(t0))/float64(span)
	}
	y := func(v int64) float64 { return float64(top) + plotH*(1-float64(v)/float64(peak)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, chartWidth, h, chartWidth, h)
	fmt.Fprintf(&b, `<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#d8dde6"/>`, left, float64(left)+plotW, y(0), y(0))
	fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, left-6, y(peak)+4, esc(money(peak)))
	fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">0</text>`, left-6, y(0)+4)
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, left, h-8, t0.Format("2 Jan 2006"))
	if span > 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="end">%s</text>`, float64(left)+plotW, h-8, t1.Format("2 Jan 2006"))
	}
	for i, p := range pots {
		c := potColours[i%len(potColours)]
		var pts []string
		for _, pt := range p.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(pt.Taken), y(pt.Balance)))
		}
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5" points="%s"/>`, c, strings.Join(pts, " "))
		}
		for _, pt := range p.Points {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s %s: %s</title></circle>`,
				x(pt.Taken), y(pt.Balance), c, esc(p.Name), pt.Taken.Format("2 Jan 2006"), esc(money(pt.Balance)))
		}
		ly := top + 14 + i*18
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`,
			chartWidth-right+14, ly-9, c, chartWidth-right+28, ly, esc(clip(p.Name, 22)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
