package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// login runs step 1 and the consent page against the emulator and returns
// step 2's environment, with the redirect as MONZO_REDIRECTED_URL. The
// redirect's code and state are also under "code" and "state" (not
// variables step 2 reads) for the tests that use MONZO_CODE.
func login(t *testing.T, srv *monzotest.Server, consent emulator.Consent) map[string]string {
	t.Helper()
	client := srv.Emulator.DefaultClient()
	cfg := &oauth.Config{ClientID: client.ID, RedirectURL: client.RedirectURI, AuthURL: srv.URL}
	state, err := oauth.NewState()
	if err != nil {
		t.Fatal(err)
	}
	redirected, err := emulator.SubmitConsent(context.Background(), srv.HTTPClient, cfg.AuthCodeURL(state), consent)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"MONZO_CLIENT_ID":      client.ID,
		"MONZO_CLIENT_SECRET":  client.Secret,
		"MONZO_REDIRECT_URL":   client.RedirectURI,
		"MONZO_API_URL":        srv.URL,
		"MONZO_STATE":          state,
		"MONZO_REDIRECTED_URL": redirected.String(),
		"MONZO_TOKEN_FILE":     filepath.Join(t.TempDir(), "token.json"),
		"code":                 redirected.Query().Get("code"),
		"state":                redirected.Query().Get("state"),
	}
}

// useCode switches env from MONZO_REDIRECTED_URL to MONZO_CODE and
// MONZO_RETURNED_STATE.
func useCode(env map[string]string, returnedState string) {
	delete(env, "MONZO_REDIRECTED_URL")
	env["MONZO_CODE"] = env["code"]
	env["MONZO_RETURNED_STATE"] = returnedState
}

// runWith runs step 2 and returns its exit status and its stdout and
// stderr together (runSplit keeps them apart).
func runWith(env map[string]string, printTokens bool) (int, string) {
	code, out, errOut := runSplit(env, printTokens)
	return code, out + errOut
}

func runSplit(env map[string]string, printTokens bool, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	if printTokens {
		args = append(args, "-print-tokens")
	}
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func loadSaved(t *testing.T, path string) *oauth.Token {
	t.Helper()
	store, err := oauth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// assertNoTokenFile fails if step 2 saved anything.
func assertNoTokenFile(t *testing.T, env map[string]string) {
	t.Helper()
	if _, err := os.Stat(env["MONZO_TOKEN_FILE"]); !os.IsNotExist(err) {
		t.Error("a token file was written although step 2 failed")
	}
}

// assertCodeUnspent proves a failed run sent no exchange: the single-use
// code still works with the right state.
func assertCodeUnspent(t *testing.T, env map[string]string) {
	t.Helper()
	good := map[string]string{}
	for k, v := range env {
		good[k] = v
	}
	useCode(good, env["state"])
	if code, out := runWith(good, false); code != 0 {
		t.Fatalf("the code was spent by the failed run (exit %d):\n%s", code, out)
	}
}

func TestExchangesRedirectedURLAndSaves(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	code, out := runWith(env, false)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tok := loadSaved(t, env["MONZO_TOKEN_FILE"])
	if tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("saved token lacks refresh token or expiry: %v", tok)
	}
	if strings.Contains(out, tok.AccessToken) || strings.Contains(out, tok.RefreshToken) || strings.Contains(out, env["code"]) {
		t.Errorf("output should redact the tokens and the code:\n%s", out)
	}
	for _, want := range []string{"saved to " + env["MONZO_TOKEN_FILE"], "MONZO_TOKEN_FILE", "approve access in the Monzo app"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExchangesCodeAndReturnedState(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	useCode(env, env["state"])
	if code, out := runWith(env, false); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if tok := loadSaved(t, env["MONZO_TOKEN_FILE"]); tok.AccessToken == "" {
		t.Error("no token saved")
	}
}

// TestDefaultTokenFile checks that without MONZO_TOKEN_FILE the token goes
// to the user's configuration directory, in a private monzo directory, and
// never to the current directory (which may be a git checkout).
func TestDefaultTokenFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sets XDG_CONFIG_HOME, which os.UserConfigDir reads on Linux")
	}
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	delete(env, "MONZO_TOKEN_FILE")
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	cwd := t.TempDir()
	t.Chdir(cwd)
	code, out := runWith(env, false)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
		t.Errorf("step 2 wrote %s to the current directory", entries[0].Name())
	}
	if fi, err := os.Stat(filepath.Join(config, "monzo")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the token directory: %v, %v; want mode 0700", fi, err)
	}
	want := filepath.Join(config, "monzo", "monzo-token.json")
	if tok := loadSaved(t, want); tok.AccessToken == "" {
		t.Error("no token saved")
	}
	if !strings.Contains(out, "saved to "+want) {
		t.Errorf("output does not name %s:\n%s", want, out)
	}
}

func TestPrintTokensOnRequest(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	code, out := runWith(env, true)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tok := loadSaved(t, env["MONZO_TOKEN_FILE"])
	if !strings.Contains(out, "access_token = '"+tok.AccessToken+"'") || !strings.Contains(out, "refresh_token = '"+tok.RefreshToken+"'") {
		t.Errorf("-print-tokens did not print the tokens:\n%s", out)
	}
}

func TestStateMismatchBranch(t *testing.T) {
	tests := []struct {
		name  string
		setup func(env map[string]string)
	}{
		{"redirected URL with a forged state", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?code=" + env["code"] + "&state=forged"
		}},
		{"redirected URL without a state", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?code=" + env["code"]
		}},
		{"code with a forged returned state", func(env map[string]string) {
			useCode(env, "forged")
		}},
		{"code with step 1's state from another login", func(env map[string]string) {
			useCode(env, env["state"])
			other, _ := oauth.NewState()
			env["MONZO_STATE"] = other
		}},
		{"redirected URL without a code", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?state=" + env["state"]
		}},
		{"redirected URL without a query", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := monzotest.NewServer(t)
			env := login(t, srv, emulator.Consent{})
			tt.setup(env)
			code, out := runWith(env, false)
			if code != 1 || !strings.Contains(out, "State code does not match") {
				t.Fatalf("exit %d, output %q", code, out)
			}
			if strings.Contains(out, env["code"]) {
				t.Errorf("output leaks the code: %q", out)
			}
			assertNoTokenFile(t, env)
			if env["MONZO_STATE"] == env["state"] {
				assertCodeUnspent(t, env)
			}
		})
	}
}

func TestAccessDeniedBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{Deny: true})
	code, out := runWith(env, false)
	if code != 1 || !strings.Contains(out, "State code does not match") || !strings.Contains(out, "denied") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	assertNoTokenFile(t, env)
}

func TestMissingReturnedState(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	useCode(env, "")
	code, out := runWith(env, false)
	if code != 1 || !strings.Contains(out, "MONZO_RETURNED_STATE is not set") || !strings.Contains(out, "MONZO_REDIRECTED_URL") {
		t.Fatalf("exit %d, output %q; want a message naming MONZO_RETURNED_STATE", code, out)
	}
	assertNoTokenFile(t, env)
	assertCodeUnspent(t, env)
}

func TestMissingInputs(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})

	noState := map[string]string{}
	for k, v := range env {
		noState[k] = v
	}
	delete(noState, "MONZO_STATE")
	if code, out := runWith(noState, false); code != 1 || !strings.Contains(out, "MONZO_STATE is not set") {
		t.Errorf("without MONZO_STATE: exit %d, output %q", code, out)
	}

	delete(env, "MONZO_REDIRECTED_URL")
	if code, out := runWith(env, false); code != 1 || !strings.Contains(out, "set MONZO_REDIRECTED_URL") {
		t.Errorf("without a redirect: exit %d, output %q", code, out)
	}
	assertNoTokenFile(t, env)
	assertCodeUnspent(t, env)
}

func TestServerErrorBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	if code, out := runWith(env, false); code != 0 {
		t.Fatalf("first exchange failed:\n%s", out)
	}
	code, out := runWith(env, false) // the code is single-use
	if code != 1 || !strings.Contains(out, "Monzo Server Error") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	if strings.Contains(out, env["code"]) || strings.Contains(out, env["MONZO_CLIENT_SECRET"]) {
		t.Error("the error output leaks the code or the secret")
	}
}

func TestUnsafeTokenDirectoryStillShowsToken(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	env["MONZO_TOKEN_FILE"] = filepath.Join(dir, "token.json")
	code, out := runWith(env, false)
	if code != 0 || !strings.Contains(out, "could not save the token") || !strings.Contains(out, "chmod 700 "+dir) || strings.Contains(out, "(redacted)") {
		t.Fatalf("exit %d, output %q; want the refusal, its fix and the tokens in full", code, out)
	}
	assertNoTokenFile(t, env)
}

func TestUsage(t *testing.T) {
	code, out, errOut := runSplit(nil, false, "-h")
	if code != 0 || errOut != "" {
		t.Fatalf("-h: exit %d, stderr %q", code, errOut)
	}
	for _, v := range []string{"usage:", "-print-tokens", "MONZO_CLIENT_ID", "MONZO_CLIENT_SECRET", "MONZO_REDIRECT_URL", "MONZO_STATE",
		"MONZO_REDIRECTED_URL", "MONZO_CODE", "MONZO_RETURNED_STATE", "MONZO_TOKEN_FILE", "MONZO_API_URL"} {
		if !strings.Contains(out, v) {
			t.Errorf("usage lacks %s:\n%s", v, out)
		}
	}
	if code, out, errOut := runSplit(nil, false, "-nonsense"); code != 2 || out != "" || !strings.Contains(errOut, "usage:") {
		t.Errorf("bad flag: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestErrorsGoToStderr checks each failure writes nothing to stdout.
func TestErrorsGoToStderr(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	for name, edit := range map[string]func(map[string]string){
		"no state":     func(e map[string]string) { delete(e, "MONZO_STATE") },
		"forged state": func(e map[string]string) { e["MONZO_STATE"] = "forged" },
		"no redirect":  func(e map[string]string) { delete(e, "MONZO_REDIRECTED_URL") },
		"wrong secret": func(e map[string]string) { e["MONZO_CLIENT_SECRET"] = "mnzconf.wrong" },
	} {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		edit(e)
		code, out, errOut := runSplit(e, false)
		if code != 1 || out != "" || errOut == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and the error on stderr only", name, code, out, errOut)
		}
	}
}

func TestHints(t *testing.T) {
	srv := monzotest.NewServer(t)
	// A port nothing listens on: take one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, c := range []struct {
		name string
		edit func(map[string]string)
		want []string
	}{
		{"wrong client secret", func(e map[string]string) { e["MONZO_CLIENT_SECRET"] = "mnzconf.wrong" },
			[]string{"Monzo Server Error", "MONZO_CLIENT_SECRET", "developers.monzo.com"}},
		{"redirected URL without a code", func(e map[string]string) {
			e["MONZO_REDIRECTED_URL"] = e["MONZO_REDIRECT_URL"] + "?state=" + e["state"]
		},
			[]string{"no code", "whole URL", "address bar"}},
		{"refused connection", func(e map[string]string) { e["MONZO_API_URL"] = closed },
			[]string{"MONZO_API_URL", "emulator", "running", closed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := login(t, srv, emulator.Consent{})
			c.edit(env)
			code, _, errOut := runSplit(env, false)
			if code != 1 {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, env["code"]) || strings.Contains(errOut, env["MONZO_CLIENT_SECRET"]) {
				t.Errorf("stderr leaks a secret:\n%s", errOut)
			}
		})
	}
}

// TestEmulatorApproveInstructions follows the approval command step 2
// prints against an emulator and checks the token then reads data.
func TestEmulatorApproveInstructions(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	code, out, errOut := runSplit(env, false)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	m := regexp.MustCompile(`curl -X POST (\S+) -d '([^']*)'`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no approval command in:\n%s", out)
	}
	if m[1] != srv.URL+"/_emulator/approve" {
		t.Errorf("approve URL %s, want %s/_emulator/approve", m[1], srv.URL)
	}
	tok := loadSaved(t, env["MONZO_TOKEN_FILE"])
	client, err := monzo.NewClient(monzo.WithAccessToken(tok.AccessToken), monzo.WithBaseURL(srv.URL), monzo.WithHTTPClient(srv.HTTPClient))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.Accounts.List(ctx, nil); !errors.Is(err, monzo.ErrInsufficientPermissions) {
		t.Fatalf("before approval: %v, want ErrInsufficientPermissions", err)
	}
	resp, err := srv.HTTPClient.Post(m[1], "application/json", strings.NewReader(m[2]))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	if _, err := client.Accounts.List(ctx, nil); err != nil {
		t.Fatalf("after following the printed approval: %v", err)
	}
}
