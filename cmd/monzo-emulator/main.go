// Command monzo-emulator runs the Monzo API emulator as a standalone server.
//
// It prints, on stdout, shell lines that export its base URL and the
// default OAuth client's credentials in the variables the examples read
// (MONZO_CLIENT_ID, MONZO_CLIENT_SECRET, MONZO_REDIRECT_URL, MONZO_API_URL,
// MONZO_AUTH_URL), logs requests to stderr and stops cleanly
// on SIGINT or SIGTERM. Every flag can also be set with an environment
// variable (MONZO_EMULATOR_<FLAG>); a flag on the command line beats the
// variable. Run with --help for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/monzokit/monzo/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	Addr            string
	Seed            int64
	HistoryDays     int
	Transactions    int
	TokenTTL        time.Duration
	AutoApprove     time.Duration
	FakeClock       bool
	RedirectURI     string
	RateLimit       int
	RateLimitWindow time.Duration
	BaseURL         string
	Latency         time.Duration
	Jitter          time.Duration
	FaultSeed       int64
	Faults          []emulator.Fault
}

// envPrefix prefixes every flag's environment variable.
const envPrefix = "MONZO_EMULATOR_"

// envName maps a flag name to its environment variable: token-ttl →
// MONZO_EMULATOR_TOKEN_TTL.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig reads flags from args, with defaults taken from the
// environment (via getenv), so that a flag beats its variable, which beats
// the built-in default. It returns flag.ErrHelp for --help.
func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	cfg := config{Addr: "127.0.0.1:0", Seed: emulator.DefaultSeed, TokenTTL: emulator.DefaultAccessTokenTTL,
		RedirectURI: emulator.DefaultRedirectURI}
	fs := flag.NewFlagSet("monzo-emulator", flag.ContinueOnError)
	fs.SetOutput(output)
	var rateLimit, faults string

	// Apply environment variables as defaults first.
	var envErr error
	env := func(name string, apply func(string) error) {
		v := getenv(envName(name))
		if v == "" || envErr != nil {
			return
		}
		if err := apply(v); err != nil {
			envErr = fmt.Errorf("%s=%q: %w", envName(name), v, err)
		}
	}
	env("addr", func(v string) error { cfg.Addr = v; return nil })
	env("seed", func(v string) (err error) { cfg.Seed, err = strconv.ParseInt(v, 10, 64); return })
	env("history-days", func(v string) (err error) { cfg.HistoryDays, err = strconv.Atoi(v); return })
	env("transactions", func(v string) (err error) { cfg.Transactions, err = strconv.Atoi(v); return })
	env("token-ttl", func(v string) (err error) { cfg.TokenTTL, err = time.ParseDuration(v); return })
	env("auto-approve", func(v string) (err error) { cfg.AutoApprove, err = time.ParseDuration(v); return })
	env("fake-clock", func(v string) (err error) { cfg.FakeClock, err = strconv.ParseBool(v); return })
	env("redirect-uri", func(v string) error { cfg.RedirectURI = v; return nil })
	env("rate-limit", func(v string) error { rateLimit = v; return nil })
	env("base-url", func(v string) error { cfg.BaseURL = v; return nil })
	env("latency", func(v string) (err error) { cfg.Latency, err = time.ParseDuration(v); return })
	env("jitter", func(v string) (err error) { cfg.Jitter, err = time.ParseDuration(v); return })
	env("fault-seed", func(v string) (err error) { cfg.FaultSeed, err = strconv.ParseInt(v, 10, 64); return })
	env("faults", func(v string) error { faults = v; return nil })
	if envErr != nil {
		return config{}, envErr
	}

	usage := func(name, text string) string { return fmt.Sprintf("%s (env %s)", text, envName(name)) }
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, usage("addr", "listen `address`; port 0 picks a free port. Loopback only unless you say otherwise"))
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, usage("seed", "seed for the generated users, accounts and history"))
	fs.IntVar(&cfg.HistoryDays, "history-days", cfg.HistoryDays, usage("history-days", fmt.Sprintf("`days` of seeded history ending now, %d to %d (0: %d)", emulator.MinHistoryDays, emulator.MaxHistoryDays, emulator.DefaultHistoryDays)))
	fs.IntVar(&cfg.Transactions, "transactions", cfg.Transactions, usage("transactions", "seed the personal account with `N` transactions (0: about 3 a day), e.g. 100000 for a large history"))
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", cfg.TokenTTL, usage("token-ttl", "access token lifetime, at least 1s"))
	fs.DurationVar(&cfg.AutoApprove, "auto-approve", cfg.AutoApprove, usage("auto-approve", "approve new logins in the \"app\" after this `duration` (0: wait for POST /_emulator/approve)"))
	fs.BoolVar(&cfg.FakeClock, "fake-clock", cfg.FakeClock, usage("fake-clock", "start with a controllable clock (POST /_emulator/clock)"))
	fs.StringVar(&cfg.RedirectURI, "redirect-uri", cfg.RedirectURI, usage("redirect-uri", "the default client's redirect `URI`"))
	fs.StringVar(&rateLimit, "rate-limit", rateLimit, usage("rate-limit", "allow N requests per client per window, as `N[/window]` (e.g. 30/5m; default window 1m; empty: off)"))
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, usage("base-url", "public base `URL` for URLs the emulator hands out (default: from each request's Host)"))
	fs.DurationVar(&cfg.Latency, "latency", cfg.Latency, usage("latency", "delay every API request by this `duration` (e.g. 100ms, the real API's order of magnitude)"))
	fs.DurationVar(&cfg.Jitter, "jitter", cfg.Jitter, usage("jitter", "add a random extra delay of up to this `duration` to --latency"))
	fs.Int64Var(&cfg.FaultSeed, "fault-seed", cfg.FaultSeed, usage("fault-seed", "seed for random faults and jitter, to replay a run (default: --seed)"))
	fs.StringVar(&faults, "faults", faults, usage("faults", "faults to inject: a JSON `array` of POST /_emulator/faults bodies, or @file holding one, e.g. '[{\"status\":503,\"probability\":0.05},{\"path\":\"/pots/{id}/deposit\",\"kind\":\"reset\"}]'"))
	fs.Usage = func() {
		fmt.Fprintf(output, "Usage: monzo-emulator [flags]\n\n"+
			"Runs a stateful fake of the Monzo developer API: auth pages, OAuth, the API and a control plane\n"+
			"under /_emulator/, all on one host. Prints export lines for MONZO_CLIENT_ID, MONZO_CLIENT_SECRET,\n"+
			"MONZO_REDIRECT_URL, MONZO_API_URL and MONZO_AUTH_URL on stdout, ready to paste.\n\n"+
			"Every flag can also be set with the environment variable shown; a flag on the command line\n"+
			"beats the variable.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if rateLimit != "" {
		n, window, err := parseRateLimit(rateLimit)
		if err != nil {
			return config{}, fmt.Errorf("--rate-limit %q: %w", rateLimit, err)
		}
		cfg.RateLimit, cfg.RateLimitWindow = n, window
	}
	if faults != "" {
		f, err := emulator.ParseFaults(faults, os.ReadFile)
		if err != nil {
			return config{}, fmt.Errorf("--faults: %w", err)
		}
		cfg.Faults = f
	}
	if cfg.Latency < 0 || cfg.Jitter < 0 {
		return config{}, errors.New("--latency and --jitter must not be negative")
	}
	if cfg.TokenTTL < time.Second {
		return config{}, fmt.Errorf("--token-ttl (%s) is %v; it must be at least 1s, because expires_in counts whole seconds",
			envName("token-ttl"), cfg.TokenTTL)
	}
	if cfg.AutoApprove < 0 {
		return config{}, errors.New("--auto-approve must not be negative")
	}
	return cfg, nil
}

// parseRateLimit parses "N" or "N/window".
func parseRateLimit(s string) (int, time.Duration, error) {
	count, window, hasWindow := strings.Cut(s, "/")
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 {
		return 0, 0, errors.New("want a non-negative request count, optionally followed by /window, e.g. 30/5m")
	}
	d := emulator.DefaultRateLimitWindow
	if hasWindow {
		if d, err = time.ParseDuration(window); err != nil || d <= 0 {
			return 0, 0, errors.New("window must be a positive duration such as 1m")
		}
	}
	return n, d, nil
}

// options turns the configuration into emulator options.
func (c config) options(logger *slog.Logger) emulator.Options {
	opts := emulator.Options{
		Seed:             c.Seed,
		HistoryDays:      c.HistoryDays,
		Transactions:     c.Transactions,
		AccessTokenTTL:   c.TokenTTL,
		AutoApproveAfter: c.AutoApprove,
		RedirectURI:      c.RedirectURI,
		RateLimit:        c.RateLimit,
		RateLimitWindow:  c.RateLimitWindow,
		BaseURL:          c.BaseURL,
		Logger:           logger,
		Latency:          c.Latency,
		LatencyJitter:    c.Jitter,
		FaultSeed:        c.FaultSeed,
		Faults:           c.Faults,
	}
	if c.FakeClock {
		opts.Clock = emulator.NewFakeClock(time.Now())
	}
	return opts
}

// readyBlock is what the emulator prints once it listens: shell lines to
// paste, in the variable names the examples read, and how to approve a
// login.
func readyBlock(baseURL string, c emulator.OAuthClient) string {
	var b strings.Builder
	b.WriteString("# Monzo emulator ready. Paste these lines into your shell to point the examples at it:\n")
	for _, kv := range [][2]string{
		{"MONZO_CLIENT_ID", c.ID},
		{"MONZO_CLIENT_SECRET", c.Secret},
		{"MONZO_REDIRECT_URL", c.RedirectURI},
		{"MONZO_API_URL", baseURL},
		{"MONZO_AUTH_URL", baseURL},
	} {
		fmt.Fprintf(&b, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	fmt.Fprintf(&b, "# After signing in, approve the login as the Monzo app would:\n#   curl -X POST %s/_emulator/approve\n", baseURL)
	return b.String()
}

// shellQuote quotes v for a POSIX shell when it needs it.
func shellQuote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// run is the whole program; it serves until ctx ends (SIGINT or SIGTERM)
// and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "monzo-emulator:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if host, _, err := net.SplitHostPort(cfg.Addr); err == nil {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			logger.Warn("listening beyond loopback: anyone who can reach this address can use the emulator", "addr", cfg.Addr)
		}
	}

	srv, err := emulator.Start(cfg.Addr, cfg.options(logger))
	if err != nil {
		fmt.Fprintln(stderr, "monzo-emulator:", err)
		return 1
	}
	c := srv.Server.DefaultClient()
	fmt.Fprint(stdout, readyBlock(srv.URL, c))
	logger.Info("monzo emulator ready", "url", srv.URL, "seed", cfg.Seed, "fake_clock", cfg.FakeClock,
		"auth_url", srv.URL+"/?client_id="+c.ID+"&redirect_uri=…&response_type=code&state=…")

	<-ctx.Done()
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "monzo-emulator: shutdown:", err)
		return 1
	}
	return 0
}
