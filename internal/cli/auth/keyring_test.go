package auth_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/oauth"
)

// approveWhenWaiting approves the login once the CLI waits for it.
func approveWhenWaiting(t *testing.T, e *clitest.Env, l *login) {
	t.Helper()
	l.waitForText("Waiting for you to approve")
	e.Srv.Emulator.ApproveAll()
}

// TestLoginFallsBackToTheFileWithoutASecretService uses the real OS
// keyring on a session bus that does not exist, as on a server or in CI:
// login must say so in one line and keep the token in the 0600 file.
func TestLoginFallsBackToTheFileWithoutASecretService(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	e := clitest.New(t)
	e.Customize = func(f *cmdutil.Factory) { f.Keyring = authstore.SystemKeyring{Timeout: 10 * time.Second} }
	l := startLogin(t, e, "nokeyring", "", "--emulator", e.Srv.URL, "--no-browser")
	allow(t, l.authURL(), nil)
	approveWhenWaiting(t, e, l)
	if err := l.wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, l.errOut)
	}
	path := filepath.Join(e.Dir, "tokens", "nokeyring.json")
	var notice string
	for _, line := range strings.Split(l.errOut.String(), "\n") {
		if strings.HasPrefix(line, "Notice:") {
			notice = line
		}
	}
	if !strings.Contains(notice, "no system keyring answered") || !strings.Contains(notice, path) {
		t.Errorf("no one-line notice naming %s:\n%s", path, l.errOut)
	}
	// The keyring library's own words (a D-Bus address, a program it
	// could not run) are for --debug only.
	if strings.Contains(l.errOut.String(), "no-bus") || strings.Contains(l.errOut.String(), "exec:") || strings.Contains(l.errOut.String(), "debug: keyring") {
		t.Errorf("the notice shows the keyring's raw error without --debug:\n%s", l.errOut)
	}
	if p := loadProfile(t, e, "nokeyring"); p == nil || p.TokenStore != config.StoreFile {
		t.Errorf("profile %v, want the file store", p)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("token file: %v", err)
	}

	// With --debug the underlying error is shown too.
	e.Customize = func(f *cmdutil.Factory) {
		f.Keyring = authstore.SystemKeyring{Timeout: 10 * time.Second}
		f.Debug = true
	}
	l = startLogin(t, e, "nokeyring-debug", "", "--emulator", e.Srv.URL, "--no-browser")
	allow(t, l.authURL(), nil)
	approveWhenWaiting(t, e, l)
	if err := l.wait(); err != nil {
		t.Fatalf("login --debug: %v\n%s", err, l.errOut)
	}
	var debugLine string
	for _, line := range strings.Split(l.errOut.String(), "\n") {
		if strings.HasPrefix(line, "debug: keyring: ") {
			debugLine = line
		}
	}
	if len(debugLine) <= len("debug: keyring: ") || !strings.Contains(l.errOut.String(), "Notice: no system keyring answered") {
		t.Errorf("--debug does not show the keyring's error under the notice:\n%s", l.errOut)
	}
}

// TestLoginUsesTheKeyringAndSavesRotatedTokensThere logs in with a working
// keyring, then crosses the token's expiry: the next command refreshes,
// and the rotated refresh token must be in the keyring (never in a file).
func TestLoginUsesTheKeyringAndSavesRotatedTokensThere(t *testing.T) {
	e := clitest.New(t)
	kr := clitest.NewMemKeyring()
	e.Customize = func(f *cmdutil.Factory) { f.Keyring = kr }
	l := startLogin(t, e, "kr", "", "--emulator", e.Srv.URL, "--no-browser")
	allow(t, l.authURL(), nil)
	approveWhenWaiting(t, e, l)
	if err := l.wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, l.errOut)
	}
	if strings.Contains(l.errOut.String(), "Notice:") {
		t.Errorf("fallback notice with a working keyring:\n%s", l.errOut)
	}
	if p := loadProfile(t, e, "kr"); p == nil || p.TokenStore != config.StoreKeyring {
		t.Fatalf("profile %v, want the keyring", p)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "tokens", "kr.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a token file exists beside the keyring: %v", err)
	}
	first := keyringToken(t, kr)

	e.Srv.Clock.Advance(31 * time.Hour)
	e.MustRun("--profile", "kr", "balance")
	second := keyringToken(t, kr)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatal("the refresh did not save the rotated token to the keyring")
	}
	// The saved token is the live one: another run uses it without refreshing again.
	e.MustRun("--profile", "kr", "whoami")
	if third := keyringToken(t, kr); third.RefreshToken != second.RefreshToken {
		t.Errorf("a valid token was refreshed again")
	}
	res := e.MustRun("--profile", "kr", "auth", "status")
	if !strings.Contains(res.Out, "keyring") {
		t.Errorf("auth status does not say the token is in the keyring:\n%s", res.Out)
	}
	e.MustRun("--profile", "kr", "logout")
	if kr.Len() != 0 {
		t.Errorf("logout left %d keyring entries", kr.Len())
	}
}

func keyringToken(t *testing.T, kr *clitest.MemKeyring) *oauth.Token {
	t.Helper()
	vals := kr.Values()
	if len(vals) != 1 {
		t.Fatalf("keyring holds %d entries, want 1", len(vals))
	}
	var tok oauth.Token
	if err := json.Unmarshal([]byte(vals[0]), &tok); err != nil {
		t.Fatal(err)
	}
	return &tok
}
