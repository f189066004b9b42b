package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
	"github.com/monzokit/monzo/oauth"
)

// lockedBuffer is a bytes.Buffer safe for the logger's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startStandalone runs the command as a user would, with no flags, and
// returns the ready block it printed. The server stops with the test.
func startStandalone(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, envFrom(nil), stdoutW, stderr)
		stdoutW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("monzo-emulator exited %d:\n%s", code, stderr.String())
		}
	})
	var block strings.Builder
	lines := bufio.NewScanner(stdoutR)
	for lines.Scan() {
		block.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "curl -X POST") {
			go func() { _, _ = io.Copy(io.Discard, stdoutR) }()
			return block.String()
		}
	}
	t.Fatalf("monzo-emulator printed no ready block:\n%s\nstderr:\n%s", block.String(), stderr.String())
	return ""
}

// pasteIntoShell runs the block in sh, as a user pasting it would, and
// returns the MONZO_ variables it leaves set.
func pasteIntoShell(t *testing.T, block string) map[string]string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the ready block is POSIX shell")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to paste the ready block into")
	}
	cmd := exec.Command(sh, "-euc", block+"\nenv\n")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the ready block is not valid shell: %v\n%s", err, block)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "MONZO_") {
			env[k] = v
		}
	}
	return env
}

var approveLine = regexp.MustCompile(`curl -X POST (\S+)`)

// The standalone emulator's ready block works as printed, with nothing
// changed: pasted into a shell, it points `monzo login` at the emulator,
// login can listen on the redirect URL without privileges, the browser's
// redirect reaches it, the curl line approves the login, and the API
// answers. The examples' flow (print the URL, paste the redirected URL,
// exchange) works with the same variables.
func TestReadyBlockWorksAsPrinted(t *testing.T) {
	block := startStandalone(t)
	env := pasteIntoShell(t, block)
	for _, k := range []string{"MONZO_CLIENT_ID", "MONZO_CLIENT_SECRET", "MONZO_REDIRECT_URL", "MONZO_API_URL", "MONZO_AUTH_URL"} {
		if env[k] == "" {
			t.Fatalf("the ready block does not set %s:\n%s", k, block)
		}
	}
	if env["MONZO_REDIRECT_URL"] != emulator.DefaultRedirectURI {
		t.Fatalf("MONZO_REDIRECT_URL = %q, want the default %q", env["MONZO_REDIRECT_URL"], emulator.DefaultRedirectURI)
	}
	// Only root may listen below port 1024 (a URL without a port means
	// 80), and tests often run as root: check what a user's login needs.
	u, err := url.Parse(env["MONZO_REDIRECT_URL"])
	if err != nil {
		t.Fatal(err)
	}
	if port, err := strconv.Atoi(u.Port()); err != nil || port < 1024 {
		t.Fatalf("MONZO_REDIRECT_URL %q needs a port an ordinary user may listen on (1024 or more)", env["MONZO_REDIRECT_URL"])
	}
	m := approveLine.FindStringSubmatch(block)
	if m == nil {
		t.Fatalf("no approval line in the ready block:\n%s", block)
	}
	approveURL := m[1]

	approve := func(t *testing.T) {
		t.Helper()
		resp, err := http.Post(approveURL, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("the approval line answered %s", resp.Status)
		}
	}

	t.Run("monzo login", func(t *testing.T) {
		monzo, browserDone := cli(t, env)
		code, out := monzo("login", "--no-wait")
		if code != 0 && strings.Contains(out, "another program already listens there") {
			// The fixed port is the point of the default; another run of
			// this test (or a program of the user's) holds it now.
			t.Skipf("the default redirect's port is busy, so login cannot be tried now:\n%s", out)
		}
		if code != 0 {
			t.Fatalf("monzo login with the pasted variables: exit %d\n%s", code, out)
		}
		if err := <-browserDone; err != nil {
			t.Fatalf("browser: %v", err)
		}
		approve(t)
		if code, out := monzo("accounts"); code != 0 || !strings.Contains(out, "acc_") {
			t.Errorf("monzo accounts after approval: exit %d\n%s", code, out)
		}
	})

	t.Run("monzo login --emulator", func(t *testing.T) {
		monzo, browserDone := cli(t, nil)
		if code, out := monzo("login", "--emulator", env["MONZO_API_URL"], "--no-wait", "--profile", "emu"); code != 0 {
			t.Fatalf("monzo login --emulator %s: exit %d\n%s", env["MONZO_API_URL"], code, out)
		}
		if err := <-browserDone; err != nil {
			t.Fatalf("browser: %v", err)
		}
		approve(t)
		if code, out := monzo("accounts", "--profile", "emu"); code != 0 || !strings.Contains(out, "acc_") {
			t.Errorf("monzo accounts after approval: exit %d\n%s", code, out)
		}
	})

	t.Run("examples", func(t *testing.T) {
		// auth_step_01 and auth_step_02 build this configuration from the
		// same variables.
		ctx := context.Background()
		cfg := &oauth.Config{ClientID: env["MONZO_CLIENT_ID"], ClientSecret: env["MONZO_CLIENT_SECRET"],
			RedirectURL: env["MONZO_REDIRECT_URL"], AuthURL: env["MONZO_AUTH_URL"], APIBaseURL: env["MONZO_API_URL"]}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		state, err := oauth.NewState()
		if err != nil {
			t.Fatal(err)
		}
		redirected, err := emulator.SubmitConsent(ctx, nil, cfg.AuthCodeURL(state), emulator.Consent{})
		if err != nil {
			t.Fatalf("step 1's URL: %v", err)
		}
		cb, err := oauth.ParseCallback(redirected.String())
		if err != nil {
			t.Fatal(err)
		}
		tok, err := cfg.Exchange(ctx, cb.Code, cb.State, state)
		if err != nil || tok.UserID == "" {
			t.Fatalf("step 2's exchange: %v", err)
		}
	})
}

// cli returns a way to run the monzo command with env (and a fresh
// configuration directory), and a channel that reports how the browser
// it opens fared: the browser allows access and follows the redirect to
// the address login listens on.
func cli(t *testing.T, env map[string]string) (func(args ...string) (int, string), <-chan error) {
	dir := t.TempDir()
	cliEnv := map[string]string{"MONZO_CONFIG_DIR": dir, "MONZO_NO_KEYRING": "1", "XDG_DATA_HOME": dir}
	for k, v := range env {
		cliEnv[k] = v
	}
	browserDone := make(chan error, 1)
	return func(args ...string) (int, string) {
		ios, _, out, errOut := iostreams.Test()
		f := cmdutil.New(ios, func(k string) string { return cliEnv[k] })
		f.Browser = func(ctx context.Context, authURL string) error {
			go func() {
				loc, err := emulator.SubmitConsent(ctx, nil, authURL, emulator.Consent{})
				if err == nil {
					var resp *http.Response
					if resp, err = http.Get(loc.String()); err == nil {
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							err = errors.New("the redirect answered " + resp.Status)
						}
					}
				}
				browserDone <- err
			}()
			return nil
		}
		code := root.MainWithFactory(context.Background(), f, args)
		return code, out.String() + errOut.String()
	}, browserDone
}
