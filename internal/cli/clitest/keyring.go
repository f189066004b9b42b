package clitest

import (
	"sync"

	"github.com/monzokit/monzo/internal/cli/authstore"
)

// MemKeyring stands in for the OS keyring in tests.
type MemKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemKeyring returns an empty keyring.
func NewMemKeyring() *MemKeyring { return &MemKeyring{m: map[string]string{}} }

// Get reads a secret.
func (k *MemKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"/"+user]
	if !ok {
		return "", authstore.ErrKeyringNotFound
	}
	return v, nil
}

// Set writes a secret.
func (k *MemKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[service+"/"+user] = secret
	return nil
}

// Delete removes a secret.
func (k *MemKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[service+"/"+user]; !ok {
		return authstore.ErrKeyringNotFound
	}
	delete(k.m, service+"/"+user)
	return nil
}

// Len is how many secrets are stored.
func (k *MemKeyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}

// Values lists the stored secrets.
func (k *MemKeyring) Values() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, v := range k.m {
		out = append(out, v)
	}
	return out
}
