package oauth_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
)

// Environment of the helper processes started by TestTwoProcessesShareOneRefresh.
const (
	envHelper   = "MONZOKIT_OAUTH_HELPER_PROCESS"
	envBaseURL  = "MONZOKIT_OAUTH_HELPER_BASE_URL"
	envFile     = "MONZOKIT_OAUTH_HELPER_TOKEN_FILE"
	envClientID = "MONZOKIT_OAUTH_HELPER_CLIENT_ID"
	envSecret   = "MONZOKIT_OAUTH_HELPER_CLIENT_SECRET"
	envRedirect = "MONZOKIT_OAUTH_HELPER_REDIRECT"
	envNow      = "MONZOKIT_OAUTH_HELPER_NOW"
)

// TestHelperProcess is not a test: it is the body of the child processes
// of TestTwoProcessesShareOneRefresh (the os/exec test pattern). It uses
// the token file, the emulator and the fake time the parent passes in its
// environment, says "ready", then makes API calls through a TokenSource.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(envHelper) != "1" {
		t.Skip("helper process body; run by TestTwoProcessesShareOneRefresh")
	}
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
		os.Exit(1)
	}
	now, err := time.Parse(time.RFC3339Nano, os.Getenv(envNow))
	if err != nil {
		fail("bad %s: %v", envNow, err)
	}
	cfg := &oauth.Config{
		ClientID:     os.Getenv(envClientID),
		ClientSecret: os.Getenv(envSecret),
		RedirectURL:  os.Getenv(envRedirect),
		APIBaseURL:   os.Getenv(envBaseURL),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
		// The parent holds the emulator's fake clock still while children run.
		Clock: func() time.Time { return now },
	}
	store, err := oauth.NewFileStore(os.Getenv(envFile))
	if err != nil {
		fail("%v", err)
	}
	ts, err := oauth.NewTokenSource(cfg, store)
	if err != nil {
		fail("%v", err)
	}
	client, err := monzo.NewClient(monzo.WithTokenSource(ts), monzo.WithBaseURL(cfg.APIBaseURL), monzo.WithHTTPClient(cfg.HTTPClient))
	if err != nil {
		fail("%v", err)
	}
	fmt.Println("ready")
	for range 3 {
		who, err := client.WhoAmI(context.Background())
		if err != nil {
			fail("whoami: %v", err)
		}
		fmt.Println("ok", who.UserID)
	}
	os.Exit(0)
}

func TestTwoProcessesShareOneRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	path := filepath.Join(t.TempDir(), "monzo", "token.json")
	runTwoProcesses(t, [2]string{path, path})
}

// runTwoProcesses starts two child processes, each using the token file at
// its own path (the same file, perhaps through a symbolic link), that race
// to refresh one expired token: exactly one refresh must happen and both
// must keep working.
func runTwoProcesses(t *testing.T, paths [2]string) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	path := paths[0]
	store, _ := oauth.NewFileStore(path)
	old := e.login(cfg)
	if err := store.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Advance(ttl + time.Minute) // the stored token has expired

	// Hold the token file's lock while the children start, so both queue
	// for it and race for the refresh when it is released.
	unlock, err := store.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	type child struct {
		cmd    *exec.Cmd
		out    *bufio.Reader
		stderr strings.Builder
	}
	var children []*child
	for i := range 2 {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")}
		c.cmd.Env = append(os.Environ(),
			envHelper+"=1",
			envBaseURL+"="+e.srv.URL,
			envFile+"="+paths[i],
			envClientID+"="+e.client.ID,
			envSecret+"="+e.client.Secret,
			envRedirect+"="+e.client.RedirectURI,
			envNow+"="+now.Format(time.RFC3339Nano),
		)
		stdout, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		c.cmd.Stderr = &c.stderr
		c.out = bufio.NewReader(stdout)
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.cmd.Process.Kill(); c.cmd.Wait() })
		children = append(children, c)
	}
	for i, c := range children {
		line, err := c.out.ReadString('\n')
		if strings.TrimSpace(line) != "ready" {
			t.Fatalf("child %d: %q, %v; stderr: %s", i, line, err, c.stderr.String())
		}
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	for i, c := range children {
		rest, _ := io.ReadAll(c.out)
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child %d failed: %v\nstdout: %s\nstderr: %s", i, err, rest, c.stderr.String())
		}
		if got := strings.Count(string(rest), "ok "+old.UserID); got != 3 {
			t.Fatalf("child %d made %d successful calls, want 3:\n%s", i, got, rest)
		}
	}
	if n := e.server.get("refresh_token"); n != 1 {
		t.Fatalf("the emulator saw %d refresh grants from two processes, want exactly 1", n)
	}
	saved, err := store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if saved.AccessToken == old.AccessToken || saved.RefreshToken == old.RefreshToken {
		t.Fatal("the token file still holds the expired token")
	}
	// The parent picks up the children's token without refreshing again.
	ts, _ := oauth.NewTokenSource(cfg, store)
	if _, err := e.apiClient(ts).WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.server.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes after the parent joined", n)
	}
}
