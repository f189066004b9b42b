package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
	"github.com/monzokit/monzo/oauth"
)

// TestNoCommandPrintsASecret runs every command of the monzo CLI against
// the emulator (plain, with --json and with --debug), a login through the
// loopback listener, and the error paths that handle secrets (a wrong
// client secret at refresh and at login, a proxy page echoing the request,
// a pasted token), and checks that no secret appears in what any of them
// printed. The secrets are not guessed from their shape: a recording
// transport under the CLI's HTTP client collects every token, code and
// client secret that crossed the wire (Authorization headers, token
// requests' forms, token and control-plane answers), plus every client
// secret the emulator knows. The one exception is `monzo auth token`,
// whose standard output is the access token, by design, and nothing else.
//
// It lives in package auth_test for the loopback login's helpers; every
// runnable command of the tree must appear in the table below, or in skipped
// with the reason, so a new command cannot be left out.
func TestNoCommandPrintsASecret(t *testing.T) {
	rec := &secretRecorder{seen: map[string]bool{}}
	e := clitest.New(t)
	e.Customize = func(f *cmdutil.Factory) {
		orig := f.HTTPClient
		f.HTTPClient = sync.OnceValues(func() (*http.Client, error) {
			hc, err := orig()
			if err != nil {
				return nil, err
			}
			c := *hc
			c.Transport = &recordingTransport{rec: rec, next: hc.Transport}
			return &c, nil
		})
	}
	var outputs []printed
	run := func(args ...string) clitest.Result {
		t.Helper()
		res := e.Run(args...)
		outputs = append(outputs, printed{args: args, res: res})
		return res
	}
	dir := t.TempDir()
	img := filepath.Join(dir, "receipt.png")
	receipt := filepath.Join(dir, "receipt.json")
	writeFile(t, img, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	writeFile(t, receipt, `{"external_id": "shop-1", "total": 1250, "currency": "GBP", "items": [{"description": "Beans", "amount": 1250, "currency": "GBP", "quantity": 1}]}`)
	tx := strings.TrimSpace(e.MustRun("transactions", "--since", "7d", "--json", "--jq", ".[-1].id").Out)
	pot := strings.TrimSpace(e.MustRun("pots", "--json", "--jq", ".[0].id").Out)
	if tx == "" || pot == "" {
		t.Fatal("no transaction or pot to work on")
	}

	// A login through the loopback listener, as a browser would do it.
	l := startLogin(t, e, "emu", "", "--emulator", e.Srv.URL, "--no-browser", "--json")
	allow(t, l.authURL(), nil)
	l.waitForText("Waiting for you to approve")
	e.Srv.Emulator.ApproveAll()
	if err := l.wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, l.errOut)
	}
	outputs = append(outputs, printed{args: []string{"login", "--emulator"}, res: clitest.Result{Out: l.out.String(), Err: l.errOut.String()}})

	// Every command, and how to run it. Each runs as is, with --json
	// when it has the flag, and with --debug.
	var attachmentID string
	commands := map[string][]func() []string{
		"monzo login": {func() []string {
			// A pasted token (stdin) is a secret too.
			e.Stdin = currentToken(t, e, config.DefaultProfile).AccessToken + "\n"
			return []string{"--profile", "pasted", "login", "--with-token", "--api-url", e.Srv.URL}
		}},
		"monzo auth status":           {args("auth", "status"), args("--profile", "emu", "auth", "status")},
		"monzo auth token":            {args("auth", "token")},
		"monzo whoami":                {args("whoami")},
		"monzo accounts":              {args("accounts", "--all")},
		"monzo balance":               {args("balance")},
		"monzo pots":                  {args("pots", "--all")},
		"monzo pots deposit":          {args("pots", "deposit", pot, "1", "--yes")},
		"monzo pots withdraw":         {args("pots", "withdraw", pot, "1", "--yes")},
		"monzo transactions":          {args("transactions", "--since", "7d")},
		"monzo transactions show":     {args("transactions", "show", tx)},
		"monzo transactions annotate": {args("transactions", "annotate", tx, "trip=lisbon")},
		"monzo transactions notes":    {args("transactions", "notes", tx, "dinner")},
		"monzo feed post":             {args("feed", "post", "--title", "Hello", "--image-url", "https://example.com/i.png")},
		"monzo attachments add": {func() []string {
			return []string{"attachments", "add", tx, img}
		}},
		"monzo attachments remove": {func() []string {
			if attachmentID == "" {
				var att monzo.Attachment
				decodeJSON(t, e.MustRun("attachments", "add", tx, img, "--json").Out, &att)
				attachmentID = att.ID
			}
			id := attachmentID
			attachmentID = ""
			return []string{"attachments", "remove", id}
		}},
		"monzo receipts set":  {args("receipts", "set", tx, receipt)},
		"monzo receipts show": {args("receipts", "show", "shop-1")},
		"monzo receipts delete": {func() []string {
			e.MustRun("receipts", "set", tx, receipt)
			return []string{"receipts", "delete", "shop-1"}
		}},
		"monzo webhooks add":  {args("webhooks", "add", "https://example.com/hook?token=hooksecret-"+tx)},
		"monzo webhooks list": {args("webhooks", "list")},
		"monzo webhooks remove": {func() []string {
			e.MustRun("webhooks", "add", "https://example.com/gone")
			hooks := e.Srv.Emulator.Webhooks()
			return []string{"webhooks", "remove", hooks[len(hooks)-1].ID}
		}},
		"monzo api":  {args("api", "GET", "/ping/whoami"), args("api", "GET", "/accounts")},
		"monzo sync": {args("sync")},
		"monzo export": {func() []string {
			e.MustRun("sync")
			return []string{"export", "--format", "json", "-o", filepath.Join(dir, "export.json")}
		}},
		"monzo report": {func() []string {
			e.MustRun("sync")
			return []string{"report"}
		}},
		"monzo demo": {args("demo")},
	}
	// Commands not run here, and why.
	skipped := map[string]string{
		"monzo emulator":        "runs a server until interrupted; it prints its own emulator's client, by design, for pasting",
		"monzo webhooks listen": "runs a server until interrupted; it prints only the events it receives",
		"monzo logout":          "run last, below, since it ends the login",
	}
	visited := map[string]bool{}
	ios, _, _, _ := iostreams.Test()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		// A command with subcommands runs for itself when it lists
		// something (it has --json); the others only print help.
		if c.Runnable() && (!c.HasSubCommands() || c.Flags().Lookup("json") != nil) {
			path := c.CommandPath()
			visited[path] = true
			runs, ok := commands[path]
			if _, skip := skipped[path]; !ok && !skip {
				t.Errorf("%s is not in this test's table: add a run of it", path)
			}
			for _, argsOf := range runs {
				variants := [][]string{nil, {"--debug"}}
				if c.Flags().Lookup("json") != nil {
					variants = append(variants, []string{"--json"})
				}
				for _, extra := range variants {
					a := append(argsOf(), extra...)
					res := run(a...)
					e.Stdin = ""
					if res.Code != 0 {
						t.Errorf("monzo %s: exit %d\n%s", strings.Join(a, " "), res.Code, res.Err)
					}
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root.NewCmd(cmdutil.New(ios, func(string) string { return "" })))
	for path := range commands {
		if !visited[path] {
			t.Errorf("the table names %q, which is not a command", path)
		}
	}

	// Error paths that hold secrets.
	right := e.Srv.Login.Config.ClientSecret
	wrong := "mnzconf.WrongSecretOfTheRightShape0123456789"
	rec.add(wrong)
	e.EditProfile(config.DefaultProfile, func(p *config.Profile) { p.ClientSecret = wrong })
	e.Srv.Clock.Advance(emulator.DefaultAccessTokenTTL + time.Minute) // the next command must refresh
	for _, a := range [][]string{{"balance"}, {"--debug", "balance"}, {"auth", "token"}, {"balance", "--json"}} {
		if res := run(a...); res.Code == 0 {
			t.Errorf("monzo %s with a wrong client secret succeeded", strings.Join(a, " "))
		}
	}
	e.EditProfile(config.DefaultProfile, func(p *config.Profile) { p.ClientSecret = right })
	e.MustRun("balance")

	// A proxy's error page that echoes the request, credentials included.
	tok := currentToken(t, e, config.DefaultProfile)
	echo := "<html><body>502 Bad Gateway. Request: GET /balance Authorization: Bearer " + tok.AccessToken +
		" refresh_token=" + tok.RefreshToken + "&client_secret=" + right + "</body></html>"
	for _, a := range [][]string{{"balance"}, {"--debug", "whoami"}, {"api", "GET", "/ping/whoami"}} {
		if err := e.Srv.Emulator.InjectFault(emulator.Fault{Status: http.StatusBadGateway, Times: 10, Body: echo}); err != nil {
			t.Fatal(err)
		}
		if res := run(a...); res.Code == 0 {
			t.Errorf("monzo %s through an echoing proxy succeeded", strings.Join(a, " "))
		}
		e.Srv.Emulator.ClearFaults()
	}

	// A login whose code exchange is refused for a wrong client secret.
	c := e.Srv.Emulator.MustRegisterClient(emulator.ClientOptions{Name: "wrong", RedirectURI: "http://" + freeAddr(t) + "/cb", Confidential: true})
	bad := startLogin(t, e, "wrong", "", "--client-id", c.ID, "--client-secret", wrong, "--redirect-url", c.RedirectURI,
		"--api-url", e.Srv.URL, "--auth-url", e.Srv.URL, "--no-browser")
	allow(t, bad.authURL(), nil)
	if err := bad.wait(); err == nil {
		t.Error("a login with a wrong client secret succeeded")
	}
	outputs = append(outputs, printed{args: []string{"login", "--client-secret", "(wrong)"}, res: clitest.Result{Out: bad.out.String(), Err: bad.errOut.String()}})

	for _, a := range [][]string{{"logout"}, {"--profile", "emu", "logout", "--json"}, {"balance"}} {
		run(a...)
	}

	// Every secret the emulator's clients hold, and every one that crossed
	// the wire, checked against everything every command printed.
	for _, cl := range e.Srv.Emulator.Clients() {
		rec.add(cl.Secret)
	}
	secrets := rec.list()
	var kinds = map[string]bool{}
	for _, s := range secrets {
		kinds[strings.SplitN(strings.SplitN(s, "_", 2)[0], ".", 2)[0]] = true
	}
	for _, want := range []string{"acctok", "reftok", "authzcode", "mnzconf"} {
		if !kinds[want] {
			t.Fatalf("the recorder saw no %s secret (saw %v): the test would prove nothing", want, kinds)
		}
	}
	for _, p := range outputs {
		out, errOut := p.res.Out, p.res.Err
		if len(p.args) >= 2 && p.args[0] == "auth" && p.args[1] == "token" && p.res.Code == 0 {
			// By design: the access token, alone on standard output.
			printed := strings.TrimSpace(out)
			if !strings.HasPrefix(printed, "acctok_") || out != printed+"\n" || !rec.has(printed) {
				t.Errorf("monzo auth token printed %q, want one access token", out)
			}
			out = ""
		}
		for _, s := range secrets {
			if strings.Contains(out, s) || strings.Contains(errOut, s) {
				t.Errorf("monzo %s printed a secret (%.12s…):\nstdout:\n%s\nstderr:\n%s", strings.Join(p.args, " "), s, p.res.Out, p.res.Err)
			}
		}
	}
	t.Logf("%d runs checked against %d secrets", len(outputs), len(secrets))
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// printed is what one run wrote.
type printed struct {
	args []string
	res  clitest.Result
}

func args(a ...string) func() []string { return func() []string { return a } }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func decodeJSON(t *testing.T, data string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(data), v); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
}

// currentToken reads a profile's stored token.
func currentToken(t *testing.T, e *clitest.Env, profile string) *oauth.Token {
	t.Helper()
	fs, err := oauth.NewFileStore(filepath.Join(e.Dir, "tokens", profile+".json"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := fs.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// secretRecorder collects every secret it is shown.
type secretRecorder struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (r *secretRecorder) add(s string) {
	if len(s) < 8 { // nothing shorter is a secret of ours; it would match ordinary text
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[s] = true
}

func (r *secretRecorder) has(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[s]
}

func (r *secretRecorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.seen))
	for s := range r.seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// secretKeys are the form and query keys whose values are secrets;
// jsonSecretKeys the JSON ones ("code" in a JSON answer is an error code;
// authorization codes arrive by redirect and leave in a form).
var (
	secretKeys     = map[string]bool{"access_token": true, "refresh_token": true, "client_secret": true, "code": true}
	jsonSecretKeys = map[string]bool{"access_token": true, "refresh_token": true, "client_secret": true}
)

// recordingTransport shows the recorder every secret a request sends or an
// answer carries.
type recordingTransport struct {
	rec  *secretRecorder
	next http.RoundTripper
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if auth := req.Header.Get("Authorization"); auth != "" {
		t.rec.add(strings.TrimPrefix(auth, "Bearer "))
	}
	t.recordForm(req.URL.Query())
	if req.GetBody != nil && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if body, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(body)
			body.Close()
			if form, err := url.ParseQuery(string(data)); err == nil {
				t.recordForm(form)
			}
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		var v any
		if json.Unmarshal(data, &v) == nil {
			t.recordJSON(v)
		}
	}
	return resp, nil
}

func (t *recordingTransport) recordForm(form url.Values) {
	for k, vs := range form {
		if secretKeys[k] {
			for _, v := range vs {
				t.rec.add(v)
			}
		}
	}
}

func (t *recordingTransport) recordJSON(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && jsonSecretKeys[k] {
				t.rec.add(s)
			}
			t.recordJSON(x)
		}
	case []any:
		for _, x := range v {
			t.recordJSON(x)
		}
	}
}
