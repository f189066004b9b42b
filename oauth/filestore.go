package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// errNilToken is returned when a nil token is saved.
var errNilToken = invalid(errors.New("oauth: cannot save a nil token"))

// lockRetryDelay is how often a blocked [FileStore.Lock] retries.
const lockRetryDelay = 10 * time.Millisecond

// FileStore is a [Store] and [Locker] that keeps the token as JSON in one
// file, for a CLI or a single-user server.
//
// The file is created with mode 0600 in a directory created with mode 0700,
// and replaced atomically (temporary file in the same directory, fsync,
// rename, fsync of the directory), so a crash never leaves a torn token.
// Load refuses a file that group or others can read or write (like ssh does
// with private keys), and Save and Lock refuse a directory that anyone may
// write to without the sticky bit (others could swap the file); each error
// says how to fix it. These mode checks are skipped on Windows.
//
// Lock takes an exclusive advisory lock (flock(2), or LockFileEx on Windows)
// on a sibling file named path+".lock", so processes sharing the file
// refresh one at a time. The lock file is never removed: removing it would
// let two processes lock different files.
//
// Symbolic links are resolved once, by [NewFileStore] (design choice: follow,
// not refuse, since dotfile managers commonly link config files). Every
// Save writes through to the link's target and every Lock locks the
// target's lock file, so a store opened through the link and one opened
// through the target share one token and one lock, and the link itself is
// never replaced by a regular file.
//
// A process killed during a Save can leave a ".<name>.tmp-*" file holding a
// full copy of the token. The next successful Save, and Delete, remove such
// files while holding the lock (the one this store holds, or one taken
// without waiting; if another store holds it, they are left for that
// store's next Save), so they never outlive the next save. A Save that
// fails removes its own temporary file.
type FileStore struct {
	path string

	// mu serialises this store's Saves and Deletes, so that the cleanup of
	// stale temporary files never removes a sibling Save's file.
	mu sync.Mutex
	// held counts the locks this store holds (guarded by mu): while one is
	// held, Save can clean up without taking the lock again.
	held int
}

// NewFileStore returns a FileStore for the token file at path, such as
// filepath.Join(dir, "monzo", "token.json") with dir from
// [os.UserConfigDir] (see the example). Nothing is created until the first
// Save or Lock.
//
// The path is made absolute and any symbolic links in it are resolved now
// (including a link to a file that does not exist yet), so the store reads,
// writes and locks the link's target. [FileStore.Path] reports the resolved
// path.
func NewFileStore(path string) (*FileStore, error) {
	if path == "" {
		return nil, invalid(errors.New("oauth: NewFileStore: empty path"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("oauth: NewFileStore: %w", err)
	}
	resolved, err := resolveLinks(abs)
	if err != nil {
		return nil, fmt.Errorf("oauth: NewFileStore: resolving symbolic links in %s: %w (point the path at a regular file, or fix the link)", abs, err)
	}
	return &FileStore{path: resolved}, nil
}

// maxLinkHops bounds how many symbolic links resolveLinks follows, as the
// kernel's ELOOP limit does.
const maxLinkHops = 40

// resolveLinks returns abs with every symbolic link resolved. Unlike
// filepath.EvalSymlinks it accepts a path that does not exist yet, and a
// link whose target does not exist yet (the first Save creates it).
func resolveLinks(abs string) (string, error) {
	for range maxLinkHops {
		if p, err := filepath.EvalSymlinks(abs); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		fi, err := os.Lstat(abs)
		if errors.Is(err, fs.ErrNotExist) {
			// Nothing there yet: resolve the directory (it may not exist
			// either; then nothing can be a link).
			dir, base := filepath.Split(abs)
			dir = filepath.Clean(dir)
			if dir == abs {
				return abs, nil
			}
			rdir, err := resolveLinks(dir)
			if err != nil {
				return "", err
			}
			return filepath.Join(rdir, base), nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			// Exists but EvalSymlinks failed on a missing component:
			// not reachable in practice; keep the path as it is.
			return abs, nil
		}
		// A dangling link: follow it by hand.
		target, err := os.Readlink(abs)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), target)
		}
		abs = filepath.Clean(target)
	}
	return "", errors.New("too many levels of symbolic links")
}

// Path returns the token file's absolute path, with symbolic links
// resolved.
func (s *FileStore) Path() string { return s.path }

// Load reads the token file. A missing file is [ErrNoToken].
func (s *FileStore) Load(context.Context) (*Token, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (%s does not exist)", ErrNoToken, s.path)
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: reading the token file: %w", err)
	}
	defer f.Close()
	if runtime.GOOS != "windows" {
		if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("oauth: the token file %s has mode %04o, so other users may read it: run `chmod 600 %s`, then consider logging in again", s.path, fi.Mode().Perm(), s.path)
		}
	}
	var tok Token
	if err := json.NewDecoder(f).Decode(&tok); err != nil {
		// A json error never quotes the token values, only offsets and types.
		return nil, fmt.Errorf("oauth: the token file %s is corrupt (%v): delete it and log in again", s.path, err)
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("%w (%s holds no access token)", ErrNoToken, s.path)
	}
	return &tok, nil
}

// Save writes tok atomically: a temporary file in the same directory is
// written, synced and renamed over the token file, then the directory is
// synced so that the rename survives a crash.
func (s *FileStore) Save(_ context.Context, tok *Token) (err error) {
	if tok == nil {
		return errNilToken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := json.MarshalIndent(tok, "", "  ")
	if err != nil {
		return fmt.Errorf("oauth: encoding the token: %w", err)
	}
	data = append(data, '\n')
	dir := filepath.Dir(s.path)
	if err := prepareDir(dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, s.tempPattern())
	if err != nil {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp already uses 0600; make sure a umask or platform did not
	// widen it.
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("oauth: saving the token: %w", err)
	}
	s.removeStaleTemps()
	return syncDir(dir)
}

// Delete removes the token file and any temporary copies a killed Save
// left behind (see [FileStore]). A missing file is not an error.
func (s *FileStore) Delete(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("oauth: deleting the token file: %w", err)
	}
	s.removeStaleTemps()
	return syncDir(filepath.Dir(s.path))
}

// tempPattern is the os.CreateTemp pattern of Save's temporary files.
func (s *FileStore) tempPattern() string { return "." + filepath.Base(s.path) + ".tmp-*" }

// removeStaleTemps removes the temporary files of Saves that never finished
// (a killed process), under the token file's lock: while this store holds
// it, or after taking it without waiting. When another store or process
// holds the lock, its own Save may be writing a temporary file right now,
// so nothing is removed. s.mu is held, so no Save of this store is running.
// Failures are ignored: the token itself is saved.
func (s *FileStore) removeStaleTemps() {
	dir := filepath.Dir(s.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := strings.TrimSuffix(s.tempPattern(), "*")
	var stale []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			stale = append(stale, filepath.Join(dir, e.Name()))
		}
	}
	if len(stale) == 0 {
		return
	}
	if s.held == 0 {
		fl := flock.New(s.path+".lock", flock.SetPermissions(0o600))
		ok, err := fl.TryLock()
		if err != nil || !ok {
			return
		}
		defer fl.Close()
	}
	for _, p := range stale {
		_ = os.Remove(p)
	}
}

// Lock takes an exclusive lock on path+".lock", waiting until it is free
// or ctx is done. Locks are per call, so goroutines of one process exclude
// each other too.
func (s *FileStore) Lock(ctx context.Context) (func() error, error) {
	if err := prepareDir(filepath.Dir(s.path)); err != nil {
		return nil, err
	}
	fl := flock.New(s.path+".lock", flock.SetPermissions(0o600))
	ok, err := fl.TryLockContext(ctx, lockRetryDelay)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("oauth: waiting for the token file lock %s: %w", fl.Path(), ctx.Err())
		}
		return nil, fmt.Errorf("oauth: locking the token file: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("oauth: could not lock %s", fl.Path())
	}
	s.mu.Lock()
	s.held++
	s.mu.Unlock()
	return onceUnlock(func() error {
		s.mu.Lock()
		s.held--
		s.mu.Unlock()
		return fl.Close()
	}), nil
}

// prepareDir creates the token directory (mode 0700) if it is missing and
// refuses one that anyone may write to (unless sticky): others could
// replace the token file or the lock file, even though the token file itself
// is 0600. A directory others can only read or list is accepted. Windows has
// no POSIX modes and is not checked.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("oauth: creating the token directory: %w", err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("oauth: checking the token directory: %w", err)
	}
	// A directory anyone may write to lets anyone replace the token file,
	// unless the sticky bit (as on /tmp) stops them touching files they do
	// not own. Group-writable directories are common under user-private
	// groups (umask 002), where the group is the user alone, so they pass.
	if mode := fi.Mode(); mode.Perm()&0o002 != 0 && mode&os.ModeSticky == 0 {
		return fmt.Errorf("oauth: the token directory %s has mode %04o, so other users can replace the token file in it: run `chmod 700 %s`, or keep the token in a private directory", dir, mode.Perm(), dir)
	}
	return nil
}

// syncDir flushes a directory entry change (a rename or remove) to disk.
// Windows cannot open directories for syncing; its renames are durable
// enough for this purpose.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("oauth: syncing the token directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("oauth: syncing the token directory: %w", err)
	}
	return nil
}
