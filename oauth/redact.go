package oauth

import (
	"fmt"
	"log/slog"

	"github.com/monzokit/monzo/internal/redact"
)

// Every type of this package that holds a secret (a client secret, an
// access or refresh token, an authorization code) prints a description
// with the secret replaced by "[redacted]" under every fmt verb (%v, %+v,
// %#v, %s, %q, %x, %d, ...) and logs the same way with log/slog, so a stray
// Printf or log line cannot leak it. Under encoding/json they encode that
// same description (slog's JSON handler encodes a value nested in a struct,
// map or slice with json.Marshal), except [Token]: its JSON is what the
// stores write, and must stay lossless (see [Token]).

func setOrNil(set bool) string {
	if set {
		return "set"
	}
	return "nil"
}

// String describes the Config without its client secret.
func (c Config) String() string {
	return fmt.Sprintf("oauth.Config{ClientID: %q, ClientSecret: %s, RedirectURL: %q, AuthURL: %q, APIBaseURL: %q, HTTPClient: %s, Clock: %s}",
		c.ClientID, redact.State(c.ClientSecret), c.RedirectURL, c.AuthURL, c.APIBaseURL, setOrNil(c.HTTPClient != nil), setOrNil(c.Clock != nil))
}

// GoString redacts the client secret for %#v too.
func (c Config) GoString() string { return c.String() }

// Format makes every fmt verb print [Config.String].
func (c Config) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }

// LogValue implements [slog.LogValuer], without the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redact.State(c.ClientSecret)),
		slog.String("redirect_url", c.RedirectURL),
		slog.String("auth_url", c.authURL()),
		slog.String("api_base_url", c.apiBaseURL()),
	)
}

// MarshalJSON encodes [Config.LogValue]: never the client secret. A Config
// is not a storage format (its Clock and HTTPClient cannot be encoded
// either); keep the secret in your own configuration.
func (c Config) MarshalJSON() ([]byte, error) { return redact.JSON(c.LogValue()) }

// Format makes every fmt verb print [Callback.String], without the code.
func (cb Callback) Format(f fmt.State, verb rune) { redact.Format(f, verb, cb.String()) }

// LogValue implements [slog.LogValuer], without the code.
func (cb Callback) LogValue() slog.Value {
	return slog.GroupValue(slog.String("code", redact.State(cb.Code)), slog.String("state", cb.State))
}

// MarshalJSON encodes [Callback.LogValue]: never the code.
func (cb Callback) MarshalJSON() ([]byte, error) { return redact.JSON(cb.LogValue()) }

// String describes the source by its client and store, never its tokens.
func (ts *TokenSource) String() string {
	if ts == nil {
		return "<nil>"
	}
	return fmt.Sprintf("oauth.TokenSource{ClientID: %q, APIBaseURL: %q, Store: %s}", ts.cfg.ClientID, ts.cfg.apiBaseURL(), storeName(ts.store))
}

// Format makes every fmt verb print [TokenSource.String].
func (ts *TokenSource) Format(f fmt.State, verb rune) { redact.Format(f, verb, ts.String()) }

// LogValue implements [slog.LogValuer], without secrets.
func (ts *TokenSource) LogValue() slog.Value {
	if ts == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("client_id", ts.cfg.ClientID), slog.String("api_base_url", ts.cfg.apiBaseURL()), slog.String("store", storeName(ts.store)))
}

// MarshalJSON encodes [TokenSource.LogValue], without secrets.
func (ts *TokenSource) MarshalJSON() ([]byte, error) { return redact.JSON(ts.LogValue()) }

// storeName names a store without printing what it holds (a user's store
// type might not redact).
func storeName(s Store) string {
	switch s := s.(type) {
	case *FileStore:
		return s.String()
	case *MemoryStore:
		return "oauth.MemoryStore"
	}
	return fmt.Sprintf("%T", s)
}

// String describes the store's token, redacted.
func (s *MemoryStore) String() string {
	if s == nil {
		return "<nil>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return "oauth.MemoryStore{Token: " + s.tok.String() + "}"
}

// Format makes every fmt verb print [MemoryStore.String].
func (s *MemoryStore) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// LogValue implements [slog.LogValuer]: the stored token, redacted.
func (s *MemoryStore) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return slog.GroupValue(slog.String("token", "none"))
	}
	return slog.GroupValue(slog.Any("token", *s.tok))
}

// MarshalJSON encodes [MemoryStore.LogValue]: the stored token, redacted.
// (A store is not a storage format; the token's own JSON is.)
func (s *MemoryStore) MarshalJSON() ([]byte, error) { return redact.JSON(s.LogValue()) }

// String names the token file (its path is not a secret; its content is
// never read for printing).
func (s *FileStore) String() string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("oauth.FileStore{Path: %q}", s.path)
}

// Format makes every fmt verb print [FileStore.String].
func (s *FileStore) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// LogValue implements [slog.LogValuer]: the token file's path.
func (s *FileStore) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("path", s.path))
}

// MarshalJSON encodes [FileStore.LogValue]: the token file's path.
func (s *FileStore) MarshalJSON() ([]byte, error) { return redact.JSON(s.LogValue()) }
