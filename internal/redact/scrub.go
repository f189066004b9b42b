package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// secretKeys are the form and JSON keys whose values are secrets. A server
// (or a proxy in front of it) may echo the request, which holds some of
// them, in an error message or page.
const secretKeys = `client_secret|refresh_token|access_token|id_token|code|password|assertion|code_verifier|token`

var (
	// formSecret matches key=value pairs of secretKeys, as in a form body
	// or a query string, keeping the key.
	formSecret = regexp.MustCompile(`(?i)\b(` + secretKeys + `)=[^&\s"'<>,;]*`)
	// jsonSecret matches "key": "value" pairs of secretKeys except "code",
	// which in Monzo's JSON errors is the error code, not a secret.
	jsonSecret = regexp.MustCompile(`(?i)("(?:client_secret|refresh_token|access_token|id_token|password|assertion|code_verifier|token)"\s*:\s*")[^"]*`)
	// bearerSecret matches an echoed Authorization header's credentials:
	// 16 characters at least, so that a message about a "bearer token"
	// keeps its words (no real credential is that short).
	bearerSecret = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{16,}`)
)

// Text removes secrets from text taken from a response (an error message,
// a proxy's page): the known secret values of the request (as sent, and
// form-encoded), then anything shaped like a secret key=value pair, JSON
// "key": "value" pair or bearer credential. Known values shorter than four
// characters are left alone: they cannot be secrets, and replacing them
// would garble the text.
func Text(s string, known ...string) string {
	if s == "" {
		return s
	}
	for _, k := range known {
		if len(k) < 4 {
			continue
		}
		s = strings.ReplaceAll(s, k, Placeholder)
		if enc := url.QueryEscape(k); enc != k {
			s = strings.ReplaceAll(s, enc, Placeholder)
		}
	}
	s = formSecret.ReplaceAllString(s, "${1}="+Placeholder)
	s = jsonSecret.ReplaceAllString(s, "${1}"+Placeholder)
	s = bearerSecret.ReplaceAllString(s, "${1} "+Placeholder)
	return s
}
