package authstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofrs/flock"

	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/oauth"
)

// hungKeyring never answers, like D-Bus without a secret service.
type hungKeyring struct{ release chan struct{} }

func (k hungKeyring) Get(string, string) (string, error) { <-k.release; return "", nil }
func (k hungKeyring) Set(string, string, string) error   { <-k.release; return nil }
func (k hungKeyring) Delete(string, string) error        { <-k.release; return nil }

func TestKeyringStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg, _ := config.Load(t.TempDir())
	kr := clitest.NewMemKeyring()
	stores := authstore.Stores{Config: cfg, Keyring: kr}
	ks, err := stores.KeyringStore("p")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Load(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Fatalf("empty keyring: %v, want ErrNoToken", err)
	}
	tok := &oauth.Token{AccessToken: "acctok_1", RefreshToken: "reftok_1", UserID: "user_1", Expiry: time.Unix(1e9, 0).UTC()}
	if err := ks.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := ks.Load(ctx)
	if err != nil || got.AccessToken != "acctok_1" || got.RefreshToken != "reftok_1" || !got.Expiry.Equal(tok.Expiry) {
		t.Fatalf("Load = %v, %v", got, err)
	}
	// A second profile, or a second configuration, is a different entry.
	other, _ := stores.KeyringStore("q")
	if _, err := other.Load(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Errorf("profile q sees profile p's token: %v", err)
	}
	unlock, err := ks.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if err := ks.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ks.Delete(ctx); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if _, err := ks.Load(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Errorf("after Delete: %v", err)
	}
}

func TestKeyringEntryThatIsNotATokenDoesNotLeakIt(t *testing.T) {
	cfg, _ := config.Load(t.TempDir())
	kr := clitest.NewMemKeyring()
	ks, _ := authstore.Stores{Config: cfg, Keyring: kr}.KeyringStore("p")
	kr.Set(authstore.Service, "p@"+cfg.Dir(), "acctok_secretvalue-not-json")
	_, err := ks.Load(context.Background())
	if err == nil || strings.Contains(err.Error(), "acctok_secretvalue") {
		t.Errorf("Load of garbage: %v", err)
	}
}

func TestBoundedKeyringGivesUpOnASilentKeyring(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		k := hungKeyring{release: make(chan struct{})}
		defer close(k.release)
		b := authstore.Bounded(k, time.Second)
		if err := b.Set("s", "u", "v"); err == nil {
			t.Error("Set on a keyring that never answers succeeded")
		}
		if _, err := b.Get("s", "u"); err == nil {
			t.Error("Get on a keyring that never answers succeeded")
		}
	})
}

func TestSaveNewFallsBackToTheFileWhenTheKeyringFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		cfg, _ := config.Load(t.TempDir())
		k := hungKeyring{release: make(chan struct{})}
		defer close(k.release)
		stores := authstore.Stores{Config: cfg, Keyring: authstore.Bounded(k, time.Second)}
		choice, err := stores.SaveNew(ctx, "p", &oauth.Token{AccessToken: "acctok_1"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if choice.Kind != config.StoreFile || choice.Fallback == nil {
			t.Fatalf("choice %+v, want the file store and a reason", choice)
		}
		fs, _ := stores.File("p")
		if tok, err := fs.Load(ctx); err != nil || tok.AccessToken != "acctok_1" {
			t.Errorf("file store holds %v, %v", tok, err)
		}
	})
}

// TestKeyringStoreLocksTheFileBesideTheConfiguration: the keyring has no
// lock, so a keyring store takes an flock on a file beside the
// configuration, which another process (here: another flock on the same
// file) cannot take meanwhile.
func TestKeyringStoreLocksTheFileBesideTheConfiguration(t *testing.T) {
	cfg, err := config.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ks, err := authstore.Stores{Config: cfg, Keyring: clitest.NewMemKeyring()}.KeyringStore("p")
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := ks.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other := flock.New(cfg.TokenFile("p") + ".lock")
	if ok, err := other.TryLock(); err != nil || ok {
		t.Fatalf("another process could lock while the store held it: ok=%v err=%v", ok, err)
	}
	unlock()
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Fatalf("the lock was not released: ok=%v err=%v", ok, err)
	}
	other.Unlock()
}
