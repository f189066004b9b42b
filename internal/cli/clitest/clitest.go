// Package clitest runs the monzo command against an in-process emulator
// for tests: a configuration directory with a logged-in profile, a
// request counter, and golden-file comparison.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// Update rewrites golden files instead of comparing with them:
// go test ./internal/cli/... -update
var Update = flag.Bool("update", false, "rewrite testdata/*.golden")

// SecretShapes match any token, code or client secret long enough to use.
var SecretShapes = regexp.MustCompile(`(acctok|reftok|authzcode)_[A-Za-z0-9]{4,}|mnz(conf|pub)\.[A-Za-z0-9]{4,}`)

// Env is an emulator with a profile logged in to it.
type Env struct {
	T   testing.TB
	Srv *monzotest.Server
	// Dir is the configuration directory (MONZO_CONFIG_DIR).
	Dir string
	// Env is the environment the command sees.
	Env map[string]string
	// TTY makes stdout, stdin and stderr terminals (colour stays off).
	TTY bool
	// Stdin is what the command reads.
	Stdin string
	// Customize, when set, adjusts each run's factory.
	Customize func(*cmdutil.Factory)

	requests atomic.Int64
}

// countingHandler counts the emulator's request log lines.
type countingHandler struct{ n *atomic.Int64 }

func (h countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "request" {
		h.n.Add(1)
	}
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }

// New starts an emulator with the primary user logged in and approved,
// and writes a "default" profile holding that login (file store).
func New(t testing.TB, opts ...monzotest.Option) *Env {
	t.Helper()
	e := &Env{T: t, Dir: t.TempDir()}
	// Commands read XDG_DATA_HOME through the factory (e.Env below); the
	// process's own is pointed at the same place, so that anything reading
	// it directly still stays away from the real home directory.
	t.Setenv("XDG_DATA_HOME", filepath.Join(e.Dir, "data"))
	logger := slog.New(countingHandler{&e.requests})
	opts = append([]monzotest.Option{monzotest.WithEmulatorOptions(emulator.Options{Logger: logger})}, opts...)
	e.Srv = monzotest.NewServer(t, opts...)
	// Local history's default place is inside the test's directory too.
	e.Env = map[string]string{"MONZO_CONFIG_DIR": e.Dir, "MONZO_NO_KEYRING": "1", "XDG_DATA_HOME": filepath.Join(e.Dir, "data")}
	tok, err := e.Srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.WriteProfile(config.DefaultProfile, e.Srv.Login.Config, tok)
	return e
}

// WriteProfile saves a profile for oc holding tok in the file store.
func (e *Env) WriteProfile(name string, oc *oauth.Config, tok *oauth.Token) {
	e.T.Helper()
	cfg, err := config.Load(e.Dir)
	if err != nil {
		e.T.Fatal(err)
	}
	cfg.SetProfile(name, &config.Profile{
		ClientID: oc.ClientID, ClientSecret: oc.ClientSecret, RedirectURL: oc.RedirectURL,
		APIURL: e.Srv.URL, AuthURL: e.Srv.URL, TokenStore: config.StoreFile, UserID: tok.UserID,
	})
	if err := cfg.Save(); err != nil {
		e.T.Fatal(err)
	}
	fs, err := oauth.NewFileStore(cfg.TokenFile(name))
	if err != nil {
		e.T.Fatal(err)
	}
	if err := fs.Save(context.Background(), tok); err != nil {
		e.T.Fatal(err)
	}
}

// EditProfile changes a saved profile (an API URL where nothing listens, a
// wrong client secret).
func (e *Env) EditProfile(name string, edit func(*config.Profile)) {
	e.T.Helper()
	cfg, err := config.Load(e.Dir)
	if err != nil {
		e.T.Fatal(err)
	}
	p := *cfg.Profile(name)
	edit(&p)
	cfg.SetProfile(name, &p)
	if err := cfg.Save(); err != nil {
		e.T.Fatal(err)
	}
}

// HistoryDB is where local history lives by default in this environment.
func (e *Env) HistoryDB() string { return filepath.Join(e.Dir, "data", "monzo", "history.db") }

// Requests is how many requests the emulator has served so far.
func (e *Env) Requests() int64 { return e.requests.Load() }

// Result is one run's outcome.
type Result struct {
	Code     int
	Out, Err string
}

// Factory returns the factory a run uses, writing to the given streams.
func (e *Env) Factory(ios *iostreams.IOStreams) *cmdutil.Factory {
	f := cmdutil.New(ios, func(k string) string { return e.Env[k] })
	f.Now = e.Srv.Clock.Now
	f.Location = time.UTC
	f.Browser = func(context.Context, string) error { return errors.New("tests open no browser") }
	// As many attempts as in production, without its seconds of backoff.
	f.ClientOptions = []monzo.Option{monzo.WithRetryPolicy(monzo.RetryPolicy{
		MaxAttempts: monzo.DefaultRetryPolicy().MaxAttempts, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Second})}
	if e.Customize != nil {
		e.Customize(f)
	}
	return f
}

// Run runs the command with args and returns what it printed.
func (e *Env) Run(args ...string) Result {
	return e.RunContext(context.Background(), args...)
}

// RunContext is Run with a context (to interrupt long-running commands).
func (e *Env) RunContext(ctx context.Context, args ...string) Result {
	e.T.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(e.Stdin)
	if e.TTY {
		ios.SetStdoutTTY(true)
		ios.SetStdinTTY(true)
	}
	code := root.MainWithFactory(ctx, e.Factory(ios), args)
	res := Result{Code: code, Out: out.String(), Err: errOut.String()}
	if m := SecretShapes.FindString(res.Out + res.Err); m != "" && !(len(args) >= 2 && args[0] == "auth" && args[1] == "token") {
		e.T.Errorf("monzo %s leaks a secret: %q", strings.Join(args, " "), m)
	}
	return res
}

// MustRun runs the command and fails the test unless it exits 0.
func (e *Env) MustRun(args ...string) Result {
	e.T.Helper()
	res := e.Run(args...)
	if res.Code != 0 {
		e.T.Fatalf("monzo %s: exit %d\nstderr:\n%s\nstdout:\n%s", strings.Join(args, " "), res.Code, res.Err, res.Out)
	}
	return res
}

// Refused runs the command and fails the test unless it was refused as
// bad input before anything was sent: exit 2 and not one request.
func (e *Env) Refused(args ...string) Result {
	e.T.Helper()
	before := e.Requests()
	res := e.Run(args...)
	if res.Code != 2 {
		e.T.Errorf("monzo %q: exit %d, want 2 (usage)\n%s", args, res.Code, res.Err)
	}
	if n := e.Requests() - before; n != 0 {
		e.T.Errorf("monzo %q sent %d requests", args, n)
	}
	return res
}

// Golden compares got with testdata/name.golden, or rewrites it with
// -update. The configuration directory is replaced by $CONFIG so that
// the files do not depend on the temporary directory.
func (e *Env) Golden(name, got string) {
	e.T.Helper()
	got = strings.ReplaceAll(got, e.Dir, "$CONFIG")
	got = strings.ReplaceAll(got, e.Srv.URL, "$EMULATOR")
	path := filepath.Join("testdata", name+".golden")
	if *Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			e.T.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			e.T.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		e.T.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		e.T.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// SyncBuffer is a bytes.Buffer safe for a writer and a reader in
// different goroutines. A reader waits for what it expects with WaitFor or
// Next, woken by each write: tests never poll with sleeps.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// changed is closed by the next write; nil until a reader asks.
	changed chan struct{}
}

// Write appends p and wakes every waiting reader.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Next returns what was written so far and a channel closed by the next
// write, for waits that also watch something else (a command ending):
//
//	for text, more := b.Next(); !done(text); text, more = b.Next() {
//		select { case <-more: case err := <-finished: ... }
//	}
func (b *SyncBuffer) Next() (string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.buf.String(), b.changed
}

// WaitFor waits until what was written contains substr, and returns it
// all; it fails when ctx ends first, with what was written by then.
func (b *SyncBuffer) WaitFor(ctx context.Context, substr string) (string, error) {
	for {
		text, more := b.Next()
		if strings.Contains(text, substr) {
			return text, nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return text, fmt.Errorf("waiting for %q: %w; written so far:\n%s", substr, ctx.Err(), text)
		}
	}
}
