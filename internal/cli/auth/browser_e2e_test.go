package auth_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

// chromium finds Debian's chromium. Outside CI a machine without it skips
// the test; in CI (CI set) its absence is a failure: .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no chromium on PATH (CI unset): skipping the real-browser login")
	}
	t.Fatal("CI is set but chromium is not installed: .ci/run installs the chromium package")
	return ""
}

// TestRealBrowserLogin is the end-to-end login a person does: `monzo login
// --no-browser` prints the URL, a real (headless) Chromium opens it and
// clicks Allow on the emulator's consent page, the CLI receives the code
// on its loopback listener and exchanges it, waits until the login is
// approved through the emulator's control plane, and then lists accounts.
func TestRealBrowserLogin(t *testing.T) {
	exe := chromium(t)
	e := clitest.New(t)
	l := startLogin(t, e, "browser", "", "--emulator", e.Srv.URL, "--no-browser")
	authURL := l.authURL()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	err := chromedp.Do(bctx,
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(chromedp.CSS(`button[value=allow]`)),
	)
	if err != nil {
		t.Fatalf("opening the consent page in chromium: %v\nCLI said:\n%s", err, l.errOut)
	}
	consent, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`body`)))
	if err != nil {
		t.Fatal(err)
	}
	// Allow submits the form; the emulator redirects the browser to the
	// CLI's loopback listener, which answers with its own page.
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`button[value=allow]`))); err != nil {
		t.Fatalf("clicking Allow: %v", err)
	}
	// The CLI waits for approval only once the callback reached it.
	l.waitForText("Waiting for you to approve")
	// The browser shows the listener's answer once its navigation
	// commits: a wait on the page's content, woken by DOM events.
	if err := chromedp.Do(bctx, chromedp.WaitVisible(`//h1[normalize-space()="Logged in"]`)); err != nil {
		t.Fatalf("the browser never showed the callback's answer: %v\n%s", err, l.errOut)
	}
	landed, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(consent, "monzo CLI") {
		t.Errorf("the consent page does not name the client:\n%s", consent)
	}

	// Approve "in the app" through the control plane.
	resp, err := http.Post(e.Srv.URL+"/_emulator/approve", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("approve: %s", resp.Status)
	}
	if err := l.wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, l.errOut)
	}
	if !strings.HasPrefix(landed, "http://127.0.0.1:") || !strings.Contains(landed, "/callback") {
		t.Errorf("the browser ended at %s, want the CLI's loopback callback", landed)
	}

	res := e.MustRun("--profile", "browser", "accounts", "--json", "--jq", ".[].id")
	want := []string{e.Srv.AccountID(monzo.AccountTypeRetail), e.Srv.AccountID(monzo.AccountTypeRetailJoint)}
	for _, id := range want {
		if !strings.Contains(res.Out, id) {
			t.Errorf("accounts after the browser login lack %s:\n%s", id, res.Out)
		}
	}
}
