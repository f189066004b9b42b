package report_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/monzokit/monzo/history/report"
)

// chromium finds a Chromium to drive. Without one the test skips on a
// developer's machine but fails in CI (CI set), which must install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no Chromium installed (Debian package chromium); CI installs it and runs this test")
	}
	t.Fatal("CI is set but no Chromium is installed: .ci/run must install the Debian package chromium")
	return ""
}

func TestHTMLReportRendersInChromium(t *testing.T) {
	exe := chromium(t)
	st := syncedStore(t)
	r, err := report.Build(context.Background(), st, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, external := range []string{"<script", "http://", "https://", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(page.String(), `xmlns="http://www.w3.org/2000/svg"`, ""), external) {
			t.Errorf("the page refers to something outside itself (%q)", external)
		}
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	// A bound on a hung browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

	// Collect what the page writes to the console (errors, warnings,
	// uncaught exceptions, blocked loads) while it renders.
	consoleCtx, stopConsole := context.WithCancel(bctx)
	messages := chromedp.Console(consoleCtx)
	var problems []string
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				problems = append(problems, m.String())
			}
		}
	}()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS("#by-month svg"))); err != nil {
		t.Fatalf("loading the page in Chromium: %v", err)
	}
	svgs, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('#charts svg').length`))
	if err != nil {
		t.Fatal(err)
	}
	rects, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('#charts svg rect, #charts svg circle').length`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS("#charts")))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	stopConsole()
	<-collected
	for _, p := range problems {
		t.Errorf("the page logged a problem: %s", p)
	}
	if svgs != 4 || rects < 20 {
		t.Errorf("%d charts with %d bars drawn, want 4 charts (categories, months, merchants, pots)", svgs, rects)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if inked, colours := ink(img); inked < 0.03 || colours < 4 {
		t.Errorf("the chart area looks blank: %.1f%% of pixels not white, %d colours", inked*100, colours)
	}
}

// ink returns the fraction of pixels that are not near-white, and how many
// distinct strong colours appear.
func ink(img image.Image) (float64, int) {
	b := img.Bounds()
	var inked, total int
	colours := map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			total++
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				inked++
				colours[[3]uint32{r >> 12, g >> 12, bl >> 12}] = true
			}
		}
	}
	return float64(inked) / float64(total), len(colours)
}
