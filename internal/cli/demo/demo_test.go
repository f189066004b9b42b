package demo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/demo"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
)

// secretShapes match any token, code or client secret long enough to use.
var secretShapes = regexp.MustCompile(`(acctok|reftok|authzcode)_[A-Za-z0-9]{4,}|mnz(conf|pub)\.[A-Za-z0-9]{4,}`)

func TestDemoRunsTheTutorial(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	if code := root.Main(context.Background(), ios, []string{"demo", "--timeout", "1m"}); code != root.ExitOK {
		t.Fatalf("exit code %d; stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	got := out.String()
	for _, want := range []string{
		"build the authorization URL",
		"response_type             code",
		"✓ the returned state matches",
		"exchange the code for tokens",
		"third_party_developer_app.pre_verification",
		"403 forbidden.insufficient_permissions",
		"approved; the same token now reads data",
		"uk_retail_joint",
		"Personal account", // named for people, not by the owner's user id
		"Hannah & Olu",
		"closed",
		"Done",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if m := secretShapes.FindString(got + errOut.String()); m != "" {
		t.Errorf("output leaks a secret: %q", m)
	}
}

func TestDemoInteractiveOpensTheConsentPage(t *testing.T) {
	ios, in, out, errOut := iostreams.Test()
	in.WriteString("\n") // "press Enter to approve"
	opened := make(chan string, 1)
	opts := &demo.Options{
		IO: ios, Interactive: true, Seed: 7, Timeout: time.Minute,
		// The "browser" here is the user: it loads the page and clicks Allow.
		OpenBrowser: func(ctx context.Context, url string) error {
			opened <- url
			go clickAllow(t, url)
			return nil
		},
	}
	if err := demo.Run(context.Background(), opts); err != nil {
		t.Fatalf("Run: %v\nstderr: %s\nstdout: %s", err, errOut, out)
	}
	if u := <-opened; !strings.Contains(u, "response_type=code") {
		t.Errorf("opened %q, want the authorization URL", u)
	}
	if !strings.Contains(out.String(), "Press Enter") {
		t.Errorf("interactive run did not ask for approval:\n%s", out)
	}
}

// clickAllow loads the consent page and submits Allow, following the
// redirect back to the demo's loopback listener as a browser does.
func clickAllow(t *testing.T, authURL string) {
	resp, err := http.Get(authURL)
	if err != nil {
		t.Error(err)
		return
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "monzokit demo") {
		t.Errorf("consent page does not name the client")
	}
	loc, err := emulator.SubmitConsent(context.Background(), http.DefaultClient, authURL, emulator.Consent{})
	if err != nil {
		t.Error(err)
		return
	}
	resp, err = http.Get(loc.String())
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
}

// TestDemoForgedStateIsRefused is issue 11 item 5 for the demo: a real
// code brought back with a forged state is answered 400 by the loopback
// listener and never exchanged.
func TestDemoForgedStateIsRefused(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	status := make(chan int, 1)
	opts := &demo.Options{
		IO: ios, Interactive: true, Seed: 7, Timeout: time.Minute,
		OpenBrowser: func(ctx context.Context, authURL string) error {
			go func() {
				loc, err := emulator.SubmitConsent(ctx, http.DefaultClient, authURL, emulator.Consent{})
				if err != nil {
					t.Error(err)
					status <- 0
					return
				}
				q := loc.Query()
				q.Set("state", "forged")
				loc.RawQuery = q.Encode()
				resp, err := http.Get(loc.String())
				if err != nil {
					t.Error(err)
					status <- 0
					return
				}
				resp.Body.Close()
				status <- resp.StatusCode
			}()
			return nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- demo.Run(ctx, opts) }()
	if got := <-status; got != http.StatusBadRequest {
		t.Errorf("the listener answered a forged state with %d, want 400", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("demo after a forged redirect: %v, want it still waiting (cancelled)", err)
	}
	if strings.Contains(out.String(), "exchange the code") || strings.Contains(out.String(), "access_token") {
		t.Errorf("the demo went on to the exchange:\n%s", out)
	}
}

func TestDemoInteractivePrintsTheURLWhenNoBrowserOpens(t *testing.T) {
	ios, in, out, _ := iostreams.Test()
	in.WriteString("\n")
	opts := &demo.Options{
		IO: ios, Interactive: true, Seed: 7, Timeout: time.Minute,
		OpenBrowser: func(ctx context.Context, url string) error {
			go clickAllow(t, url) // the user opens it by hand
			return errors.New("browser: no display")
		},
	}
	if err := demo.Run(context.Background(), opts); err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	if !strings.Contains(text, "open this in a browser yourself") || !strings.Contains(text, "no display") {
		t.Errorf("a failed browser is not reported with the URL:\n%s", text)
	}
	first := strings.Index(text, "response_type=code")
	if first < 0 || first > strings.Index(text, "Could not open a browser") {
		t.Errorf("the URL is not printed before trying the browser:\n%s", text)
	}
}

// An interrupt while the demo waits for Enter ends it: the wait for a line
// on stdin does not outlast the context (Ctrl-C, --timeout).
func TestDemoInteractiveWaitForEnterEndsOnInterrupt(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	stdin := &silentStdin{asked: make(chan struct{}), release: make(chan struct{})}
	defer close(stdin.release)
	ios.In = stdin
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &demo.Options{
		IO: ios, Interactive: true, Seed: 7, Timeout: time.Minute,
		OpenBrowser: func(ctx context.Context, url string) error {
			go clickAllow(t, url)
			return nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- demo.Run(ctx, opts) }()
	<-stdin.asked // "Press Enter…", and nobody does
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("demo interrupted at the approval step: %v, want context.Canceled", err)
	}
}

// silentStdin is a terminal where nobody types: a read says it was asked,
// then waits until the test ends.
type silentStdin struct {
	once           sync.Once
	asked, release chan struct{}
}

func (s *silentStdin) Read([]byte) (int, error) {
	s.once.Do(func() { close(s.asked) })
	<-s.release
	return 0, io.EOF
}
