package authstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/oauth"
)

// ErrNotLoggedIn means the profile has no token store recorded: nobody has
// logged in with it. Errors naming the profile match it with errors.Is.
var ErrNotLoggedIn = errors.New("authstore: not logged in")

// ErrKeyringDisabled is the keyring store's error when the user turned the
// keyring off (MONZO_NO_KEYRING).
var ErrKeyringDisabled = errors.New("authstore: the keyring is disabled")

// NotLoggedInError says which profile is not logged in.
type NotLoggedInError struct{ Profile string }

// Error names the profile.
func (e *NotLoggedInError) Error() string {
	return fmt.Sprintf("authstore: profile %q is not logged in", e.Profile)
}

// Is makes the error match ErrNotLoggedIn.
func (e *NotLoggedInError) Is(target error) bool { return target == ErrNotLoggedIn }

// Stores opens the token stores of one configuration.
type Stores struct {
	Config *config.Config
	// Keyring is the OS keyring; nil disables it (file store only).
	Keyring Keyring
}

// keyringUser names a profile's keyring entry. The configuration directory
// is part of it so that two configurations never share a token.
func (s Stores) keyringUser(profile string) string {
	return profile + "@" + s.Config.Dir()
}

// File returns the profile's file store.
func (s Stores) File(profile string) (*oauth.FileStore, error) {
	return oauth.NewFileStore(s.Config.TokenFile(profile))
}

// KeyringStore returns the profile's keyring store; it fails when the
// keyring is disabled.
func (s Stores) KeyringStore(profile string) (*KeyringStore, error) {
	if s.Keyring == nil {
		return nil, ErrKeyringDisabled
	}
	lock, err := s.File(profile)
	if err != nil {
		return nil, err
	}
	return NewKeyringStore(s.Keyring, s.keyringUser(profile), lock), nil
}

// Open returns the store the profile's login used.
func (s Stores) Open(profile string) (oauth.Store, error) {
	switch kind := s.Config.Profile(profile).TokenStore; kind {
	case config.StoreKeyring:
		return s.KeyringStore(profile)
	case config.StoreFile:
		return s.File(profile)
	case "":
		return nil, &NotLoggedInError{Profile: profile}
	default:
		return nil, fmt.Errorf("authstore: unknown token_store %q in %s: run monzo login again", kind, s.Config.Path())
	}
}

// Describe says where a store keeps the token, for humans.
func Describe(st oauth.Store) string {
	switch st := st.(type) {
	case *KeyringStore:
		return st.String()
	case *oauth.FileStore:
		return st.Path()
	}
	return fmt.Sprintf("%T", st)
}

// Choice is where SaveNew put a token.
type Choice struct {
	Store oauth.Store
	// Kind is config.StoreKeyring or config.StoreFile.
	Kind string
	// Fallback is why the keyring was not used, when it was wanted.
	Fallback error
}

// SaveNew saves a fresh login's token: in the keyring when preferKeyring
// and it answers, else in the file store. A keyring failure is reported in
// Fallback, not as an error, so the caller can tell the user where the
// token went instead.
func (s Stores) SaveNew(ctx context.Context, profile string, tok *oauth.Token, preferKeyring bool) (Choice, error) {
	var fallback error
	if preferKeyring {
		ks, err := s.KeyringStore(profile)
		if err == nil {
			if err = ks.Save(ctx, tok); err == nil {
				return Choice{Store: ks, Kind: config.StoreKeyring}, nil
			}
		}
		fallback = err
	}
	fs, err := s.File(profile)
	if err != nil {
		return Choice{}, err
	}
	if err := fs.Save(ctx, tok); err != nil {
		return Choice{}, err
	}
	return Choice{Store: fs, Kind: config.StoreFile, Fallback: fallback}, nil
}

// DeleteAll removes the profile's token from every store, so a logout
// leaves nothing behind wherever an earlier login put it.
func (s Stores) DeleteAll(ctx context.Context, profile string) error {
	var errs []error
	if fs, err := s.File(profile); err == nil {
		errs = append(errs, fs.Delete(ctx))
	} else {
		errs = append(errs, err)
	}
	if s.Keyring != nil {
		if ks, err := s.KeyringStore(profile); err == nil {
			// A keyring that does not answer matters only when the login
			// put the token there.
			if err := ks.Delete(ctx); err != nil && s.Config.Profile(profile).TokenStore == config.StoreKeyring {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
