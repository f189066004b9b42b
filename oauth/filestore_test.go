package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gofrs/flock"
)

func TestFileStoreRoundTripAndPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "config", "monzo")
	s, err := NewFileStore(filepath.Join(dir, "token.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Load before Save = %v, want ErrNoToken", err)
	}
	tok := sampleToken()
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx)
	if err != nil || *got != *tok {
		t.Fatalf("Load = %v, %v; want the saved token", got, err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o700, s.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", path, fi.Mode().Perm(), want)
		}
	}
	// Overwrite: still 0600, no temporary files left behind.
	tok2 := *tok
	tok2.AccessToken = "new-SECRET"
	if err := s.Save(ctx, &tok2); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "token.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only token.json", names)
	}
	if got, _ := s.Load(ctx); got.AccessToken != "new-SECRET" {
		t.Errorf("Load after overwrite = %v", got)
	}

	if err := s.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Load after Delete = %v, want ErrNoToken", err)
	}
	if err := s.Delete(ctx); err != nil {
		t.Fatalf("second Delete = %v, want nil", err)
	}
}

func TestFileStoreRefusesWorldReadableFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	s, _ := NewFileStore(path)
	if err := s.Save(ctx, sampleToken()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load(ctx)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Load of a 0644 file = %v, want a chmod hint", err)
	}
	// Saving replaces the file with a private one.
	if err := s.Save(ctx, sampleToken()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); err != nil {
		t.Fatalf("Load after Save = %v", err)
	}
}

func TestFileStoreCorruptFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	if err := os.WriteFile(path, []byte(`{"access_token":"SECRET`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := NewFileStore(path)
	_, err := s.Load(ctx)
	if err == nil || !strings.Contains(err.Error(), "corrupt") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Load of a torn file = %v", err)
	}
}

func TestFileStoreSaveFailureLeavesOldToken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// A 250-byte name fits, but its temporary sibling ".<name>.tmp-…" does
	// not (NAME_MAX is 255), so Save fails after the first one, even as root.
	path := filepath.Join(dir, strings.Repeat("t", 250))
	data, _ := json.Marshal(sampleToken())
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Skipf("this filesystem refuses long names: %v", err)
	}
	s, _ := NewFileStore(path)
	next := sampleToken()
	next.AccessToken = "other"
	if err := s.Save(ctx, next); err == nil {
		t.Skip("this filesystem accepts names over 255 bytes")
	}
	if got, err := s.Load(ctx); err != nil || got.AccessToken != secretAccess {
		t.Fatalf("after a failed Save, Load = %v, %v; want the old token intact", got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed Save left %d files behind", len(entries)-1)
	}
}

func TestFileStoreLockExcludesOthers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "token.json")
	a, _ := NewFileStore(path)
	b, _ := NewFileStore(path)

	unlock, err := a.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Another handle on the lock file (as another process would have) is
	// refused while a holds it.
	other := flock.New(path + ".lock")
	if ok, err := other.TryLock(); err != nil || ok {
		t.Fatalf("TryLock while locked = %v, %v; want false", ok, err)
	}
	// b waits, and gives up when its context ends.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := b.Lock(cctx)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("b.Lock with a cancelled context = %v, want context.Canceled", err)
	}

	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Fatalf("second unlock = %v, want nil", err)
	}
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Fatalf("TryLock after unlock = %v, %v; want true", ok, err)
	}
	// Now b blocks until other lets go. b's context reports when b first
	// waits on it, which flock only does after a refused attempt.
	third := flock.New(path + ".lock")
	wctx := &waitSignalContext{Context: ctx, waiting: make(chan struct{})}
	var released atomic.Bool
	type lockResult struct {
		unlock      func() error
		err         error
		afterSignal bool
	}
	got := make(chan lockResult, 1)
	go func() {
		u, err := b.Lock(wctx)
		got <- lockResult{u, err, released.Load()}
	}()
	select {
	case <-wctx.waiting:
	case r := <-got:
		t.Fatalf("b.Lock returned (%v) while other held the lock, without waiting", r.err)
	}
	if ok, err := third.TryLock(); err != nil || ok {
		t.Fatalf("TryLock from a third handle while other holds the lock = %v, %v; want false", ok, err)
	}
	select {
	case r := <-got:
		t.Fatalf("b.Lock returned (%v) while other held the lock", r.err)
	default: // still waiting, as it should be
	}
	released.Store(true)
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.unlock == nil {
		t.Fatalf("b.Lock after other let go = %v", r.err)
	}
	if !r.afterSignal {
		t.Fatal("b.Lock returned before other let go")
	}
	if ok, err := third.TryLock(); err != nil || ok {
		t.Fatalf("TryLock while b holds the lock = %v, %v; want false", ok, err)
	}
	if err := r.unlock(); err != nil {
		t.Fatal(err)
	}
	if ok, err := third.TryLock(); err != nil || !ok {
		t.Fatalf("TryLock after b let go = %v, %v; want true", ok, err)
	}
	third.Close()
	if fi, err := os.Stat(path + ".lock"); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Errorf("lock file: %v, %v", fi, err)
	}
}

// waitSignalContext closes waiting the first time Done is called, that is
// when a lock attempt has been refused and the caller starts to wait.
type waitSignalContext struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *waitSignalContext) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

func TestFileStoreDirectoryPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	ctx := context.Background()

	// A missing directory is created private.
	fresh := filepath.Join(t.TempDir(), "new")
	s, _ := NewFileStore(filepath.Join(fresh, "token.json"))
	if err := s.Save(ctx, sampleToken()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("fresh token directory: %v, %v; want mode 0700", fi, err)
	}

	for _, tt := range []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o700, true},
		{0o755, true}, // readable by others is fine: the file itself is 0600
		{0o750, true},
		{0o775, true},  // group-writable: the user's private group under umask 002
		{0o757, false}, // other-writable
		{0o777, false},
		{0o777 | os.ModeSticky, true}, // like /tmp: others cannot replace our files
	} {
		t.Run(tt.mode.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, tt.mode); err != nil { // Chmod ignores the umask
				t.Fatal(err)
			}
			path := filepath.Join(dir, "token.json")
			s, _ := NewFileStore(path)
			saveErr := s.Save(ctx, sampleToken())
			unlock, lockErr := s.Lock(ctx)
			if unlock != nil {
				unlock()
			}
			if tt.ok {
				if saveErr != nil || lockErr != nil {
					t.Fatalf("mode %04o: Save = %v, Lock = %v; want both to succeed", tt.mode, saveErr, lockErr)
				}
				if got, err := s.Load(ctx); err != nil || got.AccessToken != secretAccess {
					t.Fatalf("Load = %v, %v", got, err)
				}
				return
			}
			for name, err := range map[string]error{"Save": saveErr, "Lock": lockErr} {
				if err == nil || !strings.Contains(err.Error(), "chmod 700 "+dir) || !strings.Contains(err.Error(), "other users") {
					t.Errorf("%s in a %04o directory = %v; want a refusal with a `chmod 700 %s` hint", name, tt.mode, err, dir)
				}
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a refused Save or Lock left %d files in the directory", len(entries))
			}
			// The suggested fix works.
			if err := os.Chmod(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := s.Save(ctx, sampleToken()); err != nil {
				t.Fatalf("Save after chmod 700 = %v", err)
			}
		})
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	var zero MemoryStore
	if _, err := zero.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatalf("zero MemoryStore Load = %v", err)
	}
	tok := sampleToken()
	s := NewMemoryStore(tok)
	got, _ := s.Load(ctx)
	got.AccessToken = "mutated"
	if again, _ := s.Load(ctx); again.AccessToken != secretAccess {
		t.Fatal("Load must return a copy")
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Lock(cctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock while held = %v", err)
	}
	unlock()
	u2, err := s.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u2()
	if err := s.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatal("Load after Delete")
	}
}
