package oauth

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/monzokit/monzo"
)

// secretKeys are the form and JSON keys whose values are secrets. A token
// endpoint (or a proxy in front of it) may echo the request body, which
// holds some of them, in an error message or page.
var secretKeys = `client_secret|refresh_token|access_token|id_token|code|password|assertion|code_verifier|token`

var (
	// formSecret matches key=value pairs of secretKeys, as in a form body
	// or a query string, keeping the key.
	formSecret = regexp.MustCompile(`(?i)\b(` + secretKeys + `)=[^&\s"'<>,;]*`)
	// jsonSecret matches "key": "value" pairs of secretKeys except "code",
	// which in Monzo's JSON errors is the error code, not a secret.
	jsonSecret = regexp.MustCompile(`(?i)("(?:client_secret|refresh_token|access_token|id_token|password|assertion|code_verifier|token)"\s*:\s*")[^"]*`)
	// bearerSecret matches an echoed Authorization header's credentials.
	bearerSecret = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
)

// scrubText removes secrets from text taken from a response: the known
// secret values of the request (as sent, and form-encoded), then anything
// shaped like a secret key=value pair or bearer credential.
func scrubText(s string, known []string) string {
	if s == "" {
		return s
	}
	for _, k := range known {
		if len(k) < 4 { // too short to be a secret; replacing it would garble the text
			continue
		}
		s = strings.ReplaceAll(s, k, redacted)
		if enc := url.QueryEscape(k); enc != k {
			s = strings.ReplaceAll(s, enc, redacted)
		}
	}
	s = formSecret.ReplaceAllString(s, "${1}="+redacted)
	s = jsonSecret.ReplaceAllString(s, "${1}"+redacted)
	s = bearerSecret.ReplaceAllString(s, "${1} "+redacted)
	return s
}

// scrubError returns err with every text taken from the response body
// scrubbed (see scrubText): an error from /oauth2/token or /oauth2/logout
// must never carry the request's secrets, even when a server or proxy
// echoes the request. A [*monzo.Error] is copied, so errors.As and errors.Is
// work as before.
func scrubError(err error, known ...string) error {
	var apiErr *monzo.Error
	if err == nil || !errors.As(err, &apiErr) {
		return err
	}
	c := *apiErr
	c.Code = scrubText(c.Code, known)
	c.Message = scrubText(c.Message, known)
	c.OAuthError = scrubText(c.OAuthError, known)
	c.OAuthDescription = scrubText(c.OAuthDescription, known)
	c.Excerpt = scrubText(c.Excerpt, known)
	if c.Params != nil {
		c.Params = make(map[string]string, len(apiErr.Params))
		for k, v := range apiErr.Params {
			c.Params[scrubText(k, known)] = scrubText(v, known)
		}
	}
	// Should err wrap the *monzo.Error (CheckResponse does not), only the
	// scrubbed copy is kept, since the wrapper's text may quote the body.
	return &c
}
