// Package authstore keeps the monzo command's tokens: in the operating
// system's keyring when one answers, else in oauth's 0600 file store.
//
// Both keep oauth's guarantees. A rotated refresh token is saved before it
// is used because oauth.TokenSource does that with any Store; refreshes are
// serialised across processes because both stores are oauth.Lockers. The
// keyring has no lock of its own, so KeyringStore borrows the file store's
// lock file beside the configuration.
package authstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/monzokit/monzo/internal/redact"
	"github.com/monzokit/monzo/oauth"
)

// Service is the keyring service name the tokens are filed under.
const Service = "monzokit-cli"

// DefaultKeyringTimeout bounds each keyring call: on a machine without a
// secret service, D-Bus may never answer, and a CLI must not hang.
const DefaultKeyringTimeout = 3 * time.Second

// Keyring is the part of an OS keyring the stores use.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// ErrKeyringNotFound is what a Keyring's Get and Delete return when nothing
// is stored under the name.
var ErrKeyringNotFound = keyring.ErrNotFound

// SystemKeyring is the OS keyring (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows), each call bounded by Timeout.
type SystemKeyring struct {
	// Timeout bounds each call; 0 means DefaultKeyringTimeout.
	Timeout time.Duration
}

// osKeyring calls go-keyring directly.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Get reads a secret.
func (k SystemKeyring) Get(service, user string) (string, error) {
	return Bounded(osKeyring{}, k.Timeout).Get(service, user)
}

// Set writes a secret.
func (k SystemKeyring) Set(service, user, secret string) error {
	return Bounded(osKeyring{}, k.Timeout).Set(service, user, secret)
}

// Delete removes a secret.
func (k SystemKeyring) Delete(service, user string) error {
	return Bounded(osKeyring{}, k.Timeout).Delete(service, user)
}

// Bounded returns k with every call limited to timeout (0 means
// DefaultKeyringTimeout). A call that times out keeps running in the
// background; its result is ignored.
func Bounded(k Keyring, timeout time.Duration) Keyring {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return boundedKeyring{k, timeout}
}

type boundedKeyring struct {
	k       Keyring
	timeout time.Duration
}

func (b boundedKeyring) Get(service, user string) (string, error) {
	var s string
	err := b.run(func() (err error) { s, err = b.k.Get(service, user); return err })
	return s, err
}

func (b boundedKeyring) Set(service, user, secret string) error {
	return b.run(func() error { return b.k.Set(service, user, secret) })
}

func (b boundedKeyring) Delete(service, user string) error {
	return b.run(func() error { return b.k.Delete(service, user) })
}

func (b boundedKeyring) run(f func() error) error {
	// Buffered, so a late answer does not block the abandoned goroutine.
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(b.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("authstore: the keyring did not answer within %s (is a secret service running?)", b.timeout)
	}
}

// KeyringStore is an oauth.Store and oauth.Locker keeping one profile's
// token in a Keyring.
type KeyringStore struct {
	kr   Keyring
	user string
	lock oauth.Locker
}

// NewKeyringStore returns a store for the token filed under user in kr,
// locked across processes by lock (a FileStore's lock on a file beside the
// configuration).
func NewKeyringStore(kr Keyring, user string, lock oauth.Locker) *KeyringStore {
	return &KeyringStore{kr: kr, user: user, lock: lock}
}

// Load reads the token; nothing stored is oauth.ErrNoToken.
func (s *KeyringStore) Load(context.Context) (*oauth.Token, error) {
	raw, err := s.kr.Get(Service, s.user)
	if errors.Is(err, ErrKeyringNotFound) {
		return nil, oauth.ErrNoToken
	}
	if err != nil {
		return nil, fmt.Errorf("authstore: reading the token from the keyring: %w", err)
	}
	var tok oauth.Token
	if err := json.Unmarshal([]byte(raw), &tok); err != nil {
		// Never echo raw: it holds the tokens.
		return nil, errors.New("authstore: the keyring entry is not a token: run monzo login again")
	}
	return &tok, nil
}

// Save replaces the token. Keyrings replace an entry in one call, so a
// crash leaves the old token or the new one.
func (s *KeyringStore) Save(_ context.Context, tok *oauth.Token) error {
	data, err := json.Marshal(tok)
	if err != nil {
		return fmt.Errorf("authstore: %w", err)
	}
	if err := s.kr.Set(Service, s.user, string(data)); err != nil {
		return fmt.Errorf("authstore: saving the token to the keyring: %w", err)
	}
	return nil
}

// Delete removes the token; nothing stored is not an error.
func (s *KeyringStore) Delete(context.Context) error {
	if err := s.kr.Delete(Service, s.user); err != nil && !errors.Is(err, ErrKeyringNotFound) {
		return fmt.Errorf("authstore: deleting the token from the keyring: %w", err)
	}
	return nil
}

// Lock takes the cross-process lock.
func (s *KeyringStore) Lock(ctx context.Context) (func() error, error) {
	return s.lock.Lock(ctx)
}

// String says where the token is, for `monzo auth status`.
func (s *KeyringStore) String() string {
	return fmt.Sprintf("the system keyring (service %q)", Service)
}

// Format prints [KeyringStore.String] under every verb: fmt would otherwise
// print the keyring it holds, and a keyring kept in memory (as in tests)
// holds the token.
func (s *KeyringStore) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// LogValue implements slog.LogValuer: where the token is, never the token.
func (s *KeyringStore) LogValue() slog.Value { return slog.StringValue(s.String()) }
