package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/auth"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

var authURLLine = regexp.MustCompile(`http://\S+response_type=code\S*`)

// login runs `monzo login` with args in the background, polling for
// approval every few milliseconds.
type login struct {
	t      *testing.T
	out    *clitest.SyncBuffer
	errOut *clitest.SyncBuffer
	done   chan error
	cancel context.CancelFunc
	// guard ends waits that would otherwise hang a broken test; nothing
	// is timed by it.
	guard context.Context
	f     *cmdutil.Factory
}

func startLogin(t *testing.T, e *clitest.Env, profile, stdin string, args ...string) *login {
	t.Helper()
	return startLoginOn(t, e, false, profile, stdin, args...)
}

// startLoginOn is startLogin with standard input a terminal when tty.
func startLoginOn(t *testing.T, e *clitest.Env, tty bool, profile, stdin string, args ...string) *login {
	t.Helper()
	l := newLogin(t)
	ios, in, _, _ := iostreams.Test()
	in.WriteString(stdin)
	ios.SetStdinTTY(tty)
	ios.Out, ios.ErrOut = l.out, l.errOut
	l.f = e.Factory(ios)
	l.f.ProfileFlag = profile
	cmd := auth.NewCmdLogin(l.f, func(ctx context.Context, o *auth.LoginOptions) error {
		o.PollInterval, o.PollMax = 5*time.Millisecond, 20*time.Millisecond
		return auth.RunLogin(ctx, o)
	})
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	l.cancel = cancel
	t.Cleanup(cancel)
	go func() { l.done <- cmd.ExecuteContext(ctx) }()
	return l
}

// newLogin is a login's buffers, with a generous guard against hanging.
func newLogin(t *testing.T) *login {
	guard, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(stop)
	return &login{t: t, out: &clitest.SyncBuffer{}, errOut: &clitest.SyncBuffer{}, done: make(chan error, 1), guard: guard}
}

// waitFor waits, woken by each write, until login's standard error
// satisfies match, and returns it; it fails the test if login ends first.
func (l *login) waitFor(what string, match func(string) bool) string {
	l.t.Helper()
	for {
		text, more := l.errOut.Next()
		if match(text) {
			return text
		}
		select {
		case <-more:
		case err := <-l.done:
			l.t.Fatalf("login ended before %s: %v\n%s", what, err, text)
		case <-l.guard.Done():
			l.t.Fatalf("no %s:\n%s", what, text)
		}
	}
}

// waitForText is waitFor for a piece of text.
func (l *login) waitForText(substr string) string {
	l.t.Helper()
	return l.waitFor(fmt.Sprintf("%q", substr), func(s string) bool { return strings.Contains(s, substr) })
}

// authURL waits for the URL login prints.
func (l *login) authURL() string {
	l.t.Helper()
	return authURLLine.FindString(l.waitFor("the authorization URL", authURLLine.MatchString))
}

func (l *login) wait() error {
	l.t.Helper()
	select {
	case err := <-l.done:
		return err
	case <-l.guard.Done():
		l.t.Fatalf("login did not finish:\n%s", l.errOut)
		return nil
	}
}

// allow plays the browser: consent page, Allow, and the redirect back to
// the CLI's loopback listener (with forge applied to its URL first). It
// returns the listener's answer's status.
func allow(t *testing.T, authURL string, forge func(*url.URL)) int {
	t.Helper()
	loc, err := emulator.SubmitConsent(context.Background(), http.DefaultClient, authURL, emulator.Consent{})
	if err != nil {
		t.Fatal(err)
	}
	if forge != nil {
		forge(loc)
	}
	resp, err := http.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func loadProfile(t *testing.T, e *clitest.Env, name string) *config.Profile {
	t.Helper()
	cfg, err := config.Load(e.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.HasProfile(name) {
		return nil
	}
	return cfg.Profile(name)
}

func TestLoginToEmulatorThroughTheLoopback(t *testing.T) {
	e := clitest.New(t)
	l := startLogin(t, e, "emu", "", "--emulator", e.Srv.URL, "--no-browser", "--json")
	allow(t, l.authURL(), nil)
	// Approve "in the app" once the CLI is waiting for it.
	l.waitForText("Waiting for you to approve")
	e.Srv.Emulator.ApproveAll()
	if err := l.wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, l.errOut)
	}
	text := l.errOut.String()
	for _, want := range []string{"Open this URL in a browser", "Registered client", "Logged in as " + e.Srv.User.ID,
		"Notice: the keyring is turned off (MONZO_NO_KEYRING), so the token is saved to", "Access approved", "For the next 5 minutes", "history reaches back to"} {
		if !strings.Contains(text, want) {
			t.Errorf("login output lacks %q:\n%s", want, text)
		}
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(l.out.String()), &raw); err != nil {
		t.Fatalf("login --json printed %q: %v", l.out, err)
	}
	location, _ := raw["token_location"].(string)
	if raw["profile"] != "emu" || raw["user_id"] != e.Srv.User.ID || raw["approval"] != "approved" || !strings.HasSuffix(location, "emu.json") || raw["history_synced"] != false {
		t.Errorf("login --json = %v", raw)
	}
	p := loadProfile(t, e, "emu")
	if p == nil || p.TokenStore != config.StoreFile || p.APIURL != e.Srv.URL || p.ClientID == "" || p.UserID != e.Srv.User.ID {
		t.Fatalf("saved profile %v", p)
	}
	// The stored login works for the next command, as another process would use it.
	res := e.MustRun("--profile", "emu", "accounts", "--json", "--jq", ".[0].id")
	if strings.TrimSpace(res.Out) == "" {
		t.Errorf("accounts after login printed nothing")
	}
	info, err := os.Stat(filepath.Join(e.Dir, "tokens", "emu.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v, mode %v; want 0600", err, info.Mode())
	}
}

// TestLoginForgedStateStoresNothing is issue 11 item 5 for `monzo login`:
// a real code arriving with a state that is not the one sent must not log
// anyone in, and nothing may be stored.
func TestLoginForgedStateStoresNothing(t *testing.T) {
	e := clitest.New(t)
	l := startLogin(t, e, "forged", "", "--emulator", e.Srv.URL, "--no-browser")
	grants := len(e.Srv.Emulator.Grants())
	status := allow(t, l.authURL(), func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-"+q.Get("state")[:8])
		u.RawQuery = q.Encode()
	})
	if status != http.StatusBadRequest {
		t.Errorf("the loopback listener answered a forged state with %d, want 400", status)
	}
	// The login is still waiting for the genuine redirect; give up on it.
	l.cancel()
	if err := l.wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("login after a forged redirect: %v, want it still waiting (cancelled)", err)
	}
	if p := loadProfile(t, e, "forged"); p != nil {
		t.Errorf("a profile was saved: %v", p)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "tokens", "forged.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a token file exists: %v", err)
	}
	if n := len(e.Srv.Emulator.Grants()); n != grants {
		t.Errorf("the code was exchanged: %d grants, had %d", n, grants)
	}
	if strings.Contains(l.errOut.String(), "Logged in") {
		t.Errorf("login claims success:\n%s", l.errOut)
	}
}

func TestLoginPaste(t *testing.T) {
	e := clitest.New(t)
	// --paste needs a fixed redirect URL registered on a client.
	c := e.Srv.Emulator.MustRegisterClient(emulator.ClientOptions{Name: "paste", RedirectURI: "http://127.0.0.1:1/cb", Confidential: true})
	e.Env["MONZO_CLIENT_SECRET"] = c.Secret
	// The browser is on another machine: it allows, and the user pastes
	// where it was sent.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	l := newLogin(t)
	lios, _, _, _ := iostreams.Test()
	lios.In, lios.Out, lios.ErrOut = pr, l.out, l.errOut
	f := e.Factory(lios)
	f.ProfileFlag = "paste"
	cmd := auth.NewCmdLogin(f, func(ctx context.Context, o *auth.LoginOptions) error {
		o.PollInterval = 5 * time.Millisecond
		return auth.RunLogin(ctx, o)
	})
	cmd.SetArgs([]string{"--paste", "--no-wait", "--client-id", c.ID, "--redirect-url", c.RedirectURI, "--api-url", e.Srv.URL, "--auth-url", e.Srv.URL})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	go func() { l.done <- cmd.ExecuteContext(context.Background()) }()
	loc, err := emulator.SubmitConsent(context.Background(), http.DefaultClient, l.authURL(), emulator.Consent{})
	if err != nil {
		t.Fatal(err)
	}
	pw.WriteString(loc.String() + "\n")
	pw.Close()
	if err := l.wait(); err != nil {
		t.Fatalf("login --paste: %v\n%s", err, l.errOut)
	}
	if p := loadProfile(t, e, "paste"); p == nil || p.ClientID != c.ID || p.TokenStore != config.StoreFile {
		t.Errorf("profile after --paste: %v", p)
	}
}

func TestLoginWithToken(t *testing.T) {
	e := clitest.New(t)
	tok, err := e.Srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.Stdin = tok.AccessToken + "\n"
	res := e.Run("--profile", "playground", "login", "--with-token", "--api-url", e.Srv.URL)
	if res.Code != 0 {
		t.Fatalf("login --with-token: exit %d\n%s", res.Code, res.Err)
	}
	p := loadProfile(t, e, "playground")
	if p == nil || p.ClientID != "" || p.ClientSecret != "" || p.UserID != e.Srv.User.ID {
		t.Fatalf("profile %v", p)
	}
	e.Stdin = ""
	e.MustRun("--profile", "playground", "balance")

	e.Stdin = "not-a-token\n"
	before := len(mustConfig(t, e).ProfileNames())
	if res := e.Run("--profile", "bad", "login", "--with-token", "--api-url", e.Srv.URL); res.Code != 4 {
		t.Errorf("a refused token: exit %d, want 4\n%s", res.Code, res.Err)
	}
	if n := len(mustConfig(t, e).ProfileNames()); n != before {
		t.Errorf("a refused token saved a profile")
	}
}

func mustConfig(t *testing.T, e *clitest.Env) *config.Config {
	cfg, err := config.Load(e.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestLoginBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	e.Env["MONZO_CLIENT_ID"] = "oauth2client_x"
	for _, args := range [][]string{
		{"login", "--token-store", "cloud"},
		{"login", "--paste", "--with-token"},
		{"login", "--redirect-url", "http://example.com/cb", "--client-secret", "s"},
		{"login", "--redirect-url", "http://127.0.0.1:0/cb"},
		{"login", "--api-url", "api.monzo.com"},
		{"--profile", "../etc", "login"},
		{"login", "extra"},
		{"login"},
	} {
		if args[0] != "--profile" {
			// A fresh profile: the default one has a saved login.
			args = append([]string{"--profile", "fresh"}, args...)
		}
		res := e.Refused(args...)
		if !strings.Contains(res.Err, "hint:") {
			t.Errorf("monzo %q: no hint:\n%s", args, res.Err)
		}
	}
}

func TestLoginPromptsForTheSecretWithoutEcho(t *testing.T) {
	e := clitest.New(t)
	c := e.Srv.Emulator.MustRegisterClient(emulator.ClientOptions{Name: "prompt", RedirectURI: "http://127.0.0.1:0/cb", Confidential: true})
	ios, _, _, _ := iostreams.Test()
	out, errOut := &clitest.SyncBuffer{}, &clitest.SyncBuffer{}
	ios.Out, ios.ErrOut = out, errOut
	ios.SetStdinTTY(true)
	asked := false
	ios.SetPasswordReader(func() ([]byte, error) { asked = true; return []byte(c.Secret + "\n"), nil })
	f := e.Factory(ios)
	f.ProfileFlag = "prompt" // the default profile has a saved secret
	cmd := auth.NewCmdLogin(f, nil)
	// The registered redirect has port 0, which the emulator cannot match
	// with the listener's real port: the exchange is refused, but only
	// after the prompt, which is what this test is about.
	cmd.SetArgs([]string{"--client-id", c.ID, "--redirect-url", "http://127.0.0.1:0/cb", "--api-url", e.Srv.URL, "--auth-url", e.Srv.URL, "--no-browser"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	guard, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	for text, more := errOut.Next(); !authURLLine.MatchString(text); text, more = errOut.Next() {
		select {
		case <-more:
		case err := <-done:
			t.Fatalf("login ended: %v\n%s", err, text)
		case <-guard.Done():
			t.Fatalf("no authorization URL printed:\n%s", text)
		}
	}
	cancel()
	<-done
	if !asked || !strings.Contains(errOut.String(), "input hidden") {
		t.Errorf("the secret was not asked for without echo:\n%s", errOut)
	}
	if strings.Contains(errOut.String()+out.String(), c.Secret) {
		t.Errorf("the secret was echoed")
	}
}

// TestLoginInterruptedWhileWaitingKeepsAWholeLogin: Ctrl-C during the
// approval wait leaves the token and its profile both saved.
func TestLoginInterruptedWhileWaitingKeepsAWholeLogin(t *testing.T) {
	e := clitest.New(t)
	l := startLogin(t, e, "ctrlc", "", "--emulator", e.Srv.URL, "--no-browser")
	allow(t, l.authURL(), nil)
	l.waitForText("Waiting for you to approve")
	l.cancel()
	err := l.wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted login: %v", err)
	}
	if code, hint := cmdutil.Classify(err); code != cmdutil.ExitCancel || !strings.Contains(hint, "approve access") {
		t.Errorf("interrupted login: exit %d hint %q", code, hint)
	}
	p := loadProfile(t, e, "ctrlc")
	if p == nil || p.TokenStore != config.StoreFile {
		t.Fatalf("profile after Ctrl-C: %v", p)
	}
	res := e.Run("--profile", "ctrlc", "accounts")
	if res.Code != 4 || !strings.Contains(res.Err, "approve access") {
		t.Errorf("before approval: exit %d, stderr %q; want 4 and the approval hint", res.Code, res.Err)
	}
	e.Srv.Emulator.ApproveAll()
	e.MustRun("--profile", "ctrlc", "accounts")
}

func TestStatusTokenLogout(t *testing.T) {
	e := clitest.New(t)
	e.TTY = true
	e.Golden("status", e.MustRun("auth", "status").Out)
	e.TTY = false
	tok, _ := e.Srv.Login.Token(context.Background())
	if got := strings.TrimSpace(e.MustRun("auth", "token").Out); got != tok.AccessToken {
		t.Errorf("auth token printed %q", got)
	}
	res := e.MustRun("logout")
	if !strings.Contains(res.Err, "revoked and deleted") {
		t.Errorf("logout said %q", res.Err)
	}
	// Revoked at Monzo: the old token is refused.
	if _, err := e.Srv.Client.WhoAmI(context.Background()); !errors.Is(err, monzo.ErrUnauthorized) {
		t.Errorf("the token still works after logout: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "tokens", "default.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file after logout: %v", err)
	}
	for _, args := range [][]string{{"auth", "status"}, {"balance"}, {"auth", "token"}} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code != 4 || !strings.Contains(res.Err, "monzo login") {
			t.Errorf("monzo %q after logout: exit %d, %q", args, res.Code, res.Err)
		}
		if n := e.Requests() - before; n != 0 {
			t.Errorf("monzo %q sent %d requests while logged out", args, n)
		}
	}
}

func TestLogoutKeepsTheTokenWhenMonzoCannotBeReached(t *testing.T) {
	e := clitest.New(t)
	e.EditProfile("default", func(p *config.Profile) { p.APIURL = "http://127.0.0.1:1" }) // nothing listens there
	if res := e.Run("logout"); res.Code == 0 || !strings.Contains(res.Err, "still stored") {
		t.Errorf("logout with Monzo unreachable: exit %d, %q", res.Code, res.Err)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "tokens", "default.json")); err != nil {
		t.Errorf("token deleted although it was not revoked: %v", err)
	}
}

// With the API unreachable (a stopped emulator) `auth status` still shows
// what is stored, says approval is unknown, and exits non-zero with a hint.
func TestStatusWhenTheAPICannotBeReached(t *testing.T) {
	e := clitest.New(t)
	e.EditProfile("default", func(p *config.Profile) { p.APIURL = "http://127.0.0.1:1" }) // nothing listens there
	res := e.Run("auth", "status")
	if res.Code != 1 || !strings.Contains(res.Out, "approval\tunknown: the API could not be reached") ||
		!strings.Contains(res.Out, "user\t"+e.Srv.User.ID) || !strings.Contains(res.Err, "hint: nothing answers at the API address") {
		t.Errorf("auth status with the API unreachable: exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Out, res.Err)
	}
}

// Pasting nothing, or a URL without a code, says what to paste.
func TestLoginPasteSaysWhatToPaste(t *testing.T) {
	e := clitest.New(t)
	c := e.Srv.Emulator.MustRegisterClient(emulator.ClientOptions{Name: "paste", RedirectURI: "http://127.0.0.1:1/cb", Confidential: true})
	e.Env["MONZO_CLIENT_SECRET"] = c.Secret
	for stdin, want := range map[string]string{
		"\n":                        "nothing was pasted",
		"http://127.0.0.1:1/cb\n":   "no authorization code",
		"http://127.0.0.1:1/cb?x\n": "no authorization code",
	} {
		e.Stdin = stdin
		res := e.Run("login", "--profile", "paste", "--paste", "--no-wait", "--client-id", c.ID, "--redirect-url", c.RedirectURI, "--api-url", e.Srv.URL, "--auth-url", e.Srv.URL)
		if res.Code != 2 || !strings.Contains(res.Err, want) || !strings.Contains(res.Err, "hint: run the command again and paste the whole address") || !strings.Contains(res.Err, "http://127.0.0.1:1/cb?code=") {
			t.Errorf("pasted %q: exit %d, want 2, %q and the hint:\n%s", stdin, res.Code, want, res.Err)
		}
	}
}

// A malformed --emulator is reported under that flag's name, and a profile
// name no login can have is a usage error on every command.
func TestLoginEmulatorFlagAndProfileNameErrors(t *testing.T) {
	e := clitest.New(t)
	res := e.Run("login", "--emulator", "127.0.0.1:8080", "--profile", "x")
	if res.Code != 2 || !strings.Contains(res.Err, `--emulator "127.0.0.1:8080"`) || !strings.Contains(res.Err, "e.g. http://127.0.0.1:8080") {
		t.Errorf("login --emulator without a scheme: exit %d\n%s", res.Code, res.Err)
	}
	for _, args := range [][]string{{"balance"}, {"auth", "status"}, {"logout"}} {
		res := e.Run(append(args, "--profile", "bad name")...)
		if res.Code != 2 || !strings.Contains(res.Err, `profile name "bad name" is not valid`) {
			t.Errorf("monzo %q --profile 'bad name': exit %d\n%s", args, res.Code, res.Err)
		}
	}
}
