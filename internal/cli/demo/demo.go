// Package demo implements `monzo demo`: the "Generating an access token"
// tutorial, end to end, against an in-process emulator.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/browser"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/oauth"
)

// Options configure a demo run.
type Options struct {
	IO *iostreams.IOStreams
	// Interactive opens the consent page in a browser and waits for the
	// user, instead of approving automatically.
	Interactive bool
	// Seed selects the emulator's generated data.
	Seed int64
	// Timeout bounds the whole run.
	Timeout time.Duration
	// OpenBrowser opens a URL; nil means the system browser.
	OpenBrowser func(ctx context.Context, url string) error
}

// NewCmd returns the demo command. runF replaces Run in tests.
func NewCmd(ios *iostreams.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: ios}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Walk through Monzo's OAuth flow against the built-in emulator",
		Long: `Runs the "Generating an access token" tutorial end to end against an
emulator started in this process: the authorization URL and its parts, the
consent page, the redirect's code and state check, the token exchange, the
in-app approval, then whoami, accounts and balances.

Nothing leaves this machine. With --interactive the consent page opens in your
browser and the demo waits for you.`,
		Args: cobra.NoArgs,
		RunE: cmdutil.RunE(opts, nil, runF, Run),
	}
	cmd.Flags().BoolVar(&opts.Interactive, "interactive", false, "open the consent page in your browser instead of approving automatically")
	cmd.Flags().Int64Var(&opts.Seed, "seed", emulator.DefaultSeed, "seed for the emulator's generated data")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 5*time.Minute, "give up after this long")
	return cmd
}

// Run runs the demo.
func Run(ctx context.Context, opts *Options) error {
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	d := &demo{opts: opts, io: opts.IO, out: opts.IO.Out}
	return d.run(ctx)
}

type demo struct {
	opts *Options
	io   *iostreams.IOStreams
	out  io.Writer
	step int

	emu *emulator.Running
	cfg *oauth.Config
}

func (d *demo) heading(title string) {
	d.step++
	fmt.Fprintf(d.out, "\n%s\n", d.io.Bold(fmt.Sprintf("Step %d: %s", d.step, title)))
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, "  "+format+"\n", args...)
}

func (d *demo) run(ctx context.Context) error {
	emu, err := emulator.Start("", emulator.Options{Seed: d.opts.Seed})
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	defer emu.Close()
	d.emu = emu
	fmt.Fprintf(d.out, "%s\n", d.io.Bold("Monzo OAuth walkthrough"))
	d.say("An emulator of Monzo's auth pages and API is running at %s", emu.URL)
	d.say("(it stands in for both https://auth.monzo.com and https://api.monzo.com).")

	// The redirect URL is a loopback listener, as a CLI login would use. A
	// client registered at developers.monzo.com names it exactly.
	callback, err := oauth.ListenForCallback("http://127.0.0.1:0/monzo/callback")
	if err != nil {
		return err
	}
	defer callback.Close()
	client, err := emu.Server.RegisterClient(emulator.ClientOptions{Name: "monzokit demo", RedirectURI: callback.RedirectURL, Confidential: true})
	if err != nil {
		return err
	}
	d.cfg = &oauth.Config{ClientID: client.ID, ClientSecret: client.Secret, RedirectURL: callback.RedirectURL, AuthURL: emu.URL, APIBaseURL: emu.URL}

	d.heading("create the client")
	d.say("A confidential client, as you would create at developers.monzo.com:")
	d.say("client_id     %s", client.ID)
	d.say("client_secret %s", redact(client.Secret))
	d.say("redirect_uri  %s", client.RedirectURI)

	state, err := d.authorizationURL()
	if err != nil {
		return err
	}
	cb, err := d.consent(ctx, state, callback)
	if err != nil {
		return err
	}
	tok, err := d.exchange(ctx, cb, state)
	if err != nil {
		return err
	}
	api, err := monzo.NewClient(monzo.WithBaseURL(emu.URL), monzo.WithAccessToken(tok.AccessToken), monzo.WithUserAgent("monzokit-demo"))
	if err != nil {
		return err
	}
	if err := d.approve(ctx, api, tok); err != nil {
		return err
	}
	if err := d.useAPI(ctx, api); err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n%s\n", d.io.Green("Done: the token works. Against the real API, store it with a FileStore and refresh it with oauth.TokenSource."))
	return nil
}

func (d *demo) authorizationURL() (string, error) {
	d.heading("build the authorization URL")
	state, err := oauth.NewState()
	if err != nil {
		return "", err
	}
	authURL := d.cfg.AuthCodeURL(state)
	d.say("Send the user to:")
	d.say("%s", authURL)
	u, _ := url.Parse(authURL)
	q := u.Query()
	tw := tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  Monzo authentication URL\t%s\n", strings.TrimSuffix(d.cfg.AuthURL, "/"))
	fmt.Fprintf(tw, "  client_id\t%s\t%s\n", q.Get("client_id"), d.io.Dim("your client"))
	fmt.Fprintf(tw, "  redirect_uri\t%s\t%s\n", q.Get("redirect_uri"), d.io.Dim("where Monzo sends the browser back; must match the registered one exactly"))
	fmt.Fprintf(tw, "  response_type\t%s\t%s\n", q.Get("response_type"), d.io.Dim("Monzo only supports code"))
	fmt.Fprintf(tw, "  state\t%s\t%s\n", q.Get("state"), d.io.Dim("256 random bits; proves the redirect answers this request"))
	return state, tw.Flush()
}

func (d *demo) consent(ctx context.Context, state string, callback *oauth.CallbackListener) (oauth.Callback, error) {
	d.heading("the user allows access")
	authURL := d.cfg.AuthCodeURL(state)
	if d.opts.Interactive {
		// The URL comes first: a browser that fails to open must never
		// leave the user waiting in silence.
		d.say("Open this in a browser and choose Allow (trying to open it for you):")
		d.say("%s", authURL)
		open := d.opts.OpenBrowser
		if open == nil {
			open = browser.Open
		}
		if err := open(ctx, authURL); err != nil {
			d.say("%s (%v): open this in a browser yourself:", d.io.Yellow("Could not open a browser"), err)
			d.say("%s", authURL)
		}
		d.say("Waiting for the browser to come back to %s …", d.cfg.RedirectURL)
	} else {
		d.say("The consent page names the client; a browser stand-in clicks Allow")
		d.say("(on real Monzo you confirm by e-mail magic link; use --interactive to click it yourself).")
		go func() {
			// The stand-in follows the redirect like a browser would, so the
			// code arrives at the loopback listener either way.
			if err := autoAllow(ctx, authURL); err != nil {
				fmt.Fprintf(d.io.ErrOut, "consent failed: %v\n", err)
				callback.Close()
			}
		}()
	}
	cb, err := callback.Wait(ctx, state)
	if err != nil {
		return cb, err
	}
	d.say("Monzo redirected the browser to %s with:", d.cfg.RedirectURL)
	d.say("code  %s  %s", redact(cb.Code), d.io.Dim("(single-use, valid 10 minutes: keep it private)"))
	d.say("state %s", cb.State)
	if cb.State == state {
		d.say("%s the returned state matches the one we sent.", d.io.Green("✓"))
	} else {
		d.say("%s the returned state does not match: Exchange will refuse it.", d.io.Yellow("✗"))
	}
	return cb, nil
}

func autoAllow(ctx context.Context, authURL string) error {
	loc, err := emulator.SubmitConsent(ctx, http.DefaultClient, authURL, emulator.Consent{})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (d *demo) exchange(ctx context.Context, cb oauth.Callback, state string) (*oauth.Token, error) {
	d.heading("exchange the code for tokens")
	d.say("POST %s/oauth2/token  grant_type=authorization_code", d.cfg.APIBaseURL)
	tok, err := d.cfg.Exchange(ctx, cb.Code, cb.State, state)
	if err != nil {
		return nil, err
	}
	tw := tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  access_token\t%s\t%s\n", redact(tok.AccessToken), d.io.Dim("used on every API call"))
	fmt.Fprintf(tw, "  expiry\t%s\t%s\n", tok.Expiry.Local().Format(time.RFC1123), d.io.Dim(fmt.Sprintf("in %s (expires_in, not a fixed 6 h)", time.Until(tok.Expiry).Round(time.Minute))))
	fmt.Fprintf(tw, "  refresh_token\t%s\t%s\n", redact(tok.RefreshToken), d.io.Dim("single-use: store the new one after every refresh"))
	fmt.Fprintf(tw, "  user_id\t%s\n", tok.UserID)
	fmt.Fprintf(tw, "  scope\t%s\n", tok.Scope)
	return tok, tw.Flush()
}

func (d *demo) approve(ctx context.Context, api *monzo.Client, tok *oauth.Token) error {
	d.heading("approve access in the Monzo app")
	who, err := api.WhoAmI(ctx)
	if err != nil {
		return err
	}
	d.say("/ping/whoami already works: authenticated=%v as %s.", who.Authenticated, who.UserID)
	_, err = api.Accounts.List(ctx, nil)
	if !monzo.IsApprovalPending(err) {
		if err == nil {
			return errors.New("the emulator served data before in-app approval; it should answer 403 forbidden.insufficient_permissions")
		}
		return err
	}
	d.say("/accounts answers 403 forbidden.insufficient_permissions: the token is valid,")
	d.say("but the user has not yet approved access in the Monzo app.")
	if d.opts.Interactive {
		d.say("Press Enter to tap Approve in the (emulated) Monzo app…")
		// Any line, or none, approves; only an interrupt stops the demo.
		_, _ = cmdutil.ReadLine(ctx, d.io.In)
		if err := ctx.Err(); err != nil {
			return err
		}
	} else {
		d.say("Tapping Approve in the (emulated) Monzo app.")
	}
	d.emu.Server.Approve(tok.ClientID, tok.UserID)
	// Poll as a real client would: the same token starts working once the
	// user approves.
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		_, err := api.Accounts.List(ctx, nil)
		if err == nil {
			break
		}
		if !monzo.IsApprovalPending(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("still waiting for approval in the Monzo app: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
	d.say("%s approved; the same token now reads data.", d.io.Green("✓"))
	return nil
}

func (d *demo) useAPI(ctx context.Context, api *monzo.Client) error {
	d.heading("use the API")
	who, err := api.WhoAmI(ctx)
	if err != nil {
		return err
	}
	d.say("whoami: user %s via client %s", who.UserID, who.ClientID)
	accounts, err := api.Accounts.List(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out)
	tw := tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  ACCOUNT\tTYPE\tNAME\tBALANCE\tWITH POTS\tSPENT TODAY\n")
	for _, a := range accounts {
		if a.Closed {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\t\n", a.ID, a.Type, a.DisplayName(), d.io.Dim("closed"))
			continue
		}
		b, err := api.Balance.Get(ctx, a.ID)
		if err != nil {
			return err
		}
		money := func(v int64) string { return monzo.FormatAmount(v, b.Currency) + " " + b.Currency }
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Type, a.DisplayName(),
			money(b.Balance), money(b.TotalBalance), money(b.SpendToday))
	}
	return tw.Flush()
}

// redact shows the start of a secret so the user can tell values apart,
// never enough to use it.
func redact(secret string) string {
	if secret == "" {
		return "(none)"
	}
	if i := strings.IndexAny(secret, "_."); i > 0 && i < 16 {
		return secret[:i+1] + "…redacted"
	}
	return "…redacted"
}
