package webhook

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/monzokit/monzo/internal/weburl"
)

// DefaultSecretParam is the query parameter that carries the secret unless
// [Options].SecretParam names another.
const DefaultSecretParam = "token"

// GenerateSecret returns a new random secret (256 bits, URL-safe base64) for
// a webhook URL. Store it with your configuration: the handler needs it to
// accept deliveries.
func GenerateSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// URLWithSecret returns base with secret added as the "token" query
// parameter ([DefaultSecretParam]), ready to register with
// monzo.WebhooksService.Create. base must be an absolute http(s) URL. Use
// [Handler.URL] when the handler uses another parameter name.
func URLWithSecret(base, secret string) (string, error) {
	return urlWithSecret(base, DefaultSecretParam, secret)
}

func urlWithSecret(base, param, secret string) (string, error) {
	if secret == "" {
		return "", invalid("webhook: the secret is empty; make one with GenerateSecret")
	}
	u, err := weburl.ParseAbsolute(base)
	if err != nil {
		return "", invalid("webhook: %q: %v; want e.g. https://example.com/monzo", weburl.RedactQuery(base), err)
	}
	q := u.Query()
	q.Set(param, secret)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// secretsEqual compares in constant time. Hashing first keeps the comparison
// from leaking the secret's length.
func secretsEqual(got, want string) bool {
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
