package auth_test

import (
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/monzokit/monzo/internal/cli/auth"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
)

// A redirect on port 80 (http://127.0.0.1/monzo, say) cannot be listened
// on without root: the error says why and, for an emulator, the command
// that works.
func TestLoginRedirectOnAPrivilegedPort(t *testing.T) {
	bind := &net.OpError{Op: "listen", Net: "tcp", Err: os.NewSyscallError("bind", syscall.EACCES)}
	err := auth.ListenError(fmt.Errorf("oauth: listening for the redirect on 127.0.0.1: %w", bind), "http://127.0.0.1/monzo", "http://127.0.0.1:8080")
	code, hint := cmdutil.Classify(err)
	if code != cmdutil.ExitUsage || !strings.Contains(err.Error(), "only root may use a port below 1024") ||
		!strings.Contains(hint, "monzo login --emulator http://127.0.0.1:8080") {
		t.Errorf("exit %d, %v\nhint: %s", code, err, hint)
	}
	_, hint = cmdutil.Classify(auth.ListenError(bind, "http://127.0.0.1/cb", "https://api.monzo.com"))
	if strings.Contains(hint, "--emulator") || !strings.Contains(hint, "http://127.0.0.1:8789/callback") {
		t.Errorf("against Monzo the hint is %q", hint)
	}

	if os.Geteuid() == 0 {
		return // root may listen on port 80: the real run below needs a user
	}
	e := clitest.New(t)
	before := e.Requests()
	res := e.Run("login", "--client-id", "oauth2client_x", "--client-secret", "s", "--redirect-url", "http://127.0.0.1/monzo",
		"--api-url", e.Srv.URL, "--auth-url", e.Srv.URL, "--no-browser", "--profile", "port80")
	if res.Code != 2 || !strings.Contains(res.Err, "only root may use a port below 1024") || !strings.Contains(res.Err, "monzo login --emulator "+e.Srv.URL) {
		t.Errorf("login on port 80: exit %d\n%s", res.Code, res.Err)
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("sent %d requests", n)
	}
}

// A redirect port another program holds is reported as such, before
// anything is sent.
func TestLoginRedirectPortInUse(t *testing.T) {
	e := clitest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://%s/callback", ln.Addr())
	before := e.Requests()
	res := e.Run("login", "--client-id", "oauth2client_x", "--client-secret", "s", "--redirect-url", redirect,
		"--api-url", e.Srv.URL, "--auth-url", e.Srv.URL, "--no-browser", "--profile", "busy")
	if res.Code != 2 || !strings.Contains(res.Err, "another program already listens there") || !strings.Contains(res.Err, redirect) {
		t.Errorf("login on a busy port: exit %d\n%s", res.Code, res.Err)
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("sent %d requests", n)
	}
}
