package oauth

import (
	"errors"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/redact"
)

// scrubError returns err with every text taken from the response body
// scrubbed (see redact.Text): an error from /oauth2/token or /oauth2/logout
// must never carry the request's secrets, even when a server or proxy
// echoes the request. A [*monzo.Error] is copied, so errors.As and errors.Is
// work as before.
func scrubError(err error, known ...string) error {
	var apiErr *monzo.Error
	if err == nil || !errors.As(err, &apiErr) {
		return err
	}
	c := *apiErr
	c.Code = redact.Text(c.Code, known...)
	c.Message = redact.Text(c.Message, known...)
	c.OAuthError = redact.Text(c.OAuthError, known...)
	c.OAuthDescription = redact.Text(c.OAuthDescription, known...)
	c.Excerpt = redact.Text(c.Excerpt, known...)
	if c.Params != nil {
		c.Params = make(map[string]string, len(apiErr.Params))
		for k, v := range apiErr.Params {
			c.Params[redact.Text(k, known...)] = redact.Text(v, known...)
		}
	}
	// Should err wrap the *monzo.Error (CheckResponse does not), only the
	// scrubbed copy is kept, since the wrapper's text may quote the body.
	return &c
}
