// Package auth implements `monzo login`, `monzo logout` and `monzo auth`
// (status, token).
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/weburl"
	"github.com/monzokit/monzo/oauth"
)

// LoginOptions are `monzo login`'s inputs.
type LoginOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	ClientID     string
	ClientSecret string
	RedirectURL  string
	APIURL       string
	AuthURL      string
	// Emulator points the profile at an emulator's URL (auth and API) and,
	// without a client id, registers a client there.
	Emulator string

	JSON cmdutil.JSONFlags

	NoBrowser  bool
	Paste      bool
	WithToken  bool
	NoWait     bool
	TokenStore string // "auto", "keyring" or "file"

	// Sync and NoSync answer, for scripts, the offer to sync full history
	// after approval; neither asks on a terminal and skips otherwise.
	Sync, NoSync bool
	// DBPath is where that sync writes; "" means the default place.
	DBPath string

	// PollInterval is the first wait between approval checks; it doubles
	// up to PollMax.
	PollInterval, PollMax time.Duration
	// Sleep waits between polls; nil waits on the wall clock.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRedirectURL is used for emulator logins without one: port 0 picks
// a free port, and the client is registered with the real one.
const DefaultRedirectURL = "http://127.0.0.1:0/callback"

// NewCmdLogin returns `monzo login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{IO: f.IOStreams, Factory: f, PollInterval: time.Second, PollMax: 15 * time.Second}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to Monzo and store the token",
		Long: `Log in with your OAuth client from developers.monzo.com.

The client id, secret and redirect URL come from flags, else the environment
(MONZO_CLIENT_ID, MONZO_CLIENT_SECRET, MONZO_REDIRECT_URL), else the profile's
saved settings. A missing secret is asked for without echo on a terminal.

The redirect URL must be a loopback URL registered on the client, such as
http://127.0.0.1:8789/callback: login listens there for Monzo's redirect. It
prints the authorization URL and opens it in your browser (--no-browser only
prints it). On a machine without a browser, use --paste and paste the URL
Monzo redirected you to.

After the code exchange, Monzo asks you to approve access in the Monzo app;
login waits for that, then says how far back your history reaches. In the 5
minutes after approval Monzo serves your full history; afterwards only the
last 90 days. So login offers to copy all of it into local history right
away, as ` + "`monzo sync`" + ` does: on a terminal it asks (y/N); --sync and
--no-sync answer for scripts; piped without either, it skips the sync and
prints the command to run.

The token goes to the system keyring, or when none answers to a 0600 file
in the configuration directory (the command says which).`,
		Example: `  $ export MONZO_CLIENT_ID=oauth2client_… MONZO_REDIRECT_URL=http://127.0.0.1:8789/callback
  $ monzo login
  $ monzo login --no-browser            # print the URL only
  $ monzo login --paste                 # no browser on this machine
  $ pbpaste | monzo login --with-token  # a token from the API playground
  $ monzo login --emulator http://127.0.0.1:8080 --profile emu
  $ monzo login --sync                  # then copy your full history, without asking`,
		Args: cmdutil.NoArgs,
		// RunLogin checks --json and --jq itself.
		RunE: cmdutil.RunE(opts, nil, runF, RunLogin),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.ClientID, "client-id", "", "OAuth client `id` (env MONZO_CLIENT_ID)")
	fl.StringVar(&opts.ClientSecret, "client-secret", "", "OAuth client `secret` (env MONZO_CLIENT_SECRET; prefer the variable or the prompt: flags show up in ps)")
	fl.StringVar(&opts.RedirectURL, "redirect-url", "", "the client's registered loopback redirect `URL` (env MONZO_REDIRECT_URL)")
	fl.StringVar(&opts.APIURL, "api-url", "", "API base `URL` (env MONZO_API_URL; default https://api.monzo.com)")
	fl.StringVar(&opts.AuthURL, "auth-url", "", "authorization page `URL` (env MONZO_AUTH_URL; default https://auth.monzo.com)")
	fl.StringVar(&opts.Emulator, "emulator", "", "log in to an emulator at `URL` (sets --api-url and --auth-url; registers a client if none is given)")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "print the authorization URL without opening a browser")
	fl.BoolVar(&opts.Paste, "paste", false, "read the redirected URL from stdin instead of listening for it")
	fl.BoolVar(&opts.WithToken, "with-token", false, "read an access token (e.g. from the API playground) from stdin")
	fl.BoolVar(&opts.NoWait, "no-wait", false, "do not wait for approval in the Monzo app")
	fl.StringVar(&opts.TokenStore, "token-store", "auto", "where to keep the token: auto (keyring, else file), keyring or file")
	fl.BoolVar(&opts.Sync, "sync", false, "after approval, copy your full history into local history without asking")
	fl.BoolVar(&opts.NoSync, "no-sync", false, "after approval, do not offer to sync history")
	fl.StringVar(&opts.DBPath, "db", "", "local history database `file` for --sync (default $XDG_DATA_HOME/monzo/history.db)")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// listenError explains why login could not listen on the redirect URL.
// A port below 1024 (http://127.0.0.1/monzo means port 80) needs root,
// which a login should never have: the way out is another redirect URL,
// not sudo.
func listenError(err error, redirectURL, apiURL string) error {
	switch {
	case errors.Is(err, syscall.EACCES):
		hint := "register a redirect URL with a port of 1024 or more on your client, e.g. http://127.0.0.1:8789/callback, and pass it with --redirect-url or MONZO_REDIRECT_URL"
		if apiURL != "" && !strings.Contains(apiURL, "api.monzo.com") {
			// An emulator client registered with a low-port redirect:
			// --emulator registers a client of its own on a free port.
			hint = fmt.Sprintf("for the emulator at %s, run `monzo login --emulator %s`: it registers a client whose redirect uses a free port; otherwise %s", apiURL, apiURL, hint)
		}
		return &cmdutil.UsageError{
			Err:  fmt.Errorf("cannot listen for the login's redirect on %s: only root may use a port below 1024", redirectURL),
			Hint: hint,
		}
	case errors.Is(err, syscall.EADDRINUSE):
		return &cmdutil.UsageError{
			Err:  fmt.Errorf("cannot listen for the login's redirect on %s: another program already listens there", redirectURL),
			Hint: "finish or stop the other login (or program) using that port, or register and use another redirect URL",
		}
	}
	return &cmdutil.UsageError{Err: err}
}

// settings are the resolved client settings.
type settings struct {
	config.Profile
	profile string
}

// RunLogin runs `monzo login`.
func RunLogin(ctx context.Context, opts *LoginOptions) error {
	f := opts.Factory
	if err := opts.JSON.Check(); err != nil {
		return err
	}
	switch opts.TokenStore {
	case "auto", "keyring", "file":
	default:
		return cmdutil.Usagef("--token-store %q: use auto, keyring or file", opts.TokenStore)
	}
	if opts.Paste && opts.WithToken {
		return cmdutil.Usagef("--paste and --with-token cannot be used together")
	}
	if opts.Sync && opts.NoSync {
		return cmdutil.Usagef("give --sync or --no-sync, not both")
	}
	if (opts.Sync || opts.NoSync) && opts.WithToken {
		return cmdutil.Usagef("--sync and --no-sync follow an approval in the app, which --with-token does not wait for: run `monzo sync` after logging in")
	}
	if opts.Sync && opts.NoWait {
		return cmdutil.Usagef("--sync needs the approval that --no-wait skips: drop one of them")
	}
	profile := f.Profile()
	if err := config.ValidateProfileName(profile); err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	// Checked under the name the user typed, before it fans out into
	// the API and auth URLs.
	if err := checkURL("--emulator", opts.Emulator); err != nil {
		return cmdutil.WithHint(err, "give the emulator's address as printed by `monzo emulator`, e.g. http://127.0.0.1:8080")
	}
	s := resolve(opts, f.Getenv, cfg.Profile(profile))
	s.profile = profile
	if err := checkURL("--api-url", s.APIURL); err != nil {
		return err
	}
	if err := checkURL("--auth-url", s.AuthURL); err != nil {
		return err
	}
	hc, err := f.HTTPClient()
	if err != nil {
		return err
	}
	if opts.WithToken {
		return loginWithToken(ctx, opts, cfg, s, hc)
	}

	var listener *oauth.CallbackListener
	if opts.Emulator != "" && s.RedirectURL == "" {
		s.RedirectURL = DefaultRedirectURL
	}
	if s.RedirectURL == "" {
		return &cmdutil.UsageError{Err: errors.New("no redirect URL: set MONZO_REDIRECT_URL or pass --redirect-url"),
			Hint: "use the loopback URL registered on your client at developers.monzo.com, e.g. http://127.0.0.1:8789/callback"}
	}
	if !opts.Paste {
		// Listen before anything else, so a busy port or a non-loopback
		// URL fails before the user is sent anywhere.
		listener, err = oauth.ListenForCallback(s.RedirectURL)
		if err != nil {
			return listenError(err, s.RedirectURL, s.APIURL)
		}
		defer listener.Close()
		s.RedirectURL = listener.RedirectURL
	} else if strings.Contains(s.RedirectURL, ":0/") {
		return cmdutil.Usagef("--paste needs a redirect URL with a fixed port, not %s", s.RedirectURL)
	}
	if opts.Emulator != "" && s.ClientID == "" {
		c, err := registerEmulatorClient(ctx, hc, s.APIURL, s.RedirectURL)
		if err != nil {
			return err
		}
		s.ClientID, s.ClientSecret = c.ClientID, c.ClientSecret
		fmt.Fprintf(opts.IO.ErrOut, "Registered client %s on the emulator.\n", c.ClientID)
	}
	if s.ClientID == "" {
		return &cmdutil.UsageError{Err: errors.New("no client id: set MONZO_CLIENT_ID or pass --client-id"),
			Hint: "create a confidential client at https://developers.monzo.com"}
	}
	if s.ClientSecret == "" {
		secret, err := promptSecret(opts.IO)
		if err != nil {
			return err
		}
		s.ClientSecret = secret
	}
	oc := &oauth.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
		AuthURL: s.AuthURL, APIBaseURL: s.APIURL, HTTPClient: hc, Clock: f.Now}
	if err := oc.Validate(); err != nil {
		return &cmdutil.UsageError{Err: err}
	}

	state, err := oauth.NewState()
	if err != nil {
		return err
	}
	authURL := oc.AuthCodeURL(state)
	errOut := opts.IO.ErrOut
	// The URL is printed whether or not a browser opens: openers fail
	// silently on headless machines, and a user must never wait blind.
	fmt.Fprintf(errOut, "Open this URL in a browser to log in:\n\n  %s\n\n", authURL)
	if !opts.NoBrowser && !opts.Paste {
		if err := f.Browser(ctx, authURL); err != nil {
			fmt.Fprintf(errOut, "%s (%v): open this in a browser yourself.\n", opts.IO.Yellow("Could not open a browser"), err)
		} else {
			fmt.Fprintln(errOut, "Opened your browser; choose Allow on the Monzo page.")
		}
	}

	var cb oauth.Callback
	if opts.Paste {
		fmt.Fprint(errOut, "After allowing access, paste the URL your browser was sent to: ")
		line, err := cmdutil.ReadLine(ctx, opts.IO.In)
		if err != nil {
			return err
		}
		pasteHint := fmt.Sprintf("run the command again and paste the whole address from the browser's address bar after you allow access; it starts with %s?code=", s.RedirectURL)
		if strings.TrimSpace(line) == "" {
			return &cmdutil.UsageError{Err: errors.New("nothing was pasted"), Hint: pasteHint}
		}
		if cb, err = oauth.ParseCallback(strings.TrimSpace(line)); err != nil {
			return &cmdutil.UsageError{Err: err, Hint: pasteHint}
		}
	} else {
		fmt.Fprintf(errOut, "Waiting for Monzo to redirect your browser to %s …\n", s.RedirectURL)
		// The listener answers 400 to, and ignores, a redirect that
		// does not carry our state: a forged one never ends the wait.
		if cb, err = listener.Wait(ctx, state); err != nil {
			return err
		}
	}
	// Exchange checks the state before sending anything: a forged
	// redirect stops here, and nothing is stored.
	tok, err := oc.Exchange(ctx, cb.Code, cb.State, state)
	if err != nil {
		return err
	}
	// From here on the login is saved whole even if Ctrl-C arrives: the
	// code is spent, and a token without its profile (or the reverse)
	// would be worse than either.
	saveCtx := context.WithoutCancel(ctx)
	store, where, err := save(saveCtx, opts, cfg, s, tok)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "%s Logged in as %s; token saved to %s.\n", opts.IO.Green("✓"), tok.UserID, where)
	result := loginResult{Profile: s.profile, UserID: tok.UserID, ClientID: tok.ClientID, TokenLocation: where, Approval: "pending"}
	if opts.NoWait {
		fmt.Fprintln(errOut, "Approve access in the Monzo app before using the API.")
		return writeLoginResult(ctx, opts, result)
	}
	client, err := f.NewAPIClient(oc, store)
	if err != nil {
		return err
	}
	if err := waitForApproval(ctx, opts, client); err != nil {
		return err
	}
	result.Approval = "approved"
	if err := reportHistory(ctx, opts, client); err != nil {
		return err
	}
	synced, err := offerSync(ctx, opts, client)
	if err != nil {
		return err
	}
	result.HistorySynced = synced
	return writeLoginResult(ctx, opts, result)
}

// loginResult is what `login --json` prints: never a token.
type loginResult struct {
	Profile       string `json:"profile"`
	UserID        string `json:"user_id"`
	ClientID      string `json:"client_id"`
	TokenLocation string `json:"token_location"`
	Approval      string `json:"approval"`
	HistorySynced bool   `json:"history_synced"`
}

func writeLoginResult(ctx context.Context, opts *LoginOptions, r loginResult) error {
	if !opts.JSON.Enabled() {
		return nil
	}
	return opts.JSON.Write(ctx, opts.IO, r)
}

// resolve merges flags, environment and the saved profile, in that order.
func resolve(opts *LoginOptions, getenv func(string) string, saved *config.Profile) settings {
	pick := func(flag, env, prof string) string {
		if flag != "" {
			return flag
		}
		if v := getenv(env); v != "" {
			return v
		}
		return prof
	}
	var s settings
	s.TokenStore = saved.TokenStore
	if opts.Emulator != "" {
		e := strings.TrimSuffix(opts.Emulator, "/")
		s.APIURL, s.AuthURL = e, e
		// An emulator keeps its clients in memory and forgets them when it
		// restarts, so a saved client is not reused: without flags, login
		// registers a fresh one.
		s.ClientID, s.ClientSecret, s.RedirectURL = opts.ClientID, opts.ClientSecret, opts.RedirectURL
		return s
	}
	s.ClientID = pick(opts.ClientID, "MONZO_CLIENT_ID", saved.ClientID)
	s.ClientSecret = pick(opts.ClientSecret, "MONZO_CLIENT_SECRET", saved.ClientSecret)
	s.RedirectURL = pick(opts.RedirectURL, "MONZO_REDIRECT_URL", saved.RedirectURL)
	s.APIURL = pick(opts.APIURL, "MONZO_API_URL", saved.APIURL)
	s.AuthURL = pick(opts.AuthURL, "MONZO_AUTH_URL", saved.AuthURL)
	return s
}

func checkURL(flag, raw string) error {
	if raw == "" {
		return nil
	}
	if _, err := weburl.ParseAbsolute(raw); err != nil {
		return cmdutil.Usagef("%s %q: %v", flag, weburl.RedactQuery(raw), err)
	}
	return nil
}

// promptSecret asks for the client secret without echo; off a terminal it
// fails rather than read a secret from a pipe the user did not mean.
func promptSecret(ios *iostreams.IOStreams) (string, error) {
	if !ios.IsStdinTTY() {
		return "", &cmdutil.UsageError{Err: errors.New("no client secret: set MONZO_CLIENT_SECRET"),
			Hint: "on a terminal, login asks for it without echoing it"}
	}
	fmt.Fprint(ios.ErrOut, "Client secret (input hidden): ")
	b, err := ios.ReadPassword()
	fmt.Fprintln(ios.ErrOut)
	if err != nil {
		return "", fmt.Errorf("reading the client secret: %w", err)
	}
	secret := strings.TrimSpace(string(b))
	if secret == "" {
		return "", cmdutil.Usagef("empty client secret")
	}
	return secret, nil
}

// save stores the token and the profile, the token first: a profile that
// names a store must find a token there.
func save(ctx context.Context, opts *LoginOptions, cfg *config.Config, s settings, tok *oauth.Token) (oauth.Store, string, error) {
	stores, err := opts.Factory.Stores()
	if err != nil {
		return nil, "", err
	}
	if opts.TokenStore == "keyring" && stores.Keyring == nil {
		return nil, "", cmdutil.Usagef("--token-store keyring: the keyring is disabled (MONZO_NO_KEYRING is set)")
	}
	choice, err := stores.SaveNew(ctx, s.profile, tok, opts.TokenStore != "file")
	if err != nil {
		return nil, "", err
	}
	if opts.TokenStore == "keyring" && choice.Kind != config.StoreKeyring {
		_ = stores.DeleteAll(ctx, s.profile)
		return nil, "", cmdutil.WithHint(fmt.Errorf("--token-store keyring: no system keyring answered: %w", choice.Fallback),
			"start your desktop's keyring (e.g. GNOME Keyring or KWallet), or use --token-store auto to keep the token in a file")
	}
	where := authstore.Describe(choice.Store)
	if choice.Fallback != nil {
		// The keyring library's error names programs and D-Bus
		// addresses ("exec: \"dbus-launch\"…"), which tell most users
		// nothing; --debug keeps it for those it helps.
		why := "no system keyring answered"
		if errors.Is(choice.Fallback, authstore.ErrKeyringDisabled) {
			why = "the keyring is turned off (MONZO_NO_KEYRING)"
		}
		fmt.Fprintf(opts.IO.ErrOut, "%s %s, so the token is saved to %s (readable only by you).\n",
			opts.IO.Yellow("Notice:"), why, where)
		if opts.Factory.Debug {
			fmt.Fprintf(opts.IO.ErrOut, "debug: keyring: %v\n", choice.Fallback)
		}
	}
	previous := s.TokenStore
	p := s.Profile
	p.TokenStore = choice.Kind
	p.UserID = tok.UserID
	cfg.SetProfile(s.profile, &p)
	if err := cfg.Save(); err != nil {
		return nil, "", err
	}
	// A token left in the other store by an earlier login is stale.
	if previous != "" && previous != choice.Kind {
		if previous == config.StoreFile {
			if fs, err := stores.File(s.profile); err == nil {
				_ = fs.Delete(ctx)
			}
		} else if ks, err := stores.KeyringStore(s.profile); err == nil {
			_ = ks.Delete(ctx)
		}
	}
	return choice.Store, where, nil
}

// waitForApproval polls until the user approves access in the app, with
// backoff, showing a spinner on a terminal.
func waitForApproval(ctx context.Context, opts *LoginOptions, client *monzo.Client) error {
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepContext
	}
	wait := max(opts.PollInterval, time.Millisecond)
	var sp *iostreams.Spinner
	defer func() {
		if sp != nil {
			sp.Stop()
		}
	}()
	for {
		_, err := client.Accounts.List(ctx, nil)
		if err == nil {
			if sp != nil {
				sp.Stop()
			}
			fmt.Fprintf(opts.IO.ErrOut, "%s Access approved in the Monzo app.\n", opts.IO.Green("✓"))
			return nil
		}
		// Ctrl-C may land during a poll as well as between polls: either
		// way the login is saved and only the approval is missing.
		if ctx.Err() != nil {
			return cmdutil.WithHint(err, interruptedHint)
		}
		if !monzo.IsApprovalPending(err) {
			return err
		}
		if sp == nil {
			sp = opts.IO.StartSpinner("Waiting for you to approve access in the Monzo app (open the app and tap Approve; Ctrl-C to stop waiting)…")
		}
		if err := sleep(ctx, wait); err != nil {
			return cmdutil.WithHint(err, interruptedHint)
		}
		wait = min(wait*2, max(opts.PollMax, wait))
	}
}

// interruptedHint is what an interrupted wait for approval leaves the user
// with.
const interruptedHint = "you are logged in; approve access in the Monzo app, then run any command"

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reportHistory says how far back each open account's history reaches
// right now, and that the full-history window is short.
func reportHistory(ctx context.Context, opts *LoginOptions, client *monzo.Client) error {
	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		return err
	}
	out := opts.IO.ErrOut
	fmt.Fprintln(out, "For the next 5 minutes Monzo serves your full transaction history; after that, only the last 90 days.")
	now := opts.Factory.Now()
	for _, a := range accounts {
		if a.Closed {
			continue
		}
		page, err := client.Transactions.List(ctx, a.ID, &monzo.TransactionListOptions{Limit: 1})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			fmt.Fprintf(out, "  %s (%s): no transactions\n", a.DisplayName(), a.ID)
			continue
		}
		first := page[0].Created.Time
		fmt.Fprintf(out, "  %s (%s): history reaches back to %s (%d days)\n", a.DisplayName(), a.ID,
			first.In(opts.Factory.Location).Format("2 Jan 2006"), int(now.Sub(first).Hours()/24))
	}
	return nil
}

// emulatorClient is the part of the emulator's control-plane answer login
// needs.
type emulatorClient struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// registerEmulatorClient registers a confidential client on an emulator
// through its control plane, with the login's loopback redirect URL.
func registerEmulatorClient(ctx context.Context, hc *http.Client, base, redirectURL string) (*emulatorClient, error) {
	body := fmt.Sprintf(`{"name":"monzo CLI","redirect_uri":%q,"confidential":true}`, redirectURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/_emulator/clients", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, cmdutil.WithHint(fmt.Errorf("registering a client on the emulator: %w", err), "is the emulator running at "+base+"? Start one with `monzo emulator`")
	}
	defer resp.Body.Close()
	var answer struct {
		Client emulatorClient `json:"client"`
	}
	if resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("registering a client on the emulator: %s (is %s an emulator?)", resp.Status, base)
	}
	if err := decodeJSON(resp.Body, &answer); err != nil || answer.Client.ClientID == "" {
		return nil, fmt.Errorf("registering a client on the emulator: unexpected answer (is %s an emulator?)", base)
	}
	return &answer.Client, nil
}
