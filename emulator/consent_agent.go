package emulator

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Consent is what [SubmitConsent] does on the consent page.
type Consent struct {
	// UserID signs in as this seeded user; "" picks the page's default (the
	// primary user).
	UserID string
	// Deny refuses access instead of allowing it.
	Deny bool
}

var (
	consentFormAction  = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	consentHiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	consentCheckedUser = regexp.MustCompile(`<input type="radio" name="user_id" value="([^"]+)" checked>`)
)

// SubmitConsent plays the user's browser on the emulator's consent page, for
// demos and tests that run the authorization-code flow without a person: it
// loads authURL (the URL built by oauth.Config.AuthCodeURL), submits the
// consent form as c says, and returns the URL the emulator redirects to —
// the client's redirect URI carrying code and state, or error=access_denied.
// It does not follow that redirect. An error page (unknown client, a
// redirect URI that does not match) is returned as an error quoting the
// page's message.
func SubmitConsent(ctx context.Context, hc *http.Client, authURL string, c Consent) (*url.URL, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	page, err := url.Parse(authURL)
	if err != nil {
		return nil, fmt.Errorf("emulator: bad authorization URL: %w", err)
	}
	body, status, cookies, err := get(ctx, &noFollow, page.String())
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("emulator: consent page answered %d: %s", status, pageMessage(body))
	}
	action := consentFormAction.FindStringSubmatch(body)
	if action == nil {
		return nil, fmt.Errorf("emulator: no consent form on %s", page.Redacted())
	}
	form := url.Values{}
	for _, m := range consentHiddenInput.FindAllStringSubmatch(body, -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	userID := c.UserID
	if userID == "" {
		if m := consentCheckedUser.FindStringSubmatch(body); m != nil {
			userID = html.UnescapeString(m[1])
		}
	}
	form.Set("user_id", userID)
	form.Set("decision", "allow")
	if c.Deny {
		form.Set("decision", "deny")
	}
	target, err := page.Parse(html.UnescapeString(action[1]))
	if err != nil {
		return nil, fmt.Errorf("emulator: bad consent form action: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// The form's CSRF token is bound to the page's cookie: send it back,
	// as a browser would, even if hc has no cookie jar.
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, fmt.Errorf("emulator: submitting consent: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, fmt.Errorf("emulator: consent answered %d instead of a redirect: %s", resp.StatusCode, pageMessage(string(b)))
	}
	return resp.Location()
}

// get loads a page, returning its body, status and the cookies it set.
func get(ctx context.Context, hc *http.Client, u string) (string, int, []*http.Cookie, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", 0, nil, err
	}
	req.Header.Set("Accept", "text/html")
	resp, err := hc.Do(req)
	if err != nil {
		return "", 0, nil, fmt.Errorf("emulator: loading the consent page: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return string(b), resp.StatusCode, resp.Cookies(), err
}

var pageParagraph = regexp.MustCompile(`<p>([^<]*)</p>`)

// pageMessage pulls the explanation out of an emulator error page.
func pageMessage(body string) string {
	if m := pageParagraph.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return strings.TrimSpace(body)
}
