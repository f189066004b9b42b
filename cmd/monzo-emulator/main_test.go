package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/emulator"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := parseConfig(nil, envFrom(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := config{Addr: "127.0.0.1:0", Seed: 1, TokenTTL: emulator.DefaultAccessTokenTTL, RedirectURI: "http://127.0.0.1:8789/callback"}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("defaults = %+v, want %+v", cfg, want)
	}
	if o := cfg.options(nil); o.Clock != nil || o.RateLimit != 0 {
		t.Errorf("options = %+v", o)
	}
}

func TestParseConfigEnvironment(t *testing.T) {
	env := envFrom(map[string]string{
		"MONZO_EMULATOR_ADDR":         "127.0.0.1:8089",
		"MONZO_EMULATOR_SEED":         "42",
		"MONZO_EMULATOR_TOKEN_TTL":    "1h",
		"MONZO_EMULATOR_AUTO_APPROVE": "10s",
		"MONZO_EMULATOR_FAKE_CLOCK":   "true",
		"MONZO_EMULATOR_REDIRECT_URI": "http://localhost:3000/cb",
		"MONZO_EMULATOR_RATE_LIMIT":   "30/5m",
		"MONZO_EMULATOR_BASE_URL":     "http://emulator.test",
	})
	cfg, err := parseConfig(nil, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := config{Addr: "127.0.0.1:8089", Seed: 42, TokenTTL: time.Hour, AutoApprove: 10 * time.Second, FakeClock: true,
		RedirectURI: "http://localhost:3000/cb", RateLimit: 30, RateLimitWindow: 5 * time.Minute, BaseURL: "http://emulator.test"}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("from env = %+v, want %+v", cfg, want)
	}
	if o := cfg.options(nil); o.Clock == nil || o.AutoApproveAfter != 10*time.Second {
		t.Errorf("options = %+v", o)
	}
}

func TestParseConfigFlagBeatsEnvironment(t *testing.T) {
	env := envFrom(map[string]string{"MONZO_EMULATOR_SEED": "42", "MONZO_EMULATOR_ADDR": "127.0.0.1:1", "MONZO_EMULATOR_FAKE_CLOCK": "1"})
	cfg, err := parseConfig([]string{"--seed", "7", "--fake-clock=false", "--rate-limit", "5"}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seed != 7 || cfg.FakeClock || cfg.Addr != "127.0.0.1:1" || cfg.RateLimit != 5 || cfg.RateLimitWindow != time.Minute {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{env: map[string]string{"MONZO_EMULATOR_SEED": "many"}, want: "MONZO_EMULATOR_SEED"},
		{env: map[string]string{"MONZO_EMULATOR_TOKEN_TTL": "forever"}, want: "MONZO_EMULATOR_TOKEN_TTL"},
		{args: []string{"--rate-limit", "lots"}, want: "--rate-limit"},
		{args: []string{"--rate-limit", "5/0s"}, want: "window"},
		{args: []string{"--token-ttl", "0s"}, want: "--token-ttl"},
		{args: []string{"--token-ttl", "500ms"}, want: "at least 1s"},
		{env: map[string]string{"MONZO_EMULATOR_TOKEN_TTL": "999ms"}, want: "MONZO_EMULATOR_TOKEN_TTL"},
		{args: []string{"extra"}, want: "unexpected arguments"},
		{args: []string{"--nope"}, want: "not defined"},
	}
	for _, c := range cases {
		_, err := parseConfig(c.args, envFrom(c.env), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseConfig(%v, %v) error = %v, want it to mention %q", c.args, c.env, err, c.want)
		}
	}
}

func TestHelpMentionsEnvironment(t *testing.T) {
	var out bytes.Buffer
	_, err := parseConfig([]string{"--help"}, envFrom(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"MONZO_EMULATOR_ADDR", "MONZO_EMULATOR_SEED", "MONZO_EMULATOR_TOKEN_TTL", "MONZO_EMULATOR_AUTO_APPROVE",
		"MONZO_EMULATOR_FAKE_CLOCK", "MONZO_EMULATOR_REDIRECT_URI", "MONZO_EMULATOR_RATE_LIMIT", "flag on the command line\nbeats the variable"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if code := run(context.Background(), []string{"-h"}, envFrom(nil), &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Errorf("run -h = %d", code)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--seed", "x"}, envFrom(nil), &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("run with a bad flag = %d", code)
	}
}

func TestParseConfigFaultLab(t *testing.T) {
	cfg, err := parseConfig([]string{"--latency", "100ms", "--jitter", "20ms", "--fault-seed", "9",
		"--faults", `[{"status":503,"probability":0.05},{"path":"/pots/{id}/deposit","kind":"reset","latency_ms":250}]`},
		envFrom(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.options(nil)
	if o.Latency != 100*time.Millisecond || o.LatencyJitter != 20*time.Millisecond || o.FaultSeed != 9 || len(o.Faults) != 2 ||
		o.Faults[0].Status != 503 || o.Faults[0].Probability != 0.05 || o.Faults[1].Kind != emulator.FaultReset ||
		o.Faults[1].Latency != 250*time.Millisecond {
		t.Errorf("options = %+v", o)
	}
	// The environment works too, and a file can hold the faults.
	dir := t.TempDir()
	file := filepath.Join(dir, "faults.json")
	if err := os.WriteFile(file, []byte(`[{"kind":"garble","probability":0.5}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = parseConfig(nil, envFrom(map[string]string{"MONZO_EMULATOR_LATENCY": "1s", "MONZO_EMULATOR_FAULTS": "@" + file}), &bytes.Buffer{})
	if err != nil || cfg.Latency != time.Second || len(cfg.Faults) != 1 || cfg.Faults[0].Kind != emulator.FaultGarble {
		t.Errorf("from the environment: %+v, %v", cfg, err)
	}
	for _, bad := range [][]string{
		{"--faults", `{"status":503}`},
		{"--faults", `[{"status":200}]`},
		{"--faults", `[{"stauts":503}]`},
		{"--latency", "-1s"},
	} {
		if _, err := parseConfig(bad, envFrom(nil), &bytes.Buffer{}); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

func TestParseConfigHistory(t *testing.T) {
	cfg, err := parseConfig([]string{"--history-days", "800", "--transactions", "100000"}, envFrom(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o := cfg.options(nil); o.HistoryDays != 800 || o.Transactions != 100000 {
		t.Errorf("options = %+v", o)
	}
	cfg, err = parseConfig(nil, envFrom(map[string]string{"MONZO_EMULATOR_HISTORY_DAYS": "90", "MONZO_EMULATOR_TRANSACTIONS": "5000"}), &bytes.Buffer{})
	if err != nil || cfg.HistoryDays != 90 || cfg.Transactions != 5000 {
		t.Errorf("from the environment: %+v, %v", cfg, err)
	}
	// Out of range: the emulator refuses it at start, with the range.
	if code := run(context.Background(), []string{"--history-days", "3"}, envFrom(nil), &bytes.Buffer{}, &bytes.Buffer{}); code == 0 {
		t.Error("--history-days 3 started")
	}
}

// The ready block is shell the examples can use as it is (issue 7).
func TestReadyBlockExportsTheExamplesVariables(t *testing.T) {
	c := emulator.OAuthClient{ID: "oauth2client_0000abc", Secret: "mnzconf.s3cr3t", RedirectURI: "http://127.0.0.1/cb?a=1&b=it's"}
	block := readyBlock("http://127.0.0.1:8080", c)
	want := []string{
		"export MONZO_CLIENT_ID=oauth2client_0000abc\n",
		"export MONZO_CLIENT_SECRET=mnzconf.s3cr3t\n",
		`export MONZO_REDIRECT_URL='http://127.0.0.1/cb?a=1&b=it'\''s'` + "\n",
		"export MONZO_API_URL=http://127.0.0.1:8080\n",
		"export MONZO_AUTH_URL=http://127.0.0.1:8080\n",
		"curl -X POST http://127.0.0.1:8080/_emulator/approve",
	}
	for _, w := range want {
		if !strings.Contains(block, w) {
			t.Errorf("ready block lacks %q:\n%s", w, block)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if !strings.HasPrefix(line, "export ") && !strings.HasPrefix(line, "#") {
			t.Errorf("line %q is neither an export nor a comment", line)
		}
	}
}
