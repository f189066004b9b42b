package emulator

import (
	"crypto/subtle"
	"fmt"
)

// clientSecretMatches reports whether clientID names a client whose secret
// is secret (compared in constant time).
func (b *bank) clientSecretMatches(clientID, secret string) bool {
	b.mu.Lock()
	defer b.unlock()
	c := b.clients[clientID]
	return c != nil && subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) == 1
}

// DefaultClient is the operation behind [Server.DefaultClient].
func (b *bank) DefaultClient() OAuthClient {
	b.mu.Lock()
	defer b.unlock()
	return *b.clients[b.defaultClientID]
}

// Clients is the operation behind [Server.Clients].
func (b *bank) Clients() []OAuthClient {
	b.mu.Lock()
	defer b.unlock()
	out := make([]OAuthClient, 0, len(b.clientOrder))
	for _, id := range b.clientOrder {
		out = append(out, *b.clients[id])
	}
	return out
}

// RegisterClient is the operation behind [Server.RegisterClient].
func (b *bank) RegisterClient(opts ClientOptions) (OAuthClient, error) {
	if opts.RedirectURI == "" {
		opts.RedirectURI = b.cfg.redirectURI
	}
	if err := validateRedirectURI(opts.RedirectURI); err != nil {
		return OAuthClient{}, fmt.Errorf("emulator: RegisterClient: %w", err)
	}
	b.mu.Lock()
	defer b.unlock()
	if opts.Name == "" {
		opts.Name = fmt.Sprintf("Test client %d", len(b.clientOrder)+1)
	}
	c := &OAuthClient{
		ID:           b.newID("oauth2client", b.now()),
		Secret:       clientSecretPrefix(opts.Confidential) + randomString(86),
		Name:         opts.Name,
		RedirectURI:  opts.RedirectURI,
		Confidential: opts.Confidential,
	}
	b.clients[c.ID] = c
	b.clientOrder = append(b.clientOrder, c.ID)
	return *c, nil
}
