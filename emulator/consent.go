package emulator

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
)

// The consent page stands in for auth.monzo.com: the e-mailed magic link is
// skipped, the user picks which seeded user signs in and allows or denies.
// It is a plain HTML form and needs no JavaScript.

var consentTemplate = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allow {{.Client.Name}} to access your Monzo account? – Monzo emulator</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#112;line-height:1.5}
h1{font-size:1.4rem}fieldset{border:1px solid #ccd;border-radius:.5rem;margin:1rem 0}
label{display:block;padding:.25rem 0}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem;border-radius:.4rem;border:1px solid #889}
button[value=allow]{background:#14233c;color:#fff}code{background:#eef;padding:0 .2rem}small{color:#556}
</style>
</head>
<body>
<main>
<p><small>Monzo emulator · stands in for auth.monzo.com</small></p>
<h1>Allow <strong>{{.Client.Name}}</strong> to access your Monzo account?</h1>
<p><strong>{{.Client.Name}}</strong> (<code>{{.Client.ID}}</code>) is asking to:</p>
<ul>
{{range .Permissions}}<li>{{.}}</li>
{{end}}</ul>
<p>It cannot send money out of Monzo. You will be sent back to <code>{{.RedirectURI}}</code>.</p>
<form method="post" action="oauth2/authorize">
<input type="hidden" name="client_id" value="{{.Client.ID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="response_type" value="{{.ResponseType}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="csrf_token" value="{{.CSRFToken}}">
<fieldset>
<legend>Sign in as</legend>
{{range $i, $u := .Users}}<label><input type="radio" name="user_id" value="{{$u.ID}}"{{if eq $i 0}} checked{{end}}> {{$u.Name}} <small>{{$u.Email}}</small></label>
{{end}}</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p><small>As on the real API, the access token works only after the user approves the access "in the Monzo app".
Here that is <code>POST /_emulator/approve</code> (or the server's auto-approve option).</small></p>
</main>
</body>
</html>
`))

var authErrorTemplate = template.Must(template.New("autherror").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorisation error – Monzo emulator</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#eef;padding:0 .2rem}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
<p><small>Error code: <code>{{.Code}}</code>.{{if .SignIn}} The emulator never redirects to an unverified redirect URI.{{end}}</small></p>
</main>
</body>
</html>
`))

type consentPage struct {
	Client       OAuthClient
	RedirectURI  string
	ResponseType string
	State        string
	CSRFToken    string
	Users        []*user
	Permissions  []string
}

// consentPermissions names everything a grant lets the client do: every
// API the emulator serves to an approved token, writes included. Keep it in step with the routes behind requireApproved.
var consentPermissions = []string{
	"See your name and your accounts, with their sort codes and account numbers",
	"See your balances, what you spent today, and your pots",
	"See your transactions, with merchants, notes and attachments",
	"Move money between your accounts and your pots",
	"Add items to your Monzo feed",
	"Add notes and metadata to your transactions",
	"Upload files, such as photos of receipts, and attach them to your transactions",
	"Add, change and delete itemised receipts on your transactions",
	"Register webhooks that are told about every new transaction",
}

// authRequest is the validated query of an authorization request.
type authRequest struct {
	client      OAuthClient
	redirectURI string
	state       string
}

// handleConsent serves GET / on the auth host: the consent page.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	// requestParams refuses a parameter given twice with different values
	// (RFC 6749 §3.1: no parameter more than once), so a second
	// redirect_uri or state cannot slip past the checks.
	q, apiErr := requestParams(r)
	var req authRequest
	var users []*user
	if apiErr == nil {
		req, users, apiErr = s.bank.consentRequest(q)
	}
	if apiErr != nil {
		writeAuthErrorPage(w, apiErr)
		return
	}
	writeHTML(w, http.StatusOK, consentTemplate, consentPage{
		Client: req.client, RedirectURI: req.redirectURI, ResponseType: "code", State: req.state,
		CSRFToken: s.consentCSRF(w, r, req), Users: users, Permissions: consentPermissions,
	})
}

// handleAuthorize serves POST /oauth2/authorize, the consent form's target.
// Allow redirects with a fresh code; Deny redirects with
// error=access_denied. state is echoed in both.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAuthErrorPage(w, apiErr)
		return
	}
	req, apiErr := s.bank.checkAuthRequest(form)
	if apiErr == nil {
		apiErr = s.checkConsentCSRF(r, form, req)
	}
	var target string
	if apiErr == nil {
		target, apiErr = s.bank.authorize(form)
	}
	if apiErr != nil {
		writeAuthErrorPage(w, apiErr)
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// addQuery adds key=value and (if non-empty) state to rawURL, keeping any
// query the redirect URI already has.
func addQuery(rawURL, key, value, state string) string {
	u, err := url.Parse(rawURL)
	if err != nil { // validated at registration; be defensive anyway
		return rawURL
	}
	q := u.Query()
	q.Set(key, value)
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// authErrorPage is the data of authErrorTemplate.
type authErrorPage struct {
	Title, Message, Code string
	SignIn               bool // the page answers a sign-in request
}

// writeAuthErrorPage answers a sign-in request that cannot go on.
func writeAuthErrorPage(w http.ResponseWriter, e *apiError) {
	writeHTML(w, e.Status, authErrorTemplate, authErrorPage{Title: "Something is wrong with this sign-in link",
		Message: e.Message, Code: e.Code, SignIn: true})
}

// writeBrowserErrorPage answers a browser's request for a page that is not
// there (404, 405) with HTML instead of the API's JSON.
func writeBrowserErrorPage(w http.ResponseWriter, e *apiError) {
	writeHTML(w, e.Status, authErrorTemplate, authErrorPage{Title: "Monzo emulator: no such page",
		Message: e.Message, Code: e.Code})
}

func writeHTML(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		writeError(w, http.StatusInternalServerError, "internal_service.template", err.Error(), nil)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// No page of the auth host may be framed (clickjacking the Allow
	// button) or run script. No form-action: the consent form's answer
	// redirects to the client's own origin.
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'; default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
