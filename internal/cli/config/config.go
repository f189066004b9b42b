// Package config reads and writes the monzo command's configuration: one
// JSON file in the user's config directory holding named profiles, each a
// login to Monzo (or to an emulator).
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/monzokit/monzo/internal/redact"
)

// DefaultProfile is the profile used when neither --profile nor
// MONZO_PROFILE names one.
const DefaultProfile = "default"

// FileName is the configuration file's name inside Dir.
const FileName = "config.json"

// Token store kinds recorded on a profile.
const (
	StoreKeyring = "keyring"
	StoreFile    = "file"
)

// Profile is one login's settings. The client secret is kept here (the file
// is 0600 in a 0700 directory) because refreshing a token needs it.
type Profile struct {
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	RedirectURL  string `json:"redirect_url,omitempty"`
	// APIURL and AuthURL point the profile at another host, such as an
	// emulator; empty means Monzo's.
	APIURL  string `json:"api_url,omitempty"`
	AuthURL string `json:"auth_url,omitempty"`
	// TokenStore says where login put the token: StoreKeyring or StoreFile.
	TokenStore string `json:"token_store,omitempty"`
	// UserID is the user the token acts for, for `auth status` without a
	// request.
	UserID string `json:"user_id,omitempty"`
}

// String describes the profile without its client secret, so that a stray
// %v never prints it.
func (p Profile) String() string {
	return fmt.Sprintf("{client_id:%s redirect_url:%s api_url:%s auth_url:%s token_store:%s}",
		p.ClientID, p.RedirectURL, p.APIURL, p.AuthURL, p.TokenStore)
}

// GoString redacts the secret for %#v too.
func (p Profile) GoString() string { return "config.Profile" + p.String() }

// Format prints [Profile.String] (GoString for %#v) under every verb: fmt
// would print the secret field of a struct under %d or %t.
func (p Profile) Format(f fmt.State, verb rune) {
	d := p.String()
	if verb == 'v' && f.Flag('#') {
		d = p.GoString()
	}
	redact.Format(f, verb, d)
}

// LogValue implements slog.LogValuer without the client secret. A
// Profile's JSON is the configuration file's format and keeps the secret,
// so never log a struct holding a Profile with slog's JSON handler.
func (p Profile) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", p.ClientID), slog.String("client_secret", redact.State(p.ClientSecret)),
		slog.String("redirect_url", p.RedirectURL), slog.String("api_url", p.APIURL), slog.String("auth_url", p.AuthURL),
		slog.String("token_store", p.TokenStore))
}

// Config is the whole configuration file.
type Config struct {
	// Profiles by name.
	Profiles map[string]*Profile `json:"profiles"`

	dir string
}

// LogValue implements slog.LogValuer: the file and its profiles, each
// without its client secret (the Config's JSON is the file and keeps them).
func (c *Config) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("path", c.Path())}
	for _, name := range c.ProfileNames() {
		attrs = append(attrs, slog.Any(name, *c.Profile(name)))
	}
	return slog.GroupValue(attrs...)
}

var profileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// ValidateProfileName reports a profile name that cannot be used as part of
// a file name.
func ValidateProfileName(name string) error {
	if !profileName.MatchString(name) {
		return fmt.Errorf("config: profile name %q is not valid: use letters, digits, '.', '_' and '-' (at most 64)", name)
	}
	return nil
}

// Dir returns the configuration directory: $MONZO_CONFIG_DIR, else
// $XDG_CONFIG_HOME/monzo, else the platform's user config directory
// (~/.config/monzo on Linux) plus "monzo".
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("MONZO_CONFIG_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "monzo"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: no configuration directory (%w): set MONZO_CONFIG_DIR", err)
	}
	return filepath.Join(d, "monzo"), nil
}

// Load reads the configuration in dir. A missing file is an empty
// configuration.
func Load(dir string) (*Config, error) {
	c := &Config{dir: dir, Profiles: map[string]*Profile{}}
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("config: %s is not valid JSON (%v): fix or remove it", filepath.Join(dir, FileName), err)
	}
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	return c, nil
}

// Dir returns the directory the configuration lives in.
func (c *Config) Dir() string { return c.dir }

// Path returns the configuration file's path.
func (c *Config) Path() string { return filepath.Join(c.dir, FileName) }

// Profile returns the named profile, or an empty one (not yet saved) when
// there is none.
func (c *Config) Profile(name string) *Profile {
	if p, ok := c.Profiles[name]; ok && p != nil {
		return p
	}
	return &Profile{}
}

// HasProfile reports whether a profile of that name is saved.
func (c *Config) HasProfile(name string) bool {
	_, ok := c.Profiles[name]
	return ok
}

// ProfileNames lists the saved profiles, sorted.
func (c *Config) ProfileNames() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SetProfile stores p under name; call Save to write it.
func (c *Config) SetProfile(name string, p *Profile) { c.Profiles[name] = p }

// TokenFile is where the file token store keeps a profile's token.
func (c *Config) TokenFile(profile string) string {
	return filepath.Join(c.dir, "tokens", profile+".json")
}

// Save writes the configuration atomically, 0600 in a 0700 directory: it
// holds client secrets.
func (c *Config) Save() error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	tmp, err := os.CreateTemp(c.dir, ".config-*.json")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("config: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("config: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("config: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.Path()); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
